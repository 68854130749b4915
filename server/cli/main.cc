// `kiln`: the command-line entry point. Offline subcommands work on files
// with no server; `kiln server` runs the daemon.
#include <iostream>

#include "CLI/CLI.hpp"
#include "server/cli/convert_command.h"
#include "server/cli/diff_command.h"
#include "server/cli/server_command.h"
#include "server/cli/top_command.h"

int main(int argc, char** argv) {
  CLI::App app{"kiln: continuous profiling — import, convert, inspect and compare profiles; `kiln server` runs the daemon"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "kiln 0.1.0");
  int exit_code = 0;
  kiln::cli::AddConvertCommand(&app, &exit_code);
  kiln::cli::AddTopCommand(&app, &exit_code);
  kiln::cli::AddDiffCommand(&app, &exit_code);
  kiln::cli::AddServerCommand(&app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}
