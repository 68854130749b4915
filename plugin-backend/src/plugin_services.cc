#include "plugin-backend/src/plugin_services.h"

#include <chrono>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "plugin-backend/arrow/arrow_file_writer.h"
#include "plugin-backend/src/hclog_logger.h"
#include "plugin-backend/src/plugin_query.h"
#include "plugin-backend/src/query_runner.h"
#include "plugin-backend/src/resource_handler.h"

namespace kiln::plugin {
namespace {

int64_t NowMs() { return absl::ToUnixMillis(absl::Now()); }

// Errors of the store or server are "downstream" (not the plugin's fault);
// so are the user's own mistakes in a query, which Grafana shows as such.
void SetError(const absl::Status& status, pluginv2::DataResponse* out) {
  out->clear_frames();
  out->set_error(std::string(status.message()));
  out->set_status(HttpStatusOf(status));
  out->set_errorsource(status.code() == absl::StatusCode::kInternal ? "plugin" : "downstream");
}

std::string DatasourceName(const pluginv2::PluginContext& context) {
  return context.datasourceinstancesettings().name();
}

}  // namespace

pluginv2::DataResponse AnswerQuery(PluginState* state, const pluginv2::PluginContext& context,
                                   const pluginv2::DataQuery& query) {
  const auto t0 = std::chrono::steady_clock::now();
  pluginv2::DataResponse out;
  std::string kind = "invalid";
  absl::Status status = [&]() -> absl::Status {
    auto parsed = ParsePluginQuery(query);
    if (!parsed.ok()) return parsed.status();
    kind = QueryKindName(parsed->kind);
    auto instance = state->instances.Get(context);
    if (!instance.ok()) return instance.status();
    QueryContext qc{context.datasourceinstancesettings().uid(), DatasourceName(context)};
    auto frames = RunQuery(*parsed, **instance, qc);
    if (!frames.ok()) return frames.status();
    for (const Frame& frame : *frames) {
      auto bytes = EncodeArrowFile(frame);
      if (!bytes.ok()) return absl::InternalError(fmt::format("encoding frame {}: {}", frame.name(), bytes.status()));
      out.add_frames(*std::move(bytes));
    }
    return absl::OkStatus();
  }();
  if (status.ok()) {
    out.set_status(200);
  } else {
    SetError(status, &out);
    Log(status.code() == absl::StatusCode::kInternal ? LogLevel::kError : LogLevel::kInfo, "query failed",
        {{"refId", query.refid()}, {"type", kind}, {"error", std::string(status.message())}});
  }
  state->metrics.ObserveQuery(kind, status.ok(),
                              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return out;
}

grpc::Status DataService::QueryData(grpc::ServerContext*, const pluginv2::QueryDataRequest* request,
                                    pluginv2::QueryDataResponse* response) {
  const int n = request->queries_size();
  std::vector<pluginv2::DataResponse> answers(static_cast<size_t>(n));
  if (n == 1) {
    answers[0] = AnswerQuery(state_, request->plugincontext(), request->queries(0));
  } else {
    // A dashboard's panels arrive together; answer them side by side.
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) {
      threads.emplace_back([&, i] { answers[i] = AnswerQuery(state_, request->plugincontext(), request->queries(i)); });
    }
    for (std::thread& t : threads) t.join();
  }
  auto* responses = response->mutable_responses();
  for (int i = 0; i < n; ++i) (*responses)[request->queries(i).refid()] = std::move(answers[static_cast<size_t>(i)]);
  state_->metrics.SetInstances(state_->instances.size());
  return grpc::Status::OK;
}

grpc::Status ResourceService::CallResource(grpc::ServerContext*, const pluginv2::CallResourceRequest* request,
                                           grpc::ServerWriter<pluginv2::CallResourceResponse>* writer) {
  std::string path = request->path();
  while (!path.empty() && path.front() == '/') path.erase(0, 1);
  ResourceResponse answer;
  auto instance = state_->instances.Get(request->plugincontext());
  if (!instance.ok()) {
    // The datasource's configuration, not the request, is at fault.
    answer = ResourceError(500, fmt::format("datasource configuration: {}", instance.status().message()));
  } else if (request->method() != "GET" && request->method() != "POST") {
    answer = ResourceError(405, fmt::format("method {} is not served; use GET", request->method()));
  } else {
    std::string url = request->url().empty() ? path : request->url();
    while (!url.empty() && url.front() == '/') url.erase(0, 1);
    answer = HandleResource(path, url, (*instance)->backend.get(), NowMs());
  }
  static const char* const kKnown[] = {"profileTypes", "labelNames", "labelValues", "series", "pprof"};
  std::string metric_path = "other";
  for (const char* known : kKnown) {
    if (path == known) metric_path = known;
  }
  state_->metrics.ObserveResource(metric_path, answer.status);
  pluginv2::CallResourceResponse out;
  out.set_code(answer.status);
  (*out.mutable_headers())["Content-Type"].add_values(answer.content_type);
  for (const auto& [k, v] : answer.headers) (*out.mutable_headers())[k].add_values(v);
  out.set_body(std::move(answer.body));
  writer->Write(out);
  return grpc::Status::OK;
}

grpc::Status DiagnosticsService::CheckHealth(grpc::ServerContext*, const pluginv2::CheckHealthRequest* request,
                                             pluginv2::CheckHealthResponse* response) {
  auto instance = state_->instances.Get(request->plugincontext());
  if (!instance.ok()) {
    response->set_status(pluginv2::CheckHealthResponse::ERROR);
    response->set_message(fmt::format("Configuration problem: {}", instance.status().message()));
    state_->metrics.ObserveHealthCheck(false);
    return grpc::Status::OK;
  }
  ProfileBackend* backend = (*instance)->backend.get();
  auto stats = backend->Stats();
  if (!stats.ok()) {
    response->set_status(pluginv2::CheckHealthResponse::ERROR);
    response->set_message(fmt::format("Cannot query {}: {}", backend->Describe(), stats.status().message()));
    state_->metrics.ObserveHealthCheck(false);
    return grpc::Status::OK;
  }
  response->set_status(pluginv2::CheckHealthResponse::OK);
  if (!stats->data_ingested) {
    response->set_message(fmt::format(
        "Data source is working, but {} holds no profiles yet: point an SDK or Grafana Alloy at kiln server "
        "(see docs/grafana.md)",
        backend->Describe()));
  } else {
    const int64_t now = NowMs();
    auto types = backend->ProfileTypes(std::max<int64_t>(0, now - 24 * 3600 * 1000), now);
    response->set_message(fmt::format(
        "Data source is working: {} holds profiles from {} to {} ({} profile types in the last 24 h)",
        backend->Describe(), absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", absl::FromUnixNanos(stats->oldest_nanos), absl::UTCTimeZone()),
        absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", absl::FromUnixNanos(stats->newest_nanos), absl::UTCTimeZone()),
        types.ok() ? types->size() : 0));
  }
  state_->metrics.ObserveHealthCheck(true);
  return grpc::Status::OK;
}

grpc::Status DiagnosticsService::CollectMetrics(grpc::ServerContext*, const pluginv2::CollectMetricsRequest*,
                                                pluginv2::CollectMetricsResponse* response) {
  state_->metrics.SetInstances(state_->instances.size());
  response->mutable_metrics()->set_prometheus(state_->metrics.PrometheusText());
  return grpc::Status::OK;
}

grpc::Status ControllerService::Shutdown(grpc::ServerContext*, const ::plugin::Empty*, ::plugin::Empty*) {
  Log(LogLevel::kInfo, "shutdown requested by the host");
  on_shutdown_();
  return grpc::Status::OK;
}

}  // namespace kiln::plugin
