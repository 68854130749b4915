#include "plugin-backend/src/go_plugin_server.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>

#include "absl/strings/str_split.h"
#include "fmt/format.h"
#include "plugin-backend/src/hclog_logger.h"
#include "plugin-backend/src/plugin_services.h"

namespace kiln::plugin {
namespace {

constexpr char kCookieKey[] = "grafana_plugin_type";
constexpr char kCookieValue[] = "datasource";
constexpr int kMaxMessageBytes = 64 << 20;

// Set by the Shutdown RPC or SIGTERM; the main thread waits on it.
// SIGTERM's handler may only store the atomic; the waiting thread also
// wakes every 200 ms to look at it.
struct StopSignal {
  std::mutex mu;
  std::condition_variable cv;
  std::atomic<bool> stop{false};

  void Raise() {
    std::lock_guard<std::mutex> lock(mu);
    stop = true;
    cv.notify_all();
  }
};

StopSignal* g_stop = nullptr;

// A fresh socket path: go-plugin uses os.CreateTemp(dir, "plugin*") and
// removes the file before listening on it.
std::string SocketPath() {
  const char* dir = getenv("PLUGIN_UNIX_SOCKET_DIR");
  if (dir == nullptr || *dir == '\0') dir = getenv("TMPDIR");
  if (dir == nullptr || *dir == '\0') dir = "/tmp";
  std::string pattern = fmt::format("{}/plugin{}XXXXXX", dir, getpid());
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  const int fd = mkstemp(buf.data());
  if (fd < 0) return "";
  close(fd);
  unlink(buf.data());
  return buf.data();
}

}  // namespace

int ServeGoPlugin(const GoPluginServerOptions& options) {
  const char* cookie = getenv(kCookieKey);
  if (cookie == nullptr || std::strcmp(cookie, kCookieValue) != 0) {
    fprintf(stderr,
            "This binary is a plugin. These are not meant to be executed directly.\n"
            "Please execute the program that consumes these plugins, which will\n"
            "load any plugins automatically\n");
    return 1;
  }
  if (const char* versions = getenv("PLUGIN_PROTOCOL_VERSIONS"); versions != nullptr && *versions != '\0') {
    bool offered = false;
    for (absl::string_view v : absl::StrSplit(versions, ',')) offered = offered || v == "2";
    if (!offered) {
      Log(LogLevel::kError, "the host does not offer plugin protocol version 2", {{"offered", versions}});
      return 1;
    }
  }

  PluginState state;
  state.version = options.version;
  StopSignal stop;
  g_stop = &stop;
  DataService data(&state);
  ResourceService resource(&state);
  DiagnosticsService diagnostics(&state);
  ControllerService controller([&stop] { stop.Raise(); });

  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
  builder.SetMaxSendMessageSize(-1);
  std::string network, address, socket_path;
  int port = 0;
  if (options.tcp) {
    network = "tcp";
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  } else {
    network = "unix";
    socket_path = SocketPath();
    if (socket_path.empty()) {
      Log(LogLevel::kError, "cannot create a socket path", {{"error", std::strerror(errno)}});
      return 1;
    }
    address = socket_path;
    builder.AddListeningPort("unix:" + socket_path, grpc::InsecureServerCredentials());
  }
  builder.RegisterService(&data);
  builder.RegisterService(&resource);
  builder.RegisterService(&diagnostics);
  builder.RegisterService(&controller);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || (options.tcp && port == 0)) {
    Log(LogLevel::kError, "the gRPC server did not start", {{"network", network}, {"address", address}});
    return 1;
  }
  if (options.tcp) address = fmt::format("127.0.0.1:{}", port);
  server->GetHealthCheckService()->SetServingStatus("plugin", true);

  signal(SIGINT, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  struct sigaction term {};
  term.sa_handler = [](int) {
    if (g_stop) g_stop->stop = true;
  };
  sigaction(SIGTERM, &term, nullptr);

  fprintf(stdout, "1|2|%s|%s|grpc\n", network.c_str(), address.c_str());
  fflush(stdout);
  Log(LogLevel::kInfo, "kiln plugin serving", {{"version", options.version}, {"network", network}, {"address", address}});

  {
    std::unique_lock<std::mutex> lock(stop.mu);
    while (!stop.stop) stop.cv.wait_for(lock, std::chrono::milliseconds(200));
  }
  // Stop from this thread (never from inside an RPC): in-flight calls get a
  // second to finish, Grafana waits two before killing the process.
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::milliseconds(1000));
  server->Wait();
  if (!socket_path.empty()) unlink(socket_path.c_str());
  Log(LogLevel::kInfo, "kiln plugin stopped");
  return 0;
}

}  // namespace kiln::plugin
