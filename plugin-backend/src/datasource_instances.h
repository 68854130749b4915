// One instance per Grafana datasource, as the Go SDK's instance manager
// keeps them: built from the settings on first use, reused while the
// datasource's lastUpdatedMS stays the same, rebuilt when it changes (the
// user saved the config page). An instance whose settings are invalid or
// whose store cannot be opened is not cached, so fixing the config or
// creating the directory takes effect on the next request.
// Thread safety: Get may be called concurrently; instances are shared.
#ifndef KILN_PLUGIN_BACKEND_SRC_DATASOURCE_INSTANCES_H_
#define KILN_PLUGIN_BACKEND_SRC_DATASOURCE_INSTANCES_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "grafana/pluginv2/backend.pb.h"
#include "plugin-backend/src/datasource_settings.h"
#include "plugin-backend/src/profile_backend.h"

namespace kiln::plugin {

struct DatasourceInstance {
  DatasourceSettings settings;
  std::unique_ptr<ProfileBackend> backend;
};

class DatasourceInstances {
 public:
  // FailedPrecondition without datasource settings in |context|;
  // InvalidArgument for bad settings; the store's error when it cannot open.
  absl::StatusOr<std::shared_ptr<const DatasourceInstance>> Get(const pluginv2::PluginContext& context);

  size_t size() const;
  uint64_t builds() const;

 private:
  struct Entry {
    int64_t last_updated_ms = 0;
    std::shared_ptr<const DatasourceInstance> instance;
  };
  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;
  uint64_t builds_ = 0;
};

// The backend the settings ask for (exposed for tests and benchmarks).
absl::StatusOr<std::unique_ptr<ProfileBackend>> OpenBackend(const DatasourceSettings& settings);

}  // namespace kiln::plugin

#endif  // KILN_PLUGIN_BACKEND_SRC_DATASOURCE_INSTANCES_H_
