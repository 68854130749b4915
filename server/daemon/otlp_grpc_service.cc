#include "server/daemon/otlp_grpc_service.h"

#include <string>

namespace kiln::server {
namespace {

std::string Metadata(const grpc::ServerContext& context, const char* key) {
  auto it = context.client_metadata().find(key);
  return it == context.client_metadata().end() ? std::string() : std::string(it->second.data(), it->second.size());
}

}  // namespace

grpc::Status OtlpGrpcService::Export(
    grpc::ServerContext* context,
    const opentelemetry::proto::collector::profiles::v1development::ExportProfilesServiceRequest* request,
    opentelemetry::proto::collector::profiles::v1development::ExportProfilesServiceResponse*) {
  // The importer reads the binary message: one serialization, as the
  // HTTP path receives it.
  const absl::Status s = door_->ExportOtlpAuthorized(Metadata(*context, "authorization"),
                                                     Metadata(*context, "x-scope-orgid"), request->SerializeAsString());
  if (s.ok()) return grpc::Status::OK;
  // Abseil's and gRPC's canonical codes have the same numbers.
  return grpc::Status(static_cast<grpc::StatusCode>(s.code()), std::string(s.message()));
}

}  // namespace kiln::server
