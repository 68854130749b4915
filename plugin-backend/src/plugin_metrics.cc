#include "plugin-backend/src/plugin_metrics.h"

#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"

namespace kiln::plugin {

void PluginMetrics::ObserveQuery(const std::string& kind, bool ok, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++queries_[{kind, ok}];
  query_seconds_[kind] += seconds;
}

void PluginMetrics::ObserveResource(const std::string& path, int status) {
  std::lock_guard<std::mutex> lock(mu_);
  ++resources_[{path, status}];
}

void PluginMetrics::ObserveHealthCheck(bool ok) {
  std::lock_guard<std::mutex> lock(mu_);
  ++(ok ? health_ok_ : health_error_);
}

void PluginMetrics::SetInstances(uint64_t count) {
  std::lock_guard<std::mutex> lock(mu_);
  instances_ = count;
}

std::string PluginMetrics::PrometheusText() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  out += "# HELP kiln_plugin_queries_total Panel queries answered, by query type and outcome.\n";
  out += "# TYPE kiln_plugin_queries_total counter\n";
  for (const auto& [key, n] : queries_) {
    out += fmt::format("kiln_plugin_queries_total{{type=\"{}\",outcome=\"{}\"}} {}\n", key.first,
                       key.second ? "ok" : "error", n);
  }
  out += "# HELP kiln_plugin_query_seconds_total Time spent answering panel queries, by query type.\n";
  out += "# TYPE kiln_plugin_query_seconds_total counter\n";
  for (const auto& [kind, s] : query_seconds_) {
    out += fmt::format("kiln_plugin_query_seconds_total{{type=\"{}\"}} {:.6f}\n", kind, s);
  }
  out += "# HELP kiln_plugin_resource_requests_total Resource calls (label names, values, ...), by path and status.\n";
  out += "# TYPE kiln_plugin_resource_requests_total counter\n";
  for (const auto& [key, n] : resources_) {
    out += fmt::format("kiln_plugin_resource_requests_total{{path=\"{}\",code=\"{}\"}} {}\n", key.first, key.second,
                       n);
  }
  out += "# HELP kiln_plugin_health_checks_total Health checks, by outcome.\n";
  out += "# TYPE kiln_plugin_health_checks_total counter\n";
  out += fmt::format("kiln_plugin_health_checks_total{{outcome=\"ok\"}} {}\n", health_ok_);
  out += fmt::format("kiln_plugin_health_checks_total{{outcome=\"error\"}} {}\n", health_error_);
  out += "# HELP kiln_plugin_datasource_instances Datasource instances held.\n";
  out += "# TYPE kiln_plugin_datasource_instances gauge\n";
  out += fmt::format("kiln_plugin_datasource_instances {}\n", instances_);
  return out;
}

}  // namespace kiln::plugin
