// Kiln's HTTP/1.1 front door (cpp-httplib): the routes of a Pyroscope
// server on one port, mapped onto the ingest and querier services.
//   POST /ingest, /pyroscope/ingest            legacy ingest (IngestService)
//   POST /push.v1.PusherService/Push           Connect unary
//   POST /querier.v1.QuerierService/<Rpc>      Connect unary
//   GET  /ready, /metrics, /api/v1/status/buildinfo
// Request bodies are read up to max_body_bytes (413 beyond), their
// Content-Encoding (gzip) is undone here, bounded by max_decompressed_bytes
// (413 / resource_exhausted beyond: the gzip bomb guard), and a truncated
// or corrupt gzip stream is a 400 — cpp-httplib's own decompression, which
// neither bounds nor checks the end of the stream, is bypassed.
// Thread safety: handlers run on the HTTP server's worker threads; the
// services they call are thread-safe.
#ifndef KILN_SERVER_DAEMON_HTTP_FRONT_DOOR_H_
#define KILN_SERVER_DAEMON_HTTP_FRONT_DOOR_H_

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "server/daemon/authenticator.h"
#include "server/daemon/connect_protocol.h"
#include "server/daemon/ingest_service.h"
#include "server/daemon/querier_service.h"
#include "server/daemon/query_gate.h"
#include "server/daemon/render_service.h"
#include "server/daemon/tenant_rate_limiter.h"
#include "server/daemon/server_metrics.h"

namespace httplib {
class Server;
struct Request;
}

namespace kiln::server {

struct FrontDoorOptions {
  size_t max_body_bytes = size_t{64} << 20;
  size_t max_decompressed_bytes = size_t{128} << 20;
  std::string version = "0.1.0";
  AuthConfig auth;  // none: open, tenants from X-Scope-OrgID
  // Per-tenant ingest rate of request bytes (as received, compressed);
  // 0: unlimited. Over it: 429 with Retry-After.
  double ingest_rate_bytes_per_second = 0;
  double ingest_burst_bytes = 0;
  // Queries running at once (query_gate.h); <= 0: unbounded.
  int max_concurrent_queries = 0;
};

class HttpFrontDoor {
 public:
  // |ingest|, |querier| and |metrics| must outlive the front door. |ready|
  // answers /ready; |gauges| adds scrape-time values to /metrics.
  HttpFrontDoor(const IngestService* ingest, const QuerierService* querier, ServerMetrics* metrics,
                std::function<bool()> ready, std::function<std::vector<GaugeSample>()> gauges,
                FrontDoorOptions options);

  // Registers every route and hook on |server|. The front door must outlive
  // the server's serving.
  void Install(httplib::Server* server);

  // The Connect procedures served, as "/package.Service/Method".
  std::vector<std::string> Procedures() const;

  // A binary OTLP ExportProfilesServiceRequest from another transport
  // (gRPC), authenticated, admitted and stored as over HTTP; the status
  // carries the code of a rejection.
  absl::Status ExportOtlpAuthorized(std::string_view authorization, std::string_view tenant_header,
                                    std::string_view request) const;

 private:
  // Runs one Connect procedure: decoded request in, encoded response out.
  using Procedure = std::function<absl::StatusOr<std::string>(const std::string& tenant, ConnectCodec codec,
                                                              std::string_view body)>;
  // Serves |fn| at /<service>/<method>.
  template <typename Req, typename Resp>
  void AddQuery(const std::string& service, const std::string& method,
                absl::StatusOr<Resp> (QuerierService::*fn)(const std::string&, const Req&) const);
  // Stores a binary OTLP ExportProfilesServiceRequest; the status carries
  // the Connect code of a rejection.
  absl::Status ExportOtlp(const std::string& tenant, std::string_view request) const;
  // The request's tenant (authenticator.h); the status carries the code to
  // answer with (Unauthenticated, PermissionDenied, InvalidArgument).
  absl::StatusOr<std::string> TenantOf(const httplib::Request& req) const;
  // ResourceExhausted (with when to retry) when |tenant| is over its ingest
  // rate; counted as a rejection of |endpoint|.
  absl::Status AdmitIngest(const std::string& tenant, size_t bytes, std::string_view endpoint) const;
  // The ResourceExhausted answer to a request |d| refused.
  absl::Status RateLimited(const std::string& tenant, const TenantRateLimiter::Decision& d) const;

  const IngestService* const ingest_;
  const QuerierService* const querier_;
  const RenderService render_;
  const Authenticator auth_;
  mutable TenantRateLimiter rate_limiter_;
  mutable QueryGate query_gate_;
  ServerMetrics* const metrics_;
  const std::function<bool()> ready_;
  const std::function<std::vector<GaugeSample>()> gauges_;
  const FrontDoorOptions options_;
  std::map<std::string, Procedure, std::less<>> procedures_;
};

}  // namespace kiln::server

#endif  // KILN_SERVER_DAEMON_HTTP_FRONT_DOOR_H_
