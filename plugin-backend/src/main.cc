// gpx_kiln_linux_amd64: Kiln's Grafana backend datasource plugin
// (kiln-profiling-datasource). Grafana starts it with no arguments; see
// go_plugin_server.h for the protocol. `--version` prints the version;
// KILN_PLUGIN_TCP=1 listens on TCP instead of a unix socket.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "plugin-backend/src/go_plugin_server.h"

#ifndef KILN_VERSION
#define KILN_VERSION "dev"
#endif

int main(int argc, char** argv) {
  if (argc > 1 && (std::strcmp(argv[1], "--version") == 0 || std::strcmp(argv[1], "-version") == 0)) {
    std::printf("gpx_kiln %s\n", KILN_VERSION);
    return 0;
  }
  kiln::plugin::GoPluginServerOptions options;
  options.version = KILN_VERSION;
  const char* tcp = std::getenv("KILN_PLUGIN_TCP");
  options.tcp = tcp != nullptr && std::strcmp(tcp, "1") == 0;
  return kiln::plugin::ServeGoPlugin(options);
}
