#include "server/daemon/server_metrics.h"

#include <algorithm>
#include <cmath>

#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"

namespace kiln::server {
namespace {

std::string LabelText(const std::vector<std::pair<std::string, std::string>>& labels,
                      std::string_view extra_name = {}, std::string_view extra_value = {}) {
  std::string out;
  for (const auto& [k, v] : labels) {
    out += out.empty() ? "{" : ",";
    out += fmt::format("{}=\"{}\"", k, EscapeLabelValue(v));
  }
  if (!extra_name.empty()) {
    out += out.empty() ? "{" : ",";
    out += fmt::format("{}=\"{}\"", extra_name, extra_value);
  }
  if (!out.empty()) out += "}";
  return out;
}

std::string FormatValue(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{:.0f}", v);
  return fmt::format("{}", v);
}

void Header(std::string* out, std::string_view name, std::string_view help, std::string_view type) {
  *out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

}  // namespace

std::string EscapeLabelValue(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

ServerMetrics::ServerMetrics()
    : write_wait_bounds_{0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2.5, 5, 10},
      query_bounds_{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30} {}

void ServerMetrics::AddReceivedBytes(std::string_view endpoint, uint64_t bytes) {
  absl::MutexLock lock(&mu_);
  received_bytes_[{{"endpoint", std::string(endpoint)}}] += static_cast<double>(bytes);
}

void ServerMetrics::AddIngestedProfiles(std::string_view endpoint, uint64_t profiles) {
  absl::MutexLock lock(&mu_);
  ingested_profiles_[{{"endpoint", std::string(endpoint)}}] += static_cast<double>(profiles);
}

void ServerMetrics::AddRejected(std::string_view endpoint, std::string_view reason) {
  absl::MutexLock lock(&mu_);
  rejected_[{{"endpoint", std::string(endpoint)}, {"reason", std::string(reason)}}] += 1;
}

void ServerMetrics::Observe(const std::vector<double>& bounds, Histogram* h, double v) {
  if (h->buckets.empty()) h->buckets.assign(bounds.size(), 0);
  const size_t i = std::lower_bound(bounds.begin(), bounds.end(), v) - bounds.begin();
  if (i < bounds.size()) ++h->buckets[i];
  ++h->count;
  h->sum += v;
}

void ServerMetrics::ObserveWriteWait(double seconds) {
  absl::MutexLock lock(&mu_);
  Observe(write_wait_bounds_, &write_wait_[{}], seconds);
}

void ServerMetrics::ObserveQuery(std::string_view method, double seconds, bool ok) {
  absl::MutexLock lock(&mu_);
  Labels labels{{"method", std::string(method)}};
  Observe(query_bounds_, &query_duration_[labels], seconds);
  if (!ok) query_errors_[labels] += 1;
}

void ServerMetrics::AddHttpRequest(std::string_view route, int status) {
  absl::MutexLock lock(&mu_);
  http_requests_[{{"route", std::string(route)}, {"status", std::to_string(status)}}] += 1;
}

std::string ServerMetrics::Render(const std::vector<GaugeSample>& gauges) const {
  std::string out;
  absl::MutexLock lock(&mu_);
  auto counters = [&](std::string_view name, std::string_view help, const std::map<Labels, double>& values) {
    Header(&out, name, help, "counter");
    for (const auto& [labels, v] : values) out += fmt::format("{}{} {}\n", name, LabelText(labels), FormatValue(v));
  };
  auto histograms = [&](std::string_view name, std::string_view help, const std::vector<double>& bounds,
                        const std::map<Labels, Histogram>& values) {
    Header(&out, name, help, "histogram");
    for (const auto& [labels, h] : values) {
      uint64_t cumulative = 0;
      for (size_t i = 0; i < bounds.size(); ++i) {
        cumulative += h.buckets.empty() ? 0 : h.buckets[i];
        out += fmt::format("{}_bucket{} {}\n", name, LabelText(labels, "le", FormatValue(bounds[i])), cumulative);
      }
      out += fmt::format("{}_bucket{} {}\n", name, LabelText(labels, "le", "+Inf"), h.count);
      out += fmt::format("{}_sum{} {}\n", name, LabelText(labels), FormatValue(h.sum));
      out += fmt::format("{}_count{} {}\n", name, LabelText(labels), h.count);
    }
  };
  counters("kiln_ingest_received_bytes_total", "Request body bytes received by ingest endpoints (before decompression).",
           received_bytes_);
  counters("kiln_ingest_profiles_total", "Profiles acknowledged (durable and queryable).", ingested_profiles_);
  counters("kiln_ingest_rejected_total", "Ingest requests rejected, by endpoint and reason.", rejected_);
  histograms("kiln_segment_write_wait_seconds",
             "Time an ingest request waited for the segment holding its profiles to become durable and indexed.",
             write_wait_bounds_, write_wait_);
  histograms("kiln_query_duration_seconds", "Query latency per querier RPC.", query_bounds_, query_duration_);
  counters("kiln_query_errors_total", "Queries that failed, per querier RPC.", query_errors_);
  counters("kiln_http_requests_total", "HTTP requests by route and status code.", http_requests_);
  std::string last_name;
  for (const GaugeSample& g : gauges) {
    if (g.name != last_name) Header(&out, g.name, g.help, g.type);
    last_name = g.name;
    out += fmt::format("{}{} {}\n", g.name, LabelText(g.labels), FormatValue(g.value));
  }
  return out;
}

}  // namespace kiln::server
