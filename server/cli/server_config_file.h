// `kiln server --config FILE`: a YAML file holding any of the server's flags
// as top-level keys (the flag's name without the dashes: `data-dir`,
// `http-addr`, `segment-duration-ms`, ...) plus an `auth` section:
//
//   http-addr: 0.0.0.0:4040
//   data-dir: /var/lib/kiln
//   ingest-rate-mb: 8
//   auth:
//     tokens:
//       - {token: "s3cret", tenant: team-a}
//     basic:
//       - {user: alice, password: "pw", tenant: team-b}
//
// Flags given on the command line win over the file. Unknown keys are
// errors, with the key named, so a typo does not silently fall back to a
// default.
#ifndef KILN_SERVER_CLI_SERVER_CONFIG_FILE_H_
#define KILN_SERVER_CLI_SERVER_CONFIG_FILE_H_

#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "server/daemon/authenticator.h"

namespace kiln::cli {

// Sets the options of |command| that the command line left unset from the
// file at |path|, as if they had been given as flags (validators run).
// InvalidArgument naming the key for YAML that does not parse, a key that is
// no flag, or a value the flag refuses.
absl::Status ApplyConfigFile(CLI::App* command, const std::string& path);

// The `auth` section of the file at |path| (empty when there is none).
// InvalidArgument naming the entry for a credential without a tenant or a
// secret, a duplicate, or a tenant id the server would refuse.
absl::StatusOr<server::AuthConfig> ReadAuthSection(const std::string& path);

}  // namespace kiln::cli

#endif  // KILN_SERVER_CLI_SERVER_CONFIG_FILE_H_
