// Server mode: a `kiln server` (or anything serving Pyroscope's querier.v1
// over Connect) asked over HTTP with binary protobuf bodies, plus Kiln's own
// kiln.profiles.v1 for profile lists and function metrics.
#ifndef KILN_PLUGIN_BACKEND_SRC_SERVER_BACKEND_H_
#define KILN_PLUGIN_BACKEND_SRC_SERVER_BACKEND_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "plugin-backend/src/profile_backend.h"

namespace kiln::plugin {

struct ServerBackendOptions {
  std::string url;           // http://host:port[/prefix]
  std::string bearer_token;  // Authorization: Bearer …
  std::string basic_user;    // Authorization: Basic … when set
  std::string basic_password;
  std::string tenant;        // X-Scope-OrgID when set
  absl::Duration timeout = absl::Seconds(30);
};

// InvalidArgument when |url| is not an http:// or https:// URL. Nothing is
// sent until the first call: an unreachable server fails each call with
// Unavailable, naming the URL.
absl::StatusOr<std::unique_ptr<ProfileBackend>> OpenServerBackend(const ServerBackendOptions& options);

}  // namespace kiln::plugin

#endif  // KILN_PLUGIN_BACKEND_SRC_SERVER_BACKEND_H_
