// `kiln diff BASE NEW [--sample-type T] [--nodecount N]`: the functions
// whose share of the total changed most between two profiles.
#ifndef KILN_SERVER_CLI_DIFF_COMMAND_H_
#define KILN_SERVER_CLI_DIFF_COMMAND_H_

#include "CLI/CLI.hpp"

namespace kiln::cli {

void AddDiffCommand(CLI::App* app, int* exit_code);

}  // namespace kiln::cli

#endif  // KILN_SERVER_CLI_DIFF_COMMAND_H_
