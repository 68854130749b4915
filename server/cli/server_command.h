// `kiln server --data-dir DIR [--http-addr HOST:PORT] [limits…]`: the
// Pyroscope-compatible daemon on the embedded store. Runs until SIGTERM or
// SIGINT, then answers the requests in flight, flushes the open segment and
// exits 0. Logs are logfmt lines on stderr.
#ifndef KILN_SERVER_CLI_SERVER_COMMAND_H_
#define KILN_SERVER_CLI_SERVER_COMMAND_H_

#include "CLI/CLI.hpp"

namespace kiln::cli {

// Adds the subcommand to |app|; its callback stores the exit code in |*exit_code|.
void AddServerCommand(CLI::App* app, int* exit_code);

}  // namespace kiln::cli

#endif  // KILN_SERVER_CLI_SERVER_COMMAND_H_
