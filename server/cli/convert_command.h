// `kiln convert INPUT --to collapsed|pprof|speedscope [--sample-type T] [-o OUT]`
#ifndef KILN_SERVER_CLI_CONVERT_COMMAND_H_
#define KILN_SERVER_CLI_CONVERT_COMMAND_H_

#include "CLI/CLI.hpp"

namespace kiln::cli {

// Adds the subcommand to |app|; its callback stores the exit code in |*exit_code|.
void AddConvertCommand(CLI::App* app, int* exit_code);

}  // namespace kiln::cli

#endif  // KILN_SERVER_CLI_CONVERT_COMMAND_H_
