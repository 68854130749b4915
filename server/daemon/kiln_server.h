// The `kiln server` daemon: the embedded store (local object store +
// metastore under one data directory), the segment writer, a background
// compactor, the query engine, and the HTTP front door on one port.
//
// Lifecycle: Open() takes the data directory (an exclusive lock: one
// daemon per directory), opens the stores and starts the segment writer and
// the compactor thread; Bind() binds the port; Serve() answers requests
// until Stop(); Shutdown() then stops the compactor and flushes the open
// segment, so every acknowledged profile is on disk and every request still
// in flight got its answer.
// Thread safety: Stop() may be called from any thread (a signal thread);
// the other methods from the thread that owns the server, in order.
#ifndef KILN_SERVER_DAEMON_KILN_SERVER_H_
#define KILN_SERVER_DAEMON_KILN_SERVER_H_

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "kiln/query/query_engine.h"
#include "kiln/storage/compactor.h"
#include "kiln/storage/segment_writer.h"
#include "server/daemon/authenticator.h"

namespace grpc {
class Server;
}
namespace httplib {
class Server;
}

namespace kiln::server {

class HttpFrontDoor;
class OtlpGrpcService;
class IngestService;
class QuerierService;
class ServerMetrics;

struct ServerOptions {
  std::string data_dir;
  std::string http_host = "127.0.0.1";
  int http_port = 4040;  // 0: any free port (Bind() says which)
  int http_threads = 32;
  // HTTPS with this PEM certificate (chain) and key; both empty: plain HTTP.
  std::string tls_cert_file;
  std::string tls_key_file;
  // OTLP profiles over gRPC (otlp_grpc_service.h); grpc_port < 0: off,
  // 0: any free port.
  std::string grpc_host = "127.0.0.1";
  int grpc_port = 4317;
  size_t max_body_bytes = size_t{64} << 20;
  size_t max_decompressed_bytes = size_t{128} << 20;
  storage::SegmentWriterOptions writer;
  storage::CompactorOptions compactor;
  absl::Duration compaction_interval = absl::Seconds(10);
  QueryLimits query;
  bool sync = true;  // fsync objects and the metastore journal
  AuthConfig auth;   // none: open, tenants from X-Scope-OrgID
  double ingest_rate_bytes_per_second = 0;  // per tenant; 0: unlimited
  double ingest_burst_bytes = 0;
  int max_concurrent_queries = 0;  // <= 0: unbounded
};

class KilnServer {
 public:
  static absl::StatusOr<std::unique_ptr<KilnServer>> Open(ServerOptions options);
  ~KilnServer();
  KilnServer(const KilnServer&) = delete;
  KilnServer& operator=(const KilnServer&) = delete;

  // Binds the HTTP port and starts the gRPC listener (which serves at
  // once); returns the HTTP port bound (useful with port 0).
  absl::StatusOr<int> Bind();
  // The gRPC port bound by Bind(); -1 when gRPC is off.
  int grpc_port() const { return grpc_port_; }
  // Serves until Stop(); fails when the listener cannot run.
  absl::Status Serve();
  // Makes Serve() return once requests in flight are answered.
  void Stop();
  // Stops the compactor and flushes the open segment. Call after Serve().
  absl::Status Shutdown();

 private:
  explicit KilnServer(ServerOptions options);
  void CompactionLoop();

  const ServerOptions options_;
  int lock_fd_ = -1;
  std::unique_ptr<storage::ObjectStore> store_;
  std::unique_ptr<storage::Metastore> metastore_;
  std::unique_ptr<storage::SegmentWriter> writer_;
  std::unique_ptr<QueryEngine> engine_;
  std::unique_ptr<ServerMetrics> metrics_;
  std::unique_ptr<IngestService> ingest_;
  std::unique_ptr<QuerierService> querier_;
  std::unique_ptr<HttpFrontDoor> front_door_;
  std::unique_ptr<httplib::Server> http_;
  std::unique_ptr<OtlpGrpcService> otlp_grpc_;
  std::unique_ptr<grpc::Server> grpc_;
  int grpc_port_ = -1;
  std::once_flag grpc_stopped_;
  std::atomic<bool> serving_{false};

  absl::Mutex compaction_mu_;
  bool stopping_ ABSL_GUARDED_BY(compaction_mu_) = false;
  storage::CompactionStats compaction_stats_ ABSL_GUARDED_BY(compaction_mu_);
  uint64_t compaction_errors_ ABSL_GUARDED_BY(compaction_mu_) = 0;
  std::thread compactor_thread_;
};

}  // namespace kiln::server

#endif  // KILN_SERVER_DAEMON_KILN_SERVER_H_
