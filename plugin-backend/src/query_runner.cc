#include "plugin-backend/src/query_runner.h"

#include <algorithm>
#include <cmath>

#include "absl/status/status.h"
#include "kiln/query/flame_graph.h"
#include "kiln/query/flame_graph_layout.h"
#include "plugin-backend/src/profile_frames.h"

namespace kiln::plugin {
namespace {

BackendSelection SelectionOf(const PluginQuery& q) {
  BackendSelection sel;
  sel.profile_type = q.profile_type_id;
  sel.label_selector = q.label_selector;
  sel.start_ms = q.from_ms;
  sel.end_ms = q.to_ms;
  sel.span_ids = q.span_selector;
  sel.profile_ids = q.profile_id_selector;
  return sel;
}

int64_t MaxNodesOf(const PluginQuery& q, const DatasourceSettings& settings) {
  return q.max_nodes > 0 ? q.max_nodes : settings.default_max_nodes;
}

// The layout's own truncation: none for trees the backend truncated already.
int64_t LayoutMaxNodes(int64_t max_nodes, const ProfileBackend& backend) {
  return backend.TruncatesTrees() ? 0 : max_nodes;
}

absl::StatusOr<Frame> FlameGraphOf(const PluginQuery& q, const DatasourceInstance& instance) {
  const int64_t max_nodes = MaxNodesOf(q, instance.settings);
  auto tree = instance.backend->MergeTree(SelectionOf(q), max_nodes);
  if (!tree.ok()) return tree.status();
  const FlameGraphLayout layout = LayoutFlameGraph(*tree, LayoutMaxNodes(max_nodes, *instance.backend));
  return FlameGraphFrame(BuildNestedSet(layout), q.ref_id, UnitOfProfileType(q.profile_type_id));
}

absl::StatusOr<Frame> DiffOf(const PluginQuery& q, const DatasourceInstance& instance) {
  const int64_t max_nodes = MaxNodesOf(q, instance.settings);
  BackendSelection left = SelectionOf(q);
  BackendSelection right = left;
  if (!q.right_label_selector.empty()) right.label_selector = q.right_label_selector;
  if (q.right_to_ms != 0) {
    right.start_ms = q.right_from_ms;
    right.end_ms = q.right_to_ms;
  }
  auto left_tree = instance.backend->MergeTree(left, max_nodes);
  if (!left_tree.ok()) return left_tree.status();
  auto right_tree = instance.backend->MergeTree(right, max_nodes);
  if (!right_tree.ok()) return right_tree.status();
  // A server truncated each side alone; the frame then holds their union.
  const FlameGraphLayout layout =
      LayoutFlameGraphDiff(*left_tree, *right_tree, LayoutMaxNodes(max_nodes, *instance.backend));
  return FlameGraphFrame(BuildNestedSet(layout), q.ref_id, UnitOfProfileType(q.profile_type_id));
}

absl::StatusOr<std::vector<Frame>> SeriesOf(const PluginQuery& q, const DatasourceInstance& instance) {
  const double step = SeriesStepSeconds(q, instance.settings);
  SeriesOptions options;
  options.step_nanos = static_cast<int64_t>(step * 1e9);
  options.group_by = q.group_by;
  options.limit = static_cast<uint64_t>(q.limit);
  options.aggregation = q.average ? Aggregation::kAverage : Aggregation::kSum;
  options.function = q.function_name;
  options.function_self = q.function_self;
  auto series = instance.backend->SelectSeries(SelectionOf(q), options);
  if (!series.ok()) return series.status();
  return SeriesFrames(*series, q.ref_id, q.profile_type_id, q.average ? 0 : step);
}

}  // namespace

double SeriesStepSeconds(const PluginQuery& query, const DatasourceSettings& settings) {
  double step = std::max(static_cast<double>(query.interval_ms) / 1000.0, absl::ToDoubleSeconds(settings.min_step));
  if (query.max_data_points > 0) {
    const double range = static_cast<double>(query.to_ms - query.from_ms) / 1000.0;
    step = std::max(step, std::ceil(range / static_cast<double>(query.max_data_points)));
  }
  return std::max(step, 1.0);
}

absl::StatusOr<std::vector<Frame>> RunQuery(const PluginQuery& q, const DatasourceInstance& instance,
                                            const QueryContext& context) {
  std::vector<Frame> frames;
  switch (q.kind) {
    case QueryKind::kProfile:
    case QueryKind::kSpan: {
      auto frame = FlameGraphOf(q, instance);
      if (!frame.ok()) return frame.status();
      frames.push_back(*std::move(frame));
      break;
    }
    case QueryKind::kMetrics:
      return SeriesOf(q, instance);
    case QueryKind::kBoth: {
      auto frame = FlameGraphOf(q, instance);
      if (!frame.ok()) return frame.status();
      frames.push_back(*std::move(frame));
      auto series = SeriesOf(q, instance);
      if (!series.ok()) return series.status();
      std::move(series->begin(), series->end(), std::back_inserter(frames));
      break;
    }
    case QueryKind::kDiff: {
      auto frame = DiffOf(q, instance);
      if (!frame.ok()) return frame.status();
      frames.push_back(*std::move(frame));
      break;
    }
    case QueryKind::kHeatmap: {
      HeatmapOptions options;
      options.step_nanos = static_cast<int64_t>(SeriesStepSeconds(q, instance.settings) * 1e9);
      options.per_span = q.heatmap_per_span;
      options.buckets = q.heatmap_buckets;
      auto heatmap = instance.backend->SelectHeatmap(SelectionOf(q), options);
      if (!heatmap.ok()) return heatmap.status();
      frames.push_back(HeatmapFrame(*heatmap, q.ref_id, q.profile_type_id));
      break;
    }
    case QueryKind::kProfiles: {
      auto profiles = instance.backend->SelectProfiles(SelectionOf(q), static_cast<uint64_t>(q.limit));
      if (!profiles.ok()) return profiles.status();
      frames.push_back(ProfilesFrame(
          *profiles, q.ref_id,
          {context.datasource_uid, context.datasource_name, q.profile_type_id, q.label_selector}));
      break;
    }
  }
  return frames;
}

}  // namespace kiln::plugin
