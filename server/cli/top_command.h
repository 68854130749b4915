// `kiln top INPUT [--sample-type T] [--nodecount N]`: a flat/cum table like
// `go tool pprof -top`.
#ifndef KILN_SERVER_CLI_TOP_COMMAND_H_
#define KILN_SERVER_CLI_TOP_COMMAND_H_

#include "CLI/CLI.hpp"

namespace kiln::cli {

void AddTopCommand(CLI::App* app, int* exit_code);

}  // namespace kiln::cli

#endif  // KILN_SERVER_CLI_TOP_COMMAND_H_
