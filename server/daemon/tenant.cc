#include "server/daemon/tenant.h"

#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"

namespace kiln::server {

absl::StatusOr<std::string> TenantFromHeader(std::string_view header) {
  if (header.empty()) return std::string(kDefaultTenant);
  constexpr size_t kMaxLength = 150;
  if (header.size() > kMaxLength) {
    return absl::InvalidArgumentError(
        fmt::format("{}: tenant id is {} bytes long; the limit is {}", kTenantHeader, header.size(), kMaxLength));
  }
  if (header == "." || header == "..") {
    return absl::InvalidArgumentError(fmt::format("{}: \"{}\" is not a valid tenant id", kTenantHeader, header));
  }
  for (size_t i = 0; i < header.size(); ++i) {
    const char c = header[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '!' ||
                    c == '-' || c == '_' || c == '.' || c == '*' || c == '\'' || c == '(' || c == ')';
    if (!ok) {
      return absl::InvalidArgumentError(fmt::format(
          "{}: character {:?} at offset {} is not allowed in a tenant id (allowed: A-Z a-z 0-9 ! - _ . * ' ( ))",
          kTenantHeader, std::string(1, c), i));
    }
  }
  return std::string(header);
}

}  // namespace kiln::server
