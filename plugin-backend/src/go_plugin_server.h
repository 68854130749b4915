// Serves the plugin the way hashicorp/go-plugin's Serve does, so Grafana
// can start it (../shared/design/grafana-plugin.md §1):
//  1. refuses to run unless grafana_plugin_type=datasource (the magic
//     cookie) and protocol version 2 is offered;
//  2. listens on a fresh unix socket (PLUGIN_UNIX_SOCKET_DIR or $TMPDIR), or
//     on a free 127.0.0.1 port with |tcp| (go-plugin's Windows way);
//  3. registers grpc.health.v1 ("plugin" = SERVING), the controller and the
//     pluginv2 services, accepting messages of up to 64 MiB;
//  4. prints the handshake line `1|2|unix|<path>|grpc` and flushes;
//  5. runs until the host's Shutdown RPC or SIGTERM (SIGINT is ignored, as
//     Grafana's terminal Ctrl-C reaches its plugins too), then stops within
//     a second and removes the socket.
#ifndef KILN_PLUGIN_BACKEND_SRC_GO_PLUGIN_SERVER_H_
#define KILN_PLUGIN_BACKEND_SRC_GO_PLUGIN_SERVER_H_

#include <string>

namespace kiln::plugin {

struct GoPluginServerOptions {
  bool tcp = false;
  std::string version;
};

// Returns the process exit code.
int ServeGoPlugin(const GoPluginServerOptions& options);

}  // namespace kiln::plugin

#endif  // KILN_PLUGIN_BACKEND_SRC_GO_PLUGIN_SERVER_H_
