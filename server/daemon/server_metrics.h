// The daemon's metrics, served at /metrics in Prometheus' text exposition
// format (version 0.0.4): counters of ingested and rejected data, the time
// writes wait for their segment to become durable, query latency per RPC,
// HTTP requests per route and status, and gauges read when scraped (store
// sizes, segment writer and compactor totals).
// Thread safety: every method may be called concurrently.
#ifndef KILN_SERVER_DAEMON_SERVER_METRICS_H_
#define KILN_SERVER_DAEMON_SERVER_METRICS_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace kiln::server {

// A value computed when /metrics is scraped.
struct GaugeSample {
  std::string name;  // full metric name, e.g. kiln_store_blocks
  std::string help;
  std::string type;  // "gauge" or "counter"
  std::vector<std::pair<std::string, std::string>> labels;
  double value = 0;
};

class ServerMetrics {
 public:
  ServerMetrics();

  // |endpoint|: "ingest" (/ingest) or "push" (push.v1).
  void AddReceivedBytes(std::string_view endpoint, uint64_t bytes);
  void AddIngestedProfiles(std::string_view endpoint, uint64_t profiles);
  // |reason|: body_too_large, decompressed_too_large, bad_request,
  // unsupported_media_type, invalid_profile, limits, storage_error, …
  void AddRejected(std::string_view endpoint, std::string_view reason);
  void ObserveWriteWait(double seconds);
  void ObserveQuery(std::string_view method, double seconds, bool ok);
  void AddHttpRequest(std::string_view route, int status);

  // The exposition text: the families above, then |gauges|.
  std::string Render(const std::vector<GaugeSample>& gauges) const;

 private:
  struct Histogram {
    std::vector<uint64_t> buckets;  // cumulative counts are computed when rendering
    uint64_t count = 0;
    double sum = 0;
  };
  using Labels = std::vector<std::pair<std::string, std::string>>;

  static void Observe(const std::vector<double>& bounds, Histogram* h, double v);

  mutable absl::Mutex mu_;
  std::map<Labels, double> received_bytes_ ABSL_GUARDED_BY(mu_);
  std::map<Labels, double> ingested_profiles_ ABSL_GUARDED_BY(mu_);
  std::map<Labels, double> rejected_ ABSL_GUARDED_BY(mu_);
  std::map<Labels, double> http_requests_ ABSL_GUARDED_BY(mu_);
  std::map<Labels, double> query_errors_ ABSL_GUARDED_BY(mu_);
  std::map<Labels, Histogram> write_wait_ ABSL_GUARDED_BY(mu_);
  std::map<Labels, Histogram> query_duration_ ABSL_GUARDED_BY(mu_);
  const std::vector<double> write_wait_bounds_;
  const std::vector<double> query_bounds_;
};

// Escapes a label value for the exposition format (\\, \", \n).
std::string EscapeLabelValue(std::string_view v);

}  // namespace kiln::server

#endif  // KILN_SERVER_DAEMON_SERVER_METRICS_H_
