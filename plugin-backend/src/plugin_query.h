// One Grafana panel query (pluginv2 DataQuery) as Kiln's plugin reads it.
// The JSON is compatible with Grafana's Pyroscope datasource where the
// concept is the same (profileTypeId, labelSelector, groupBy, maxNodes,
// spanSelector, profileIdSelector, limit) and adds Kiln's own fields:
//   functionName, functionMode ("total"|"self")   function metrics
//   rightLabelSelector, rightFrom, rightTo (ms)    the right side of a diff
//   heatmapBuckets, heatmapType ("individual"|"span")
//   aggregation ("sum"|"average")
// The query type comes from DataQuery.queryType, else the JSON's queryType,
// else "both" (as Grafana's Pyroscope datasource).
// Errors name the field and say what is expected.
#ifndef KILN_PLUGIN_BACKEND_SRC_PLUGIN_QUERY_H_
#define KILN_PLUGIN_BACKEND_SRC_PLUGIN_QUERY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grafana/pluginv2/backend.pb.h"

namespace kiln::plugin {

enum class QueryKind { kProfile, kMetrics, kBoth, kDiff, kHeatmap, kProfiles, kSpan };

struct PluginQuery {
  std::string ref_id;
  QueryKind kind = QueryKind::kBoth;
  std::string profile_type_id;
  std::string label_selector = "{}";
  std::vector<std::string> group_by;
  int64_t max_nodes = 0;  // 0: the datasource's default
  std::vector<std::string> span_selector;
  std::vector<std::string> profile_id_selector;
  int64_t limit = 0;  // top-N series, or rows of a profiles table
  std::string function_name;
  bool function_self = false;
  bool average = false;
  // Diff: the right side (the left is the query's own selector and range).
  std::string right_label_selector;
  int64_t right_from_ms = 0;
  int64_t right_to_ms = 0;
  uint32_t heatmap_buckets = 20;
  bool heatmap_per_span = false;
  int64_t from_ms = 0;
  int64_t to_ms = 0;
  int64_t interval_ms = 0;
  int64_t max_data_points = 0;
};

absl::StatusOr<PluginQuery> ParsePluginQuery(const pluginv2::DataQuery& query);

const char* QueryKindName(QueryKind kind);

}  // namespace kiln::plugin

#endif  // KILN_PLUGIN_BACKEND_SRC_PLUGIN_QUERY_H_
