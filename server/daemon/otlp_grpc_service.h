// OTLP profiles over gRPC (opentelemetry.proto.collector.profiles.
// v1development.ProfilesService/Export), what the OpenTelemetry Collector's
// and the eBPF profiler's OTLP exporters speak by default: the same
// import, authentication, tenancy and limits as OTLP over HTTP, with the
// credentials and tenant taken from the call's `authorization` and
// `x-scope-orgid` metadata. Errors carry the gRPC code of the rejection
// (invalid_argument, unauthenticated, resource_exhausted, unavailable).
// Thread safety: Export may be called concurrently.
#ifndef KILN_SERVER_DAEMON_OTLP_GRPC_SERVICE_H_
#define KILN_SERVER_DAEMON_OTLP_GRPC_SERVICE_H_

#include "opentelemetry/proto/collector/profiles/v1development/profiles_service.grpc.pb.h"
#include "server/daemon/http_front_door.h"

namespace kiln::server {

class OtlpGrpcService final
    : public opentelemetry::proto::collector::profiles::v1development::ProfilesService::Service {
 public:
  // |door| must outlive the service.
  explicit OtlpGrpcService(const HttpFrontDoor* door) : door_(door) {}

  grpc::Status Export(grpc::ServerContext* context,
                      const opentelemetry::proto::collector::profiles::v1development::ExportProfilesServiceRequest* request,
                      opentelemetry::proto::collector::profiles::v1development::ExportProfilesServiceResponse* response)
      override;

 private:
  const HttpFrontDoor* const door_;
};

}  // namespace kiln::server

#endif  // KILN_SERVER_DAEMON_OTLP_GRPC_SERVICE_H_
