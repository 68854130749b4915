// Tenancy: the tenant of a request is its X-Scope-OrgID header (Grafana's
// convention, as Pyroscope reads it), `anonymous` when absent. Tenant ids
// become part of object keys (blocks/<shard>/<tenant>/...), so they are
// validated like Pyroscope's (dskit's) tenant ids: at most 150 bytes of
// [A-Za-z0-9!-_.*'()], and not "." or "..".
#ifndef KILN_SERVER_DAEMON_TENANT_H_
#define KILN_SERVER_DAEMON_TENANT_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace kiln::server {

inline constexpr std::string_view kTenantHeader = "X-Scope-OrgID";
inline constexpr std::string_view kDefaultTenant = "anonymous";

// |header| is the header's value ("" when absent). InvalidArgument says
// which character or length is wrong.
absl::StatusOr<std::string> TenantFromHeader(std::string_view header);

}  // namespace kiln::server

#endif  // KILN_SERVER_DAEMON_TENANT_H_
