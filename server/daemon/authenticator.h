// Optional authentication of `kiln server` requests, from the config file:
// bearer tokens and basic-auth users, each mapped to the tenant whose data
// it may read and write. With no credentials configured every request is
// let in and its tenant is its X-Scope-OrgID header (tenant.h). With
// credentials, a request must carry one of them (Authorization: Bearer … or
// Basic …) and its tenant is the credential's: an X-Scope-OrgID naming
// another tenant is refused rather than silently ignored. /ready, /metrics
// and the build info stay open (probes and scrapers).
// Thread safety: immutable after construction.
#ifndef KILN_SERVER_DAEMON_AUTHENTICATOR_H_
#define KILN_SERVER_DAEMON_AUTHENTICATOR_H_

#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"

namespace kiln::server {

struct AuthConfig {
  std::map<std::string, std::string> tokens;  // bearer token -> tenant
  // user -> (password, tenant)
  std::map<std::string, std::pair<std::string, std::string>> basic;
  bool enabled() const { return !tokens.empty() || !basic.empty(); }
};

class Authenticator {
 public:
  explicit Authenticator(AuthConfig config) : config_(std::move(config)) {}

  // The request's tenant from its Authorization and X-Scope-OrgID headers
  // ("" when absent). Unauthenticated (401) without a valid credential,
  // PermissionDenied (403) when the header names another tenant,
  // InvalidArgument for a malformed tenant id.
  absl::StatusOr<std::string> TenantOf(std::string_view authorization, std::string_view tenant_header) const;

  bool enabled() const { return config_.enabled(); }

 private:
  const AuthConfig config_;
};

}  // namespace kiln::server

#endif  // KILN_SERVER_DAEMON_AUTHENTICATOR_H_
