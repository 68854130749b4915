// The plugin's own counters, served to Grafana through CollectMetrics in
// Prometheus text format (Grafana exposes them at
// /api/plugins/kiln-profiling-datasource/metrics).
// Thread safety: all methods may be called concurrently.
#ifndef KILN_PLUGIN_BACKEND_SRC_PLUGIN_METRICS_H_
#define KILN_PLUGIN_BACKEND_SRC_PLUGIN_METRICS_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace kiln::plugin {

class PluginMetrics {
 public:
  // |kind|: a query type name; |ok|: answered without an error.
  void ObserveQuery(const std::string& kind, bool ok, double seconds);
  void ObserveResource(const std::string& path, int status);
  void ObserveHealthCheck(bool ok);
  void SetInstances(uint64_t count);

  std::string PrometheusText() const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, bool>, uint64_t> queries_;
  std::map<std::string, double> query_seconds_;
  std::map<std::pair<std::string, int>, uint64_t> resources_;
  uint64_t health_ok_ = 0;
  uint64_t health_error_ = 0;
  uint64_t instances_ = 0;
};

}  // namespace kiln::plugin

#endif  // KILN_PLUGIN_BACKEND_SRC_PLUGIN_METRICS_H_
