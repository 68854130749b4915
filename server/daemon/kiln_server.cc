#include "server/daemon/kiln_server.h"

#include <fcntl.h>
#include <grpcpp/grpcpp.h>
#include <httplib.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>

#include "absl/time/clock.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/storage/local_metastore.h"
#include "kiln/storage/local_object_store.h"
#include "server/daemon/http_front_door.h"
#include "server/daemon/ingest_service.h"
#include "server/daemon/otlp_grpc_service.h"
#include "server/daemon/querier_service.h"
#include "server/daemon/server_metrics.h"
#include "server/daemon/structured_log.h"

namespace kiln::server {

KilnServer::KilnServer(ServerOptions options) : options_(std::move(options)) {}

absl::StatusOr<std::unique_ptr<KilnServer>> KilnServer::Open(ServerOptions options) {
  if (options.data_dir.empty()) return absl::InvalidArgumentError("--data-dir is required");
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        fmt::format("cannot create the data directory {}: {}", options.data_dir, ec.message()));
  }
  std::unique_ptr<KilnServer> server(new KilnServer(std::move(options)));
  const ServerOptions& o = server->options_;

  // One daemon per data directory: two would interleave metastore commits.
  const std::string lock_path = o.data_dir + "/kiln.lock";
  server->lock_fd_ = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (server->lock_fd_ < 0) {
    return absl::FailedPreconditionError(fmt::format("cannot open {}: {}", lock_path, std::strerror(errno)));
  }
  if (flock(server->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    return absl::FailedPreconditionError(
        fmt::format("the data directory {} is in use by another kiln process (lock {})", o.data_dir, lock_path));
  }

  storage::LocalObjectStoreOptions store_options;
  store_options.sync = o.sync;
  auto store = storage::OpenLocalObjectStore(o.data_dir + "/objects", store_options);
  if (!store.ok()) return store.status();
  server->store_ = *std::move(store);
  storage::LocalMetastoreOptions meta_options;
  meta_options.sync = o.sync;
  auto metastore = storage::OpenLocalMetastore(o.data_dir + "/meta", server->store_.get(), meta_options);
  if (!metastore.ok()) return metastore.status();
  server->metastore_ = *std::move(metastore);

  server->writer_ = std::make_unique<storage::SegmentWriter>(server->store_.get(), server->metastore_.get(), o.writer);
  server->engine_ = std::make_unique<QueryEngine>(server->store_.get(), server->metastore_.get(), o.query);
  server->metrics_ = std::make_unique<ServerMetrics>();
  IngestServiceOptions ingest_options;
  ingest_options.max_decompressed_bytes = o.max_decompressed_bytes;
  ingest_options.limits = o.writer.limits;
  server->ingest_ = std::make_unique<IngestService>(server->writer_.get(), ingest_options, server->metrics_.get());
  server->querier_ = std::make_unique<QuerierService>(server->engine_.get());

  KilnServer* self = server.get();
  FrontDoorOptions door_options;
  door_options.max_body_bytes = o.max_body_bytes;
  door_options.max_decompressed_bytes = o.max_decompressed_bytes;
  door_options.auth = o.auth;
  door_options.ingest_rate_bytes_per_second = o.ingest_rate_bytes_per_second;
  door_options.ingest_burst_bytes = o.ingest_burst_bytes;
  door_options.max_concurrent_queries = o.max_concurrent_queries;
  server->front_door_ = std::make_unique<HttpFrontDoor>(
      server->ingest_.get(), server->querier_.get(), server->metrics_.get(),
      [self] { return self->serving_.load(); },
      [self] {
        std::vector<GaugeSample> g;
        const storage::SegmentWriterStats ws = self->writer_->stats();
        g.push_back({"kiln_segments_written_total", "Segments written by the segment writer.", "counter", {},
                     static_cast<double>(ws.segments)});
        g.push_back({"kiln_segment_bytes_written_total", "Bytes of segments written.", "counter", {},
                     static_cast<double>(ws.segment_bytes)});
        g.push_back({"kiln_segment_rows_written_total", "Profile rows written into segments.", "counter", {},
                     static_cast<double>(ws.profiles)});
        g.push_back({"kiln_segments_failed_total", "Segments whose upload or commit failed.", "counter", {},
                     static_cast<double>(ws.failed_segments)});
        std::map<uint32_t, std::pair<double, double>> by_level;
        for (const auto& b : self->metastore_->ListBlocks()) {
          auto& [count, bytes] = by_level[b->level()];
          count += 1;
          bytes += static_cast<double>(b->size());
        }
        for (const auto& [level, cb] : by_level) {
          g.push_back({"kiln_store_blocks", "Visible blocks in the store, by compaction level.", "gauge",
                       {{"level", std::to_string(level)}}, cb.first});
        }
        for (const auto& [level, cb] : by_level) {
          g.push_back({"kiln_store_bytes", "Bytes of visible blocks in the store, by compaction level.", "gauge",
                       {{"level", std::to_string(level)}}, cb.second});
        }
        absl::MutexLock lock(&self->compaction_mu_);
        const storage::CompactionStats& cs = self->compaction_stats_;
        g.push_back({"kiln_compaction_jobs_total", "Compaction jobs run.", "counter", {}, double(cs.jobs)});
        g.push_back({"kiln_compaction_input_bytes_total", "Bytes read by compaction.", "counter", {},
                     double(cs.input_bytes)});
        g.push_back({"kiln_compaction_output_bytes_total", "Bytes written by compaction.", "counter", {},
                     double(cs.output_bytes)});
        g.push_back({"kiln_compaction_duplicate_profiles_total", "Duplicate profile rows dropped by compaction.",
                     "counter", {}, double(cs.duplicate_profiles)});
        g.push_back({"kiln_objects_deleted_total", "Objects deleted by garbage collection.", "counter", {},
                     double(cs.deleted_objects)});
        g.push_back({"kiln_blocks_expired_total", "Blocks tombstoned by retention.", "counter", {},
                     double(cs.expired_blocks)});
        g.push_back({"kiln_compaction_errors_total", "Compaction, garbage collection or retention passes that failed.",
                     "counter", {}, double(self->compaction_errors_)});
        return g;
      },
      door_options);

  if (o.tls_cert_file.empty() != o.tls_key_file.empty()) {
    return absl::InvalidArgumentError("TLS needs both --tls-cert-file and --tls-key-file");
  }
  if (o.tls_cert_file.empty()) {
    server->http_ = std::make_unique<httplib::Server>();
  } else {
    auto tls = std::make_unique<httplib::SSLServer>(o.tls_cert_file.c_str(), o.tls_key_file.c_str());
    if (!tls->is_valid()) {
      return absl::InvalidArgumentError(fmt::format(
          "cannot use the TLS certificate {} with the key {} (unreadable, not PEM, or not a pair)", o.tls_cert_file,
          o.tls_key_file));
    }
    server->http_ = std::move(tls);
  }
  const int threads = std::max(1, o.http_threads);
  server->http_->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  server->http_->set_keep_alive_max_count(1000);
  // Answers are written in pieces (headers, then body); with Nagle on, a
  // keep-alive client waits for a delayed ACK before the body arrives.
  server->http_->set_tcp_nodelay(true);
  server->http_->set_read_timeout(30, 0);
  server->http_->set_write_timeout(30, 0);
  server->front_door_->Install(server->http_.get());

  server->compactor_thread_ = std::thread([self] { self->CompactionLoop(); });
  return server;
}

KilnServer::~KilnServer() {
  if (compactor_thread_.joinable() || writer_) (void)Shutdown();
  if (lock_fd_ >= 0) close(lock_fd_);
}

absl::StatusOr<int> KilnServer::Bind() {
  // cpp-httplib listens with a backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG,
  // fixed when Debian built the library): 50 clients connecting at once
  // overflow it, and the kernel drops their handshakes, which clients see as
  // reset connections a second later. The socket is remembered here (the
  // library's own options applied first) and listened on again, with a
  // backlog the kernel caps at net.core.somaxconn, once bound.
  int listen_fd = -1;
  http_->set_socket_options([&listen_fd](socket_t sock) {
    httplib::default_socket_options(sock);
    listen_fd = sock;
  });
  int port = options_.http_port;
  if (port == 0) {
    port = http_->bind_to_any_port(options_.http_host);
    if (port < 0) port = 0;
  } else if (!http_->bind_to_port(options_.http_host, port)) {
    port = 0;
  }
  http_->set_socket_options(httplib::default_socket_options);  // the lambda's capture ends here
  if (port <= 0) {
    return absl::UnavailableError(fmt::format("cannot listen on {}:{} (in use, or not an address of this machine)",
                                              options_.http_host, options_.http_port));
  }
  if (listen_fd >= 0 && ::listen(listen_fd, 1024) != 0) {
    Log(LogLevel::kWarn, "cannot raise the listen backlog", {{"err", std::strerror(errno)}});
  }
  if (options_.grpc_port >= 0) {
    otlp_grpc_ = std::make_unique<OtlpGrpcService>(front_door_.get());
    grpc::ServerBuilder builder;
    const std::string host = options_.grpc_host.find(':') != std::string::npos ? "[" + options_.grpc_host + "]"
                                                                               : options_.grpc_host;
    builder.AddListeningPort(fmt::format("{}:{}", host, options_.grpc_port), grpc::InsecureServerCredentials(),
                             &grpc_port_);
    builder.SetMaxReceiveMessageSize(static_cast<int>(std::min<size_t>(options_.max_body_bytes, INT32_MAX)));
    builder.RegisterService(otlp_grpc_.get());
    grpc_ = builder.BuildAndStart();
    if (!grpc_ || grpc_port_ <= 0) {
      grpc_.reset();
      return absl::UnavailableError(fmt::format("cannot listen for gRPC on {}:{} (in use, or not an address of "
                                                "this machine)",
                                                options_.grpc_host, options_.grpc_port));
    }
  }
  return port;
}

absl::Status KilnServer::Serve() {
  serving_ = true;
  const bool ok = http_->listen_after_bind();
  serving_ = false;
  if (!ok) return absl::UnavailableError("the HTTP listener stopped with an error");
  return absl::OkStatus();
}

void KilnServer::Stop() {
  serving_ = false;
  http_->stop();
  // Once (Stop is repeated until Serve returns); calls in flight get a
  // second to finish.
  if (grpc_) {
    std::call_once(grpc_stopped_, [this] { grpc_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1)); });
  }
}

absl::Status KilnServer::Shutdown() {
  {
    absl::MutexLock lock(&compaction_mu_);
    stopping_ = true;
  }
  if (compactor_thread_.joinable()) compactor_thread_.join();
  absl::Status status = absl::OkStatus();
  if (writer_) {
    status = writer_->Flush();
    writer_.reset();  // stops the flush thread
  }
  return status;
}

void KilnServer::CompactionLoop() {
  storage::Compactor compactor(store_.get(), metastore_.get(), options_.compactor);
  for (;;) {
    {
      absl::MutexLock lock(&compaction_mu_);
      auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(compaction_mu_) { return stopping_; };
      compaction_mu_.AwaitWithTimeout(absl::Condition(&stopping), options_.compaction_interval);
      if (stopping_) return;
    }
    storage::CompactionStats stats;
    const absl::Time now = absl::Now();
    const auto t0 = absl::Now();
    absl::Status status = compactor.RunOnce(now, &stats);
    if (status.ok()) status = compactor.EnforceRetention(now, &stats);
    if (status.ok()) status = compactor.CollectGarbage(now, &stats);
    absl::MutexLock lock(&compaction_mu_);
    compaction_stats_.jobs += stats.jobs;
    compaction_stats_.input_blocks += stats.input_blocks;
    compaction_stats_.output_blocks += stats.output_blocks;
    compaction_stats_.input_bytes += stats.input_bytes;
    compaction_stats_.output_bytes += stats.output_bytes;
    compaction_stats_.duplicate_profiles += stats.duplicate_profiles;
    compaction_stats_.deleted_objects += stats.deleted_objects;
    compaction_stats_.expired_blocks += stats.expired_blocks;
    if (!status.ok()) {
      ++compaction_errors_;
      Log(LogLevel::kError, "compaction failed", {{"err", std::string(status.message())}});
    } else if (stats.jobs > 0 || stats.deleted_objects > 0 || stats.expired_blocks > 0) {
      Log(LogLevel::kInfo, "compaction",
          {{"jobs", std::to_string(stats.jobs)},
           {"blocks", fmt::format("{}->{}", stats.input_blocks, stats.output_blocks)},
           {"bytes", fmt::format("{}->{}", stats.input_bytes, stats.output_bytes)},
           {"deleted_objects", std::to_string(stats.deleted_objects)},
           {"expired_blocks", std::to_string(stats.expired_blocks)},
           {"duration", absl::FormatDuration(absl::Now() - t0)}});
    }
  }
}

}  // namespace kiln::server
