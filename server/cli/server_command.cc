#include "server/cli/server_command.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstring>
#include <memory>
#include <thread>

#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "server/cli/server_config_file.h"
#include "server/daemon/kiln_server.h"
#include "server/daemon/structured_log.h"

namespace kiln::cli {
namespace {

using server::Log;
using server::LogLevel;

struct ServerArgs {
  std::string data_dir;
  std::string http_addr = "127.0.0.1:4040";
  std::string grpc_addr = "127.0.0.1:4317";
  std::string tls_cert_file;
  std::string tls_key_file;
  int http_threads = 32;
  uint64_t max_body_bytes = uint64_t{64} << 20;
  uint64_t max_decompressed_bytes = uint64_t{128} << 20;
  uint64_t max_samples_per_profile = 65536;
  uint32_t max_labels_per_series = 30;
  uint64_t max_series_per_tenant = 100000;
  int64_t segment_duration_ms = 500;
  int64_t compaction_interval_s = 10;
  int64_t retention_hours = 24 * 31;
  double ingest_rate_mb = 0;
  double ingest_burst_mb = 0;
  // Half the cores (at least one): a query fans out over every core by
  // itself, and ingest acknowledgements need CPU while dashboards refresh.
  int max_concurrent_queries = std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / 2);
  std::string log_level = "info";
  std::string config;
};

// HOST:PORT, [IPv6]:PORT or :PORT (all interfaces).
bool ParseAddr(const std::string& addr, std::string* host, int* port) {
  const size_t colon = addr.rfind(':');
  if (colon == std::string::npos) return false;
  std::string h = addr.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (h.empty()) h = "0.0.0.0";
  int p = -1;
  const char* b = addr.data() + colon + 1;
  const char* e = addr.data() + addr.size();
  auto [end, ec] = std::from_chars(b, e, p);
  if (ec != std::errc() || end != e || p < 0 || p > 65535) return false;
  *host = h;
  *port = p;
  return true;
}

int RunServer(const ServerArgs& args) {
  if (args.log_level == "debug") server::SetMinLogLevel(LogLevel::kDebug);
  else if (args.log_level == "warn") server::SetMinLogLevel(LogLevel::kWarn);
  else if (args.log_level == "error") server::SetMinLogLevel(LogLevel::kError);

  server::ServerOptions options;
  options.data_dir = args.data_dir;
  if (!ParseAddr(args.http_addr, &options.http_host, &options.http_port)) {
    Log(LogLevel::kError, "bad --http-addr: expected HOST:PORT", {{"http_addr", args.http_addr}});
    return 2;
  }
  if (args.grpc_addr == "off") {
    options.grpc_port = -1;
  } else if (!ParseAddr(args.grpc_addr, &options.grpc_host, &options.grpc_port)) {
    Log(LogLevel::kError, "bad --grpc-addr: expected HOST:PORT or off", {{"grpc_addr", args.grpc_addr}});
    return 2;
  }
  options.http_threads = args.http_threads;
  options.tls_cert_file = args.tls_cert_file;
  options.tls_key_file = args.tls_key_file;
  options.max_body_bytes = args.max_body_bytes;
  options.max_decompressed_bytes = args.max_decompressed_bytes;
  options.writer.segment_duration = absl::Milliseconds(std::max<int64_t>(1, args.segment_duration_ms));
  options.writer.limits.max_samples_per_profile = args.max_samples_per_profile;
  options.writer.limits.max_labels_per_series = args.max_labels_per_series;
  options.writer.limits.max_series_per_tenant = args.max_series_per_tenant;
  options.compaction_interval = absl::Seconds(std::max<int64_t>(1, args.compaction_interval_s));
  options.compactor.retention = absl::Hours(args.retention_hours);
  options.max_concurrent_queries = args.max_concurrent_queries;
  options.ingest_rate_bytes_per_second = args.ingest_rate_mb * 1e6;
  options.ingest_burst_bytes = std::max(args.ingest_burst_mb, args.ingest_rate_mb) * 1e6;
  if (!args.config.empty()) {
    auto auth = ReadAuthSection(args.config);
    if (!auth.ok()) {
      Log(LogLevel::kError, "bad config file", {{"config", args.config}, {"err", std::string(auth.status().message())}});
      return 2;
    }
    options.auth = *std::move(auth);
  }

  // Signals are taken by one thread (sigwait); every other thread, including
  // those the server starts, has them blocked.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A client that hangs up mid-response must not kill the daemon.
  signal(SIGPIPE, SIG_IGN);

  auto opened = server::KilnServer::Open(options);
  if (!opened.ok()) {
    Log(LogLevel::kError, "cannot start", {{"data_dir", args.data_dir}, {"err", std::string(opened.status().message())}});
    return 1;
  }
  std::unique_ptr<server::KilnServer> daemon = *std::move(opened);
  auto port = daemon->Bind();
  if (!port.ok()) {
    Log(LogLevel::kError, "cannot listen", {{"http_addr", args.http_addr}, {"err", std::string(port.status().message())}});
    return 1;
  }

  std::atomic<bool> served{false};
  std::thread signal_thread([&] {
    timespec tick{0, 100 * 1000 * 1000};
    bool stopping = false;
    while (!served.load()) {
      const int sig = sigtimedwait(&signals, nullptr, &tick);
      if (sig > 0 && stopping) {
        Log(LogLevel::kWarn, "second signal: exiting without flushing", {{"signal", strsignal(sig)}});
        _exit(2);
      }
      if (sig > 0) {
        Log(LogLevel::kInfo, "shutting down", {{"signal", strsignal(sig)}});
        stopping = true;
      }
      // Repeated until Serve() returns: a stop that races the listener's
      // start would otherwise be lost.
      if (stopping) daemon->Stop();
    }
  });

  const std::string host = options.http_host.find(':') != std::string::npos ? "[" + options.http_host + "]"
                                                                              : options.http_host;
  const std::string grpc_host =
      options.grpc_host.find(':') != std::string::npos ? "[" + options.grpc_host + "]" : options.grpc_host;
  Log(LogLevel::kInfo, "listening",
      {{"http_addr", fmt::format("{}:{}", host, *port)},
       {"grpc_addr", daemon->grpc_port() < 0 ? "off" : fmt::format("{}:{}", grpc_host, daemon->grpc_port())},
       {"tls", options.tls_cert_file.empty() ? "off" : "on"},
       {"data_dir", args.data_dir},
       {"version", "0.1.0"}});
  const absl::Status served_status = daemon->Serve();
  served = true;
  signal_thread.join();
  int code = 0;
  if (!served_status.ok()) {
    Log(LogLevel::kError, "serving failed", {{"err", std::string(served_status.message())}});
    code = 1;
  }
  if (absl::Status s = daemon->Shutdown(); !s.ok()) {
    Log(LogLevel::kError, "flushing the open segment failed", {{"err", std::string(s.message())}});
    code = 1;
  }
  daemon.reset();
  Log(LogLevel::kInfo, "stopped", {{"exit_code", std::to_string(code)}});
  return code;
}

}  // namespace

void AddServerCommand(CLI::App* app, int* exit_code) {
  auto args = std::make_shared<ServerArgs>();
  CLI::App* cmd = app->add_subcommand(
      "server", "Run the Pyroscope-compatible daemon: /ingest, push.v1 and querier.v1 over HTTP (see docs/api.md)");
  cmd->add_option("--data-dir", args->data_dir, "Directory of the embedded store (created if missing)");
  cmd->add_option("--http-addr", args->http_addr, "Address to listen on, HOST:PORT (port 0: any free port)")
      ->capture_default_str();
  cmd->add_option("--grpc-addr", args->grpc_addr,
                  "OTLP profiles over gRPC (ProfilesService/Export): HOST:PORT, port 0 for any free port, or off")
      ->capture_default_str();
  cmd->add_option("--tls-cert-file", args->tls_cert_file, "Serve HTTPS with this PEM certificate (with --tls-key-file)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--tls-key-file", args->tls_key_file, "The PEM private key of --tls-cert-file")
      ->check(CLI::ExistingFile);
  cmd->add_option("--http-threads", args->http_threads, "Request worker threads")->capture_default_str();
  cmd->add_option("--max-body-bytes", args->max_body_bytes, "Largest request body accepted (413 beyond)")
      ->capture_default_str();
  cmd->add_option("--max-decompressed-bytes", args->max_decompressed_bytes,
                  "Largest size a gzip body or profile may decompress to (413 / resource_exhausted beyond)")
      ->capture_default_str();
  cmd->add_option("--max-samples-per-profile", args->max_samples_per_profile, "0: unlimited")
      ->capture_default_str();
  cmd->add_option("--max-labels-per-series", args->max_labels_per_series, "0: unlimited")->capture_default_str();
  cmd->add_option("--max-series-per-tenant", args->max_series_per_tenant,
                  "Active series per tenant per hour; 0: unlimited")
      ->capture_default_str();
  cmd->add_option("--segment-duration-ms", args->segment_duration_ms,
                  "How often the open segment is written (acknowledgement latency)")
      ->capture_default_str();
  cmd->add_option("--compaction-interval-s", args->compaction_interval_s, "How often the compactor looks for work")
      ->capture_default_str();
  cmd->add_option("--retention-hours", args->retention_hours, "Data older than this is deleted; 0: keep forever")
      ->capture_default_str();
  cmd->add_option("--ingest-rate-mb", args->ingest_rate_mb,
                  "Per-tenant ingest rate, MB/s of request bytes (429 beyond); 0: unlimited")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--ingest-burst-mb", args->ingest_burst_mb,
                  "Per-tenant ingest burst, MB (at least the rate)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--max-concurrent-queries", args->max_concurrent_queries,
                  "Queries run at once, the rest wait their turn (keeps CPU for ingest); 0: unbounded")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--log-level", args->log_level, "debug, info, warn or error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
      ->capture_default_str();
  // Every flag above may also be set in a YAML file (server_config_file.h),
  // which also holds the credentials (auth: tokens, basic); flags win.
  cmd->add_option("--config", args->config,
                  "YAML file with any of these flags (key = flag without the dashes) and an auth section")
      ->check(CLI::ExistingFile);
  // --data-dir may come from the file: checked once the file is applied.
  cmd->callback([cmd, args, exit_code] {
    if (!args->config.empty()) {
      if (absl::Status s = ApplyConfigFile(cmd, args->config); !s.ok()) {
        Log(LogLevel::kError, "bad config file", {{"err", std::string(s.message())}});
        *exit_code = 2;
        return;
      }
    }
    if (args->data_dir.empty()) {
      Log(LogLevel::kError, "--data-dir is required (on the command line or as data-dir in --config)");
      *exit_code = 2;
      return;
    }
    *exit_code = RunServer(*args);
  });
}

}  // namespace kiln::cli
