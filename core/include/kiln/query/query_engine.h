// One query engine for every front door (server, Grafana plugin, CLI):
// Pyroscope querier.v1's questions answered over stored blocks.
//
// A query plans from the metastore (blocks of the tenant overlapping the
// range, datasets whose service and profile types can match), reads only
// the sections it needs (label queries: index; series: index + profiles;
// merges: all four), merges on integer stack ids inside each dataset,
// symbolizes once per dataset, and merges across datasets — in parallel
// across blocks. Limits turn impossible queries into ResourceExhausted
// errors that say what to narrow, never into an out-of-memory.
// Thread safety: every method may be called concurrently.
#ifndef KILN_QUERY_QUERY_ENGINE_H_
#define KILN_QUERY_QUERY_ENGINE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kiln/model/label_matcher.h"
#include "kiln/model/profile.h"
#include "kiln/model/profile_type.h"
#include "kiln/query/tree.h"
#include "kiln/query/tree_builder.h"
#include "kiln/storage/dataset.h"
#include "kiln/storage/metastore.h"
#include "kiln/storage/object_store.h"

namespace kiln {
namespace query_engine {
class DatasetCache;
}

struct QueryLimits {
  int64_t max_range_nanos = int64_t{32} * 24 * 3600 * 1000000000;  // 0: unlimited
  uint64_t max_series = 10000;         // series a SelectSeries may return or scan per group
  uint64_t max_tree_nodes = 20000000;  // merged call-tree nodes before a merge fails
  uint64_t max_heatmap_points = 5000000;
  uint32_t parallelism = 0;            // 0: hardware concurrency
  uint64_t cache_bytes = 256u << 20;   // decoded datasets kept between queries
};

// What to select: Pyroscope's SelectMergeStacktraces request, minus format.
struct ProfileSelection {
  std::string tenant = "anonymous";
  std::string profile_type;  // required for merges and series
  std::vector<LabelMatcher> matchers;
  int64_t start_nanos = 0;
  int64_t end_nanos = 0;
  std::vector<storage::ProfileId> profile_ids;  // only these profiles
  std::vector<uint64_t> span_ids;               // only samples of these spans
  std::vector<std::pair<uint64_t, uint64_t>> trace_ids;  // only samples of these traces
  std::vector<std::string> call_site;           // only stacks with this root-first prefix
};

struct ProfileTypeInfo {
  ProfileTypeId id;
  std::string ToString() const { return id.ToString(); }
};

struct Exemplar {
  int64_t timestamp_nanos = 0;
  storage::ProfileId profile_id{};
  uint64_t span_id = 0;
  std::pair<uint64_t, uint64_t> trace_id{0, 0};
  int64_t value = 0;
  LabelSet labels;  // labels of the profile's series not in the group
};

struct SeriesPoint {
  int64_t timestamp_nanos = 0;
  double value = 0;
  std::vector<Exemplar> exemplars;
};

struct TimeSeries {
  LabelSet labels;
  std::vector<SeriesPoint> points;
};

enum class Aggregation { kSum, kAverage };
enum class ExemplarKind { kNone, kIndividual, kSpan };

struct SeriesOptions {
  int64_t step_nanos = 15000000000;
  std::vector<std::string> group_by;
  Aggregation aggregation = Aggregation::kSum;
  uint64_t limit = 0;  // top-N series by total; 0: all
  ExemplarKind exemplars = ExemplarKind::kNone;
  // Profile-derived metric: the self or total value of one function (exact
  // name) instead of the whole profile's total.
  std::string function;
  bool function_self = false;
};

struct HeatmapSlot {
  int64_t timestamp_nanos = 0;  // right edge: the slot is (ts - step, ts]
  std::vector<double> y_min;    // lower bound of each bucket
  std::vector<int32_t> counts;
  std::vector<Exemplar> exemplars;  // the largest point of each non-empty cell
};

struct HeatmapSeries {
  LabelSet labels;
  std::vector<HeatmapSlot> slots;
};

struct HeatmapOptions {
  int64_t step_nanos = 15000000000;
  std::vector<std::string> group_by;
  // Points per span instead of per profile. Per profile, a profile stored
  // as several series (pprof sample labels) is one point per group.
  bool per_span = false;
  uint64_t limit = 0;
  uint32_t buckets = 20;
};

// One stored profile of a selection: a row of a "profiles in range" table,
// from which a single profile can be opened (by id).
struct ProfileSummary {
  storage::ProfileId id{};
  int64_t timestamp_nanos = 0;
  // The series' labels, internal (__*) ones left out. A profile stored as
  // several series (pprof sample labels) is listed once, with the labels
  // its series share and the sum of their totals.
  LabelSet labels;
  int64_t total = 0;  // of the selected samples (span/call-site filters apply)
};

struct DataStats {
  bool data_ingested = false;
  int64_t oldest_nanos = 0;
  int64_t newest_nanos = 0;
};

class QueryEngine {
 public:
  // |store| and |metastore| must outlive the engine.
  QueryEngine(storage::ObjectStore* store, const storage::Metastore* metastore, QueryLimits limits = {});
  ~QueryEngine();

  absl::StatusOr<std::vector<ProfileTypeInfo>> ProfileTypes(const std::string& tenant, int64_t start_nanos,
                                                            int64_t end_nanos) const;
  absl::StatusOr<std::vector<std::string>> LabelNames(const std::string& tenant,
                                                      const std::vector<LabelMatcher>& matchers,
                                                      int64_t start_nanos, int64_t end_nanos) const;
  absl::StatusOr<std::vector<std::string>> LabelValues(const std::string& tenant, const std::string& name,
                                                       const std::vector<LabelMatcher>& matchers,
                                                       int64_t start_nanos, int64_t end_nanos) const;
  // Label sets of matching series, projected onto |label_names| when given.
  absl::StatusOr<std::vector<LabelSet>> Series(const std::string& tenant, const std::vector<LabelMatcher>& matchers,
                                               const std::vector<std::string>& label_names, int64_t start_nanos,
                                               int64_t end_nanos) const;

  // The merged call tree of the selection (untruncated: flame graphs,
  // sandwich and top tables are rendered from it).
  absl::StatusOr<Tree> SelectMergeTree(const ProfileSelection& selection,
                                       FrameNaming naming = FrameNaming::kFunction) const;
  // The merged profile with full symbols (for pprof export).
  absl::StatusOr<Profile> SelectMergeProfile(const ProfileSelection& selection) const;
  absl::StatusOr<std::vector<TimeSeries>> SelectSeries(const ProfileSelection& selection,
                                                       const SeriesOptions& options) const;
  absl::StatusOr<std::vector<HeatmapSeries>> SelectHeatmap(const ProfileSelection& selection,
                                                           const HeatmapOptions& options) const;
  // The selection's profiles, newest first (ties by id), at most |limit|
  // (1..100000; 0 means 100).
  absl::StatusOr<std::vector<ProfileSummary>> SelectProfiles(const ProfileSelection& selection,
                                                             uint64_t limit) const;
  DataStats GetDataStats(const std::string& tenant) const;

  const QueryLimits& limits() const { return limits_; }

 private:
  // One dataset of one block that may hold matching data.
  struct PlannedDataset {
    storage::BlockMetaPtr block;
    int index = 0;
  };

  absl::Status CheckRange(int64_t start_nanos, int64_t end_nanos) const;
  std::vector<PlannedDataset> Plan(const std::string& tenant, int64_t start_nanos, int64_t end_nanos,
                                   const std::string& profile_type,
                                   const std::vector<LabelMatcher>& matchers) const;
  absl::StatusOr<std::shared_ptr<const storage::Dataset>> Load(const PlannedDataset& planned,
                                                               unsigned sections) const;

  storage::ObjectStore* const store_;
  const storage::Metastore* const metastore_;
  const QueryLimits limits_;
  std::unique_ptr<query_engine::DatasetCache> cache_;
};

}  // namespace kiln

#endif  // KILN_QUERY_QUERY_ENGINE_H_
