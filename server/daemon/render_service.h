// Pyroscope's legacy read API (pyroscope-api.md §1.b), still used by k6
// load scripts, grafana/mcp-grafana and old UIs, answered through the
// querier.v1 RPCs so validation and limits are the same:
//   GET /pyroscope/render?query=<type>{matchers}&from&until&maxNodes&groupBy&aggregation
//     → flamebearer JSON {version, flamebearer, metadata, timeline, groups}
//   GET /pyroscope/render-diff?leftQuery&leftFrom&leftUntil&rightQuery&rightFrom&rightUntil
//     → flamebearer diff ("double" format, 7-tuple levels, leftTicks/rightTicks)
//   GET /pyroscope/label-values?label=X[&query&from&until]
//     → JSON array; label __name__ lists profile type IDs
// from/until take Pyroscope's attime forms (now-1h, unix s/ms/µs/ns,
// YYYYMMDD); default the last hour. The timeline's step is range/1500, at
// least 15 s, as Pyroscope's. Errors are InvalidArgument for bad
// parameters, otherwise the query's own status.
// Thread safety: all methods may be called concurrently.
#ifndef KILN_SERVER_DAEMON_RENDER_SERVICE_H_
#define KILN_SERVER_DAEMON_RENDER_SERVICE_H_

#include <functional>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "server/daemon/querier_service.h"

namespace kiln::server {

using RenderParams = std::multimap<std::string, std::string>;

class RenderService {
 public:
  // |querier| must outlive the service; |now_nanos| anchors "now".
  RenderService(const QuerierService* querier, std::function<int64_t()> now_nanos);

  absl::StatusOr<std::string> Render(const std::string& tenant, const RenderParams& params) const;
  absl::StatusOr<std::string> RenderDiff(const std::string& tenant, const RenderParams& params) const;
  absl::StatusOr<std::string> LabelValues(const std::string& tenant, const RenderParams& params) const;

 private:
  struct Range {
    int64_t from_ms = 0;
    int64_t until_ms = 0;
  };
  absl::StatusOr<Range> RangeOf(const RenderParams& params, const char* from_key, const char* until_key) const;

  const QuerierService* const querier_;
  const std::function<int64_t()> now_nanos_;
};

}  // namespace kiln::server

#endif  // KILN_SERVER_DAEMON_RENDER_SERVICE_H_
