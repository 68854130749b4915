// querier.v1.QuerierService on the query engine: each RPC takes upstream's
// request message and returns upstream's response message (pyroscope-api.md
// §1.c). Times on the wire are milliseconds since epoch; a zero `end` means
// now and a zero `start` means one hour before `end`. Selectors are PromQL
// matchers; several `matchers` strings are alternatives (their results are
// united), as in Pyroscope.
// Errors are absl::Status with the code the Connect error should carry:
// InvalidArgument for bad requests, ResourceExhausted for queries over a
// limit, Unimplemented for what Kiln does not serve yet (DOT output, Go PGO
// selectors, AnalyzeQuery).
// Thread safety: all methods may be called concurrently.
#ifndef KILN_SERVER_DAEMON_QUERIER_SERVICE_H_
#define KILN_SERVER_DAEMON_QUERIER_SERVICE_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "kiln/query/query_engine.h"
#include "kiln/profiles/v1/profiles.pb.h"
#include "querier/v1/querier.pb.h"
#include "types/v1/types.pb.h"

namespace kiln::server {

struct QuerierOptions {
  int64_t default_max_nodes = 8192;
  int64_t max_max_nodes = 1048576;
  // Clock for defaulted ranges (tests replace it).
  std::function<int64_t()> now_nanos;
};

class QuerierService {
 public:
  // |engine| must outlive the service.
  explicit QuerierService(const QueryEngine* engine, QuerierOptions options = {});

  absl::StatusOr<querier::v1::ProfileTypesResponse> ProfileTypes(const std::string& tenant,
                                                                  const querier::v1::ProfileTypesRequest& req) const;
  absl::StatusOr<types::v1::LabelNamesResponse> LabelNames(const std::string& tenant,
                                                           const types::v1::LabelNamesRequest& req) const;
  absl::StatusOr<types::v1::LabelValuesResponse> LabelValues(const std::string& tenant,
                                                             const types::v1::LabelValuesRequest& req) const;
  absl::StatusOr<querier::v1::SeriesResponse> Series(const std::string& tenant,
                                                     const querier::v1::SeriesRequest& req) const;
  absl::StatusOr<querier::v1::SelectMergeStacktracesResponse> SelectMergeStacktraces(
      const std::string& tenant, const querier::v1::SelectMergeStacktracesRequest& req) const;
  absl::StatusOr<querier::v1::SelectMergeSpanProfileResponse> SelectMergeSpanProfile(
      const std::string& tenant, const querier::v1::SelectMergeSpanProfileRequest& req) const;
  absl::StatusOr<perftools::profiles::Profile> SelectMergeProfile(
      const std::string& tenant, const querier::v1::SelectMergeProfileRequest& req) const;
  absl::StatusOr<querier::v1::SelectSeriesResponse> SelectSeries(const std::string& tenant,
                                                                 const querier::v1::SelectSeriesRequest& req) const;
  absl::StatusOr<querier::v1::SelectHeatmapResponse> SelectHeatmap(const std::string& tenant,
                                                                   const querier::v1::SelectHeatmapRequest& req) const;
  absl::StatusOr<querier::v1::DiffResponse> Diff(const std::string& tenant, const querier::v1::DiffRequest& req) const;
  absl::StatusOr<types::v1::GetProfileStatsResponse> GetProfileStats(
      const std::string& tenant, const types::v1::GetProfileStatsRequest& req) const;
  absl::StatusOr<querier::v1::AnalyzeQueryResponse> AnalyzeQuery(const std::string& tenant,
                                                                 const querier::v1::AnalyzeQueryRequest& req) const;
  // Kiln's kiln.profiles.v1.ProfilesService (proto/kiln/profiles/v1).
  absl::StatusOr<kiln::profiles::v1::SelectProfilesResponse> SelectProfiles(
      const std::string& tenant, const kiln::profiles::v1::SelectProfilesRequest& req) const;

 private:
  struct Range {
    int64_t start_nanos;
    int64_t end_nanos;
  };
  absl::StatusOr<Range> RangeOf(int64_t start_ms, int64_t end_ms) const;
  absl::StatusOr<int64_t> MaxNodes(bool has, int64_t value) const;
  absl::StatusOr<ProfileSelection> Selection(const std::string& tenant, const querier::v1::SelectMergeStacktracesRequest& req) const;

  const QueryEngine* const engine_;
  const QuerierOptions options_;
};

}  // namespace kiln::server

#endif  // KILN_SERVER_DAEMON_QUERIER_SERVICE_H_
