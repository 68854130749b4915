// Where a datasource instance gets its answers: the core query engine over a
// data directory (storage mode, a stateless reader) or a `kiln server`
// (server mode, over its Connect API). Both answer in the core's types, so
// every frame is built the same way whichever mode a datasource uses.
// Errors: InvalidArgument for a bad selection (the user's query), other
// codes for the store or server (Unavailable: unreachable).
// Thread safety: implementations may be called concurrently.
#ifndef KILN_PLUGIN_BACKEND_SRC_PROFILE_BACKEND_H_
#define KILN_PLUGIN_BACKEND_SRC_PROFILE_BACKEND_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kiln/model/label_set.h"
#include "kiln/query/query_engine.h"
#include "kiln/query/tree.h"

namespace kiln::plugin {

// A selection as Grafana's queries state it: a PromQL-style selector and a
// millisecond range (both ends inclusive).
struct BackendSelection {
  std::string profile_type;
  std::string label_selector = "{}";
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  std::vector<std::string> span_ids;     // 16 hex digits each
  std::vector<std::string> profile_ids;  // UUIDs
};

struct FunctionFilter {
  std::string name;   // exact frame name; empty: the whole profile
  bool self = false;  // the function's self instead of its total
};

class ProfileBackend {
 public:
  virtual ~ProfileBackend() = default;

  virtual absl::StatusOr<std::vector<std::string>> ProfileTypes(int64_t start_ms, int64_t end_ms) = 0;
  virtual absl::StatusOr<std::vector<std::string>> LabelNames(const std::string& selector, int64_t start_ms,
                                                              int64_t end_ms) = 0;
  virtual absl::StatusOr<std::vector<std::string>> LabelValues(const std::string& name, const std::string& selector,
                                                               int64_t start_ms, int64_t end_ms) = 0;
  virtual absl::StatusOr<std::vector<LabelSet>> Series(const std::string& selector,
                                                       const std::vector<std::string>& label_names,
                                                       int64_t start_ms, int64_t end_ms) = 0;
  // The merged call tree; nodes beyond |max_nodes| may already be folded
  // into "other" (a server truncates before sending).
  virtual absl::StatusOr<Tree> MergeTree(const BackendSelection& selection, int64_t max_nodes) = 0;
  // Whether MergeTree's trees come already truncated to |max_nodes| (a
  // server's do, by the same rule). Callers then lay them out as they are:
  // truncating twice folds more nodes than the rule does (the first pass's
  // "other" nodes count among the largest) and can give a parent two
  // children named "other".
  virtual bool TruncatesTrees() const { return false; }
  // The merged profile as gzip-free pprof bytes (perftools.profiles.Profile).
  virtual absl::StatusOr<std::string> MergePprof(const BackendSelection& selection) = 0;
  virtual absl::StatusOr<std::vector<TimeSeries>> SelectSeries(const BackendSelection& selection,
                                                               const SeriesOptions& options) = 0;
  virtual absl::StatusOr<std::vector<HeatmapSeries>> SelectHeatmap(const BackendSelection& selection,
                                                                   const HeatmapOptions& options) = 0;
  virtual absl::StatusOr<std::vector<ProfileSummary>> SelectProfiles(const BackendSelection& selection,
                                                                     uint64_t limit) = 0;
  virtual absl::StatusOr<DataStats> Stats() = 0;
  // Where the answers come from, for health messages ("kiln server at …").
  virtual std::string Describe() const = 0;
};

}  // namespace kiln::plugin

#endif  // KILN_PLUGIN_BACKEND_SRC_PROFILE_BACKEND_H_
