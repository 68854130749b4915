#include "server/daemon/authenticator.h"

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "fmt/format.h"
#include "server/daemon/tenant.h"

namespace kiln::server {
namespace {

// Compares without an early exit, so timing does not tell how much of a
// guessed secret was right.
bool SameSecret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i % (b.empty() ? 1 : b.size())]);
  return diff == 0 && !b.empty();
}

bool StartsWithWord(std::string_view s, std::string_view word) {
  if (s.size() <= word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(word[i]))) return false;
  }
  return s[word.size()] == ' ';
}

}  // namespace

absl::StatusOr<std::string> Authenticator::TenantOf(std::string_view authorization,
                                                    std::string_view tenant_header) const {
  auto from_header = TenantFromHeader(tenant_header);
  if (!from_header.ok()) return from_header.status();
  if (!config_.enabled()) return from_header;

  const std::string* tenant = nullptr;
  if (StartsWithWord(authorization, "Bearer")) {
    const std::string_view token = authorization.substr(7);
    for (const auto& [known, t] : config_.tokens) {
      if (SameSecret(token, known)) tenant = &t;
    }
  } else if (StartsWithWord(authorization, "Basic")) {
    std::string decoded;
    const std::string encoded(authorization.substr(6));
    if (absl::Base64Unescape(encoded, &decoded)) {
      const size_t colon = decoded.find(':');
      if (colon != std::string::npos) {
        auto it = config_.basic.find(decoded.substr(0, colon));
        if (it != config_.basic.end() && SameSecret(std::string_view(decoded).substr(colon + 1), it->second.first)) {
          tenant = &it->second.second;
        }
      }
    }
  }
  if (tenant == nullptr) {
    return absl::UnauthenticatedError(
        authorization.empty() ? "authentication required: send Authorization: Bearer <token> or Basic <user:password>"
                              : "the credentials in Authorization are not valid");
  }
  if (!tenant_header.empty() && *from_header != *tenant) {
    return absl::PermissionDeniedError(
        fmt::format("these credentials are for tenant {:?}, not {:?} (X-Scope-OrgID)", *tenant, *from_header));
  }
  return *tenant;
}

}  // namespace kiln::server
