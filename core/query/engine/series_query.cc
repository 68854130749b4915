// SelectSeries and SelectHeatmap: per-profile values over time, grouped by
// labels — the profile-derived metrics of dashboards and alerts.
#include <algorithm>
#include <cmath>
#include <map>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "core/query/engine/dataset_selection.h"
#include "core/query/engine/parallel_for.h"
#include "kiln/query/query_engine.h"
#include "kiln/storage/block.h"

namespace kiln {
namespace {

using storage::Dataset;

// One selected profile (or one span of it) as a point.
struct Point {
  LabelSet group;
  int64_t time_nanos;
  int64_t value;
  Exemplar exemplar;
};

LabelSet GroupOf(const LabelSet& series, const std::vector<std::string>& group_by) {
  std::vector<LabelSet::Pair> pairs;
  for (const std::string& name : group_by) {
    const std::string_view v = series.Get(name);
    if (!v.empty()) pairs.emplace_back(name, std::string(v));
  }
  return LabelSet(std::move(pairs));
}

// The series' own labels an exemplar reports: not internal, not grouped.
LabelSet ExemplarLabels(const LabelSet& series, const std::vector<std::string>& group_by) {
  std::vector<LabelSet::Pair> pairs;
  for (const auto& [name, value] : series.pairs()) {
    if (name.starts_with("__") || std::find(group_by.begin(), group_by.end(), name) != group_by.end()) continue;
    pairs.emplace_back(name, value);
  }
  return LabelSet(std::move(pairs));
}

struct PointOptions {
  std::vector<std::string> group_by;
  std::string function;
  bool function_self = false;
  bool per_span = false;       // one point per span of a profile
  bool span_exemplar = false;  // the profile's largest span as its exemplar
};

// Points of one dataset.
std::vector<Point> DatasetPoints(const Dataset& d, const ProfileSelection& sel, const PointOptions& options) {
  const std::vector<bool> series = query_engine::MatchSeries(d, sel.matchers, sel.profile_type);
  const std::vector<bool> annotations = query_engine::SelectAnnotations(d, sel);
  std::vector<bool> stacks = query_engine::MatchCallSite(d, sel.call_site);
  if (!options.function.empty()) {
    query_engine::FunctionMembership f = query_engine::MatchFunction(d, options.function);
    std::vector<bool>& chosen = options.function_self ? f.is_leaf : f.contains;
    if (stacks.empty()) {
      stacks = std::move(chosen);
    } else {
      for (size_t i = 0; i < stacks.size(); ++i) stacks[i] = stacks[i] && chosen[i];
    }
  }
  std::vector<Point> out;
  std::vector<LabelSet> groups(d.series.size()), exemplar_labels(d.series.size());
  std::vector<bool> labelled(d.series.size());
  std::map<uint32_t, int64_t> by_span;
  for (uint32_t r : query_engine::SelectRows(d, series, sel)) {
    const storage::ProfileRow& row = d.profiles[r];
    if (!labelled[row.series]) {
      groups[row.series] = GroupOf(d.series[row.series], options.group_by);
      exemplar_labels[row.series] = ExemplarLabels(d.series[row.series], options.group_by);
      labelled[row.series] = true;
    }
    Exemplar e;
    e.timestamp_nanos = row.time_nanos;
    e.profile_id = row.id;
    e.labels = exemplar_labels[row.series];
    if (options.per_span || options.span_exemplar) {
      by_span.clear();
      for (uint64_t j = row.first_sample; j < row.first_sample + row.num_samples; ++j) {
        const uint32_t a = d.sample_annotations[j];
        if (a == 0 || (!annotations.empty() && !annotations[a])) continue;
        if (!stacks.empty() && !stacks[d.sample_stacks[j]]) continue;
        by_span[a] += d.sample_values[j];
      }
    }
    if (options.per_span) {
      for (const auto& [a, value] : by_span) {
        Exemplar se = e;
        se.span_id = d.annotations[a].span_id;
        se.trace_id = {d.annotations[a].trace_id_high, d.annotations[a].trace_id_low};
        se.value = value;
        out.push_back({groups[row.series], row.time_nanos, value, std::move(se)});
      }
      continue;
    }
    e.value = query_engine::RowValue(d, row, annotations, stacks);
    if (options.span_exemplar && !by_span.empty()) {
      auto best = std::max_element(by_span.begin(), by_span.end(),
                                   [](const auto& a, const auto& b) { return a.second < b.second; });
      e.span_id = d.annotations[best->first].span_id;
      e.trace_id = {d.annotations[best->first].trace_id_high, d.annotations[best->first].trace_id_low};
    }
    out.push_back({groups[row.series], row.time_nanos, e.value, std::move(e)});
  }
  return out;
}

}  // namespace

namespace {

// All points of a selection, gathered across datasets in parallel.
template <typename LoadFn>
absl::StatusOr<std::vector<Point>> GatherPoints(size_t num_datasets, unsigned parallelism, LoadFn load,
                                                const ProfileSelection& sel, const PointOptions& options) {
  std::vector<absl::StatusOr<std::vector<Point>>> parts(num_datasets);
  query_engine::ParallelFor(num_datasets, parallelism, [&](size_t i) {
    auto d = load(i);
    if (!d.ok()) {
      parts[i] = d.status();
      return;
    }
    parts[i] = DatasetPoints(**d, sel, options);
  });
  std::vector<Point> all;
  for (auto& part : parts) {
    if (!part.ok()) return part.status();
    std::move(part->begin(), part->end(), std::back_inserter(all));
  }
  return all;
}

// The labels |a| and |b| share (name and value).
LabelSet SharedLabels(const LabelSet& a, const LabelSet& b) {
  std::vector<LabelSet::Pair> shared;
  for (const auto& [name, value] : a.pairs()) {
    if (b.Get(name) == value) shared.emplace_back(name, value);
  }
  return LabelSet(std::move(shared));
}

// A profile whose samples carry labels (pprof's per-sample labels) is
// stored as one row per label set; where a point stands for a profile, its
// rows in one group become one point: their values summed, the labels they
// share kept. Order: first appearance.
void MergeProfileRows(std::vector<Point>* points) {
  absl::flat_hash_map<std::pair<storage::ProfileId, uint64_t>, size_t> first;
  std::vector<Point> out;
  out.reserve(points->size());
  for (Point& p : *points) {
    auto [it, inserted] = first.try_emplace({p.exemplar.profile_id, p.group.Fingerprint()}, out.size());
    if (inserted) {
      out.push_back(std::move(p));
      continue;
    }
    Point& merged = out[it->second];
    merged.value += p.value;
    merged.exemplar.value += p.exemplar.value;
    merged.exemplar.labels = SharedLabels(merged.exemplar.labels, p.exemplar.labels);
  }
  *points = std::move(out);
}

// Keeps the |limit| groups with the largest sums (all when 0).
std::vector<LabelSet> TopGroups(const std::vector<Point>& points, uint64_t limit) {
  std::map<LabelSet, double> sums;
  for (const Point& p : points) sums[p.group] += static_cast<double>(p.value);
  std::vector<std::pair<LabelSet, double>> ranked(sums.begin(), sums.end());
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  if (limit && ranked.size() > limit) ranked.resize(limit);
  std::vector<LabelSet> out;
  for (auto& [group, sum] : ranked) out.push_back(group);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

absl::StatusOr<std::vector<TimeSeries>> QueryEngine::SelectSeries(const ProfileSelection& sel,
                                                                  const SeriesOptions& options) const {
  if (auto s = CheckRange(sel.start_nanos, sel.end_nanos); !s.ok()) return s;
  if (sel.profile_type.empty()) return absl::InvalidArgumentError("a profile type is required");
  if (options.step_nanos <= 0) return absl::InvalidArgumentError("step must be positive");
  if ((sel.end_nanos - sel.start_nanos) / options.step_nanos > 100000) {
    return absl::ResourceExhaustedError("more than 100000 points per series; raise the step");
  }
  const bool need_samples = !options.function.empty() || !sel.call_site.empty() || !sel.span_ids.empty() ||
                            !sel.trace_ids.empty() || options.exemplars == ExemplarKind::kSpan;
  const unsigned sections = need_samples ? storage::kAllSections : storage::kSectionIndex | storage::kSectionProfiles;
  const std::vector<PlannedDataset> plan = Plan(sel.tenant, sel.start_nanos, sel.end_nanos, sel.profile_type, sel.matchers);
  PointOptions point_options{options.group_by, options.function, options.function_self, false,
                             options.exemplars == ExemplarKind::kSpan};
  auto points = GatherPoints(plan.size(), limits_.parallelism, [&](size_t i) { return Load(plan[i], sections); }, sel,
                             point_options);
  if (!points.ok()) return points.status();
  const std::vector<LabelSet> groups = TopGroups(*points, options.limit);
  if (limits_.max_series && groups.size() > limits_.max_series) {
    return absl::ResourceExhaustedError(absl::StrCat(groups.size(), " series exceed the limit of ", limits_.max_series,
                                                     "; group by fewer labels or set a limit"));
  }
  struct Bucket {
    double sum = 0;
    int64_t count = 0;
    const Point* best = nullptr;
  };
  std::map<LabelSet, std::map<int64_t, Bucket>> buckets;
  for (const LabelSet& g : groups) buckets[g];
  for (const Point& p : *points) {
    auto it = buckets.find(p.group);
    if (it == buckets.end()) continue;
    const int64_t ts = sel.start_nanos + (p.time_nanos - sel.start_nanos) / options.step_nanos * options.step_nanos;
    Bucket& b = it->second[ts];
    b.sum += static_cast<double>(p.value);
    ++b.count;
    if (!b.best || p.value > b.best->value) b.best = &p;
  }
  std::vector<TimeSeries> out;
  for (auto& [group, by_time] : buckets) {
    TimeSeries& series = out.emplace_back();
    series.labels = group;
    for (const auto& [ts, b] : by_time) {
      SeriesPoint& point = series.points.emplace_back();
      point.timestamp_nanos = ts;
      point.value = options.aggregation == Aggregation::kAverage ? b.sum / static_cast<double>(b.count) : b.sum;
      if (options.exemplars != ExemplarKind::kNone && b.best) point.exemplars.push_back(b.best->exemplar);
    }
  }
  return out;
}

absl::StatusOr<std::vector<HeatmapSeries>> QueryEngine::SelectHeatmap(const ProfileSelection& sel,
                                                                      const HeatmapOptions& options) const {
  if (auto s = CheckRange(sel.start_nanos, sel.end_nanos); !s.ok()) return s;
  if (sel.profile_type.empty()) return absl::InvalidArgumentError("a profile type is required");
  if (options.step_nanos < 1000000) return absl::InvalidArgumentError("heatmap step must be at least 1 ms");
  if (options.buckets == 0 || options.buckets > 1000) return absl::InvalidArgumentError("heatmap buckets must be 1..1000");
  const unsigned sections = options.per_span || !sel.call_site.empty() || !sel.span_ids.empty() || !sel.trace_ids.empty()
                                ? storage::kAllSections
                                : storage::kSectionIndex | storage::kSectionProfiles;
  const std::vector<PlannedDataset> plan = Plan(sel.tenant, sel.start_nanos, sel.end_nanos, sel.profile_type, sel.matchers);
  PointOptions point_options{options.group_by, "", false, options.per_span, false};
  auto points = GatherPoints(plan.size(), limits_.parallelism, [&](size_t i) { return Load(plan[i], sections); }, sel,
                             point_options);
  if (!points.ok()) return points.status();
  if (!options.per_span) MergeProfileRows(&*points);
  if (limits_.max_heatmap_points && points->size() > limits_.max_heatmap_points) {
    return absl::ResourceExhaustedError(absl::StrCat(points->size(), " heatmap points exceed the limit of ",
                                                     limits_.max_heatmap_points, "; narrow the time range or selector"));
  }
  std::vector<HeatmapSeries> out;
  if (points->empty()) return out;
  int64_t lo = points->front().value, hi = lo;
  for (const Point& p : *points) {
    lo = std::min(lo, p.value);
    hi = std::max(hi, p.value);
  }
  const double width = hi > lo ? static_cast<double>(hi - lo) / options.buckets : 1.0;
  const std::vector<LabelSet> groups = TopGroups(*points, options.limit);
  struct Cell {
    int32_t count = 0;
    const Point* best = nullptr;
  };
  std::map<LabelSet, std::map<int64_t, std::vector<Cell>>> slots;
  for (const LabelSet& g : groups) slots[g];
  for (const Point& p : *points) {
    auto it = slots.find(p.group);
    if (it == slots.end()) continue;
    // Right edge: the slot (ts - step, ts] holds p.
    const int64_t offset = p.time_nanos - sel.start_nanos;
    const int64_t k = offset <= 0 ? 0 : (offset + options.step_nanos - 1) / options.step_nanos;
    std::vector<Cell>& cells = it->second[sel.start_nanos + k * options.step_nanos];
    cells.resize(options.buckets);
    const uint32_t bucket = std::min<uint32_t>(
        options.buckets - 1, static_cast<uint32_t>(std::floor(static_cast<double>(p.value - lo) / width)));
    Cell& cell = cells[bucket];
    ++cell.count;
    if (!cell.best || p.value > cell.best->value) cell.best = &p;
  }
  for (auto& [group, by_time] : slots) {
    HeatmapSeries& series = out.emplace_back();
    series.labels = group;
    for (const auto& [ts, cells] : by_time) {
      HeatmapSlot& slot = series.slots.emplace_back();
      slot.timestamp_nanos = ts;
      for (uint32_t b = 0; b < options.buckets; ++b) {
        slot.y_min.push_back(static_cast<double>(lo) + b * width);
        slot.counts.push_back(cells[b].count);
        if (cells[b].best) slot.exemplars.push_back(cells[b].best->exemplar);
      }
    }
  }
  return out;
}

absl::StatusOr<std::vector<ProfileSummary>> QueryEngine::SelectProfiles(const ProfileSelection& sel,
                                                                        uint64_t limit) const {
  if (auto s = CheckRange(sel.start_nanos, sel.end_nanos); !s.ok()) return s;
  if (sel.profile_type.empty()) return absl::InvalidArgumentError("a profile type is required");
  if (limit == 0) limit = 100;
  if (limit > 100000) return absl::InvalidArgumentError(absl::StrCat("limit ", limit, " is above 100000"));
  const unsigned sections = !sel.call_site.empty() || !sel.span_ids.empty() || !sel.trace_ids.empty()
                                ? storage::kAllSections
                                : storage::kSectionIndex | storage::kSectionProfiles;
  const std::vector<PlannedDataset> plan = Plan(sel.tenant, sel.start_nanos, sel.end_nanos, sel.profile_type, sel.matchers);
  auto points = GatherPoints(plan.size(), limits_.parallelism, [&](size_t i) { return Load(plan[i], sections); }, sel,
                             PointOptions{});
  if (!points.ok()) return points.status();
  auto newer = [](const Point& a, const Point& b) {
    if (a.time_nanos != b.time_nanos) return a.time_nanos > b.time_nanos;
    return a.exemplar.profile_id < b.exemplar.profile_id;
  };
  // One point per profile (its series rows merged), newest first.
  MergeProfileRows(&*points);
  std::sort(points->begin(), points->end(), newer);
  std::vector<ProfileSummary> out;
  for (Point& p : *points) {
    if (out.size() == limit) break;
    out.push_back({p.exemplar.profile_id, p.time_nanos, std::move(p.exemplar.labels), p.value});
  }
  return out;
}

}  // namespace kiln
