// The pluginv2 gRPC services Grafana calls (Data, Resource, Diagnostics)
// and go-plugin's controller, over one shared PluginState. Every failure
// of one query or call is answered as that call's error; none ends the
// process. Shutdown (Grafana stopping the plugin) only signals the server
// loop (go_plugin_server.h), which stops the gRPC server from its own thread.
#ifndef KILN_PLUGIN_BACKEND_SRC_PLUGIN_SERVICES_H_
#define KILN_PLUGIN_BACKEND_SRC_PLUGIN_SERVICES_H_

#include <functional>
#include <string>

#include "goplugin/grpc_controller.grpc.pb.h"
#include "grafana/pluginv2/backend.grpc.pb.h"
#include "plugin-backend/src/datasource_instances.h"
#include "plugin-backend/src/plugin_metrics.h"

namespace kiln::plugin {

struct PluginState {
  DatasourceInstances instances;
  PluginMetrics metrics;
  std::string version;
};

class DataService final : public pluginv2::Data::Service {
 public:
  explicit DataService(PluginState* state) : state_(state) {}
  grpc::Status QueryData(grpc::ServerContext* context, const pluginv2::QueryDataRequest* request,
                         pluginv2::QueryDataResponse* response) override;

 private:
  PluginState* const state_;
};

class ResourceService final : public pluginv2::Resource::Service {
 public:
  explicit ResourceService(PluginState* state) : state_(state) {}
  grpc::Status CallResource(grpc::ServerContext* context, const pluginv2::CallResourceRequest* request,
                            grpc::ServerWriter<pluginv2::CallResourceResponse>* writer) override;

 private:
  PluginState* const state_;
};

class DiagnosticsService final : public pluginv2::Diagnostics::Service {
 public:
  explicit DiagnosticsService(PluginState* state) : state_(state) {}
  grpc::Status CheckHealth(grpc::ServerContext* context, const pluginv2::CheckHealthRequest* request,
                           pluginv2::CheckHealthResponse* response) override;
  grpc::Status CollectMetrics(grpc::ServerContext* context, const pluginv2::CollectMetricsRequest* request,
                              pluginv2::CollectMetricsResponse* response) override;

 private:
  PluginState* const state_;
};

class ControllerService final : public ::plugin::GRPCController::Service {
 public:
  // |on_shutdown| is called once per Shutdown RPC; it must not block.
  explicit ControllerService(std::function<void()> on_shutdown) : on_shutdown_(std::move(on_shutdown)) {}
  grpc::Status Shutdown(grpc::ServerContext* context, const ::plugin::Empty* request, ::plugin::Empty* response) override;

 private:
  std::function<void()> on_shutdown_;
};

// One query's DataResponse (exposed for tests and benchmarks).
pluginv2::DataResponse AnswerQuery(PluginState* state, const pluginv2::PluginContext& context,
                                   const pluginv2::DataQuery& query);

}  // namespace kiln::plugin

#endif  // KILN_PLUGIN_BACKEND_SRC_PLUGIN_SERVICES_H_
