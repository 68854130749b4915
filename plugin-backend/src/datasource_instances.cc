#include "plugin-backend/src/datasource_instances.h"

#include "absl/status/status.h"
#include "fmt/format.h"
#include "plugin-backend/src/server_backend.h"
#include "plugin-backend/src/storage_backend.h"

namespace kiln::plugin {

absl::StatusOr<std::unique_ptr<ProfileBackend>> OpenBackend(const DatasourceSettings& settings) {
  if (settings.mode == DatasourceMode::kStorage) {
    StorageBackendOptions options;
    options.data_dir = settings.storage_path;
    if (!settings.tenant.empty()) options.tenant = settings.tenant;
    return OpenStorageBackend(options);
  }
  ServerBackendOptions options;
  options.url = settings.url;
  options.bearer_token = settings.api_token;
  options.basic_user = settings.basic_user;
  options.basic_password = settings.basic_password;
  options.tenant = settings.tenant;
  options.timeout = settings.timeout;
  return OpenServerBackend(options);
}

absl::StatusOr<std::shared_ptr<const DatasourceInstance>> DatasourceInstances::Get(
    const pluginv2::PluginContext& context) {
  if (!context.has_datasourceinstancesettings()) {
    return absl::FailedPreconditionError("the request carries no datasource settings");
  }
  const pluginv2::DataSourceInstanceSettings& ds = context.datasourceinstancesettings();
  const std::string key =
      ds.uid().empty() ? fmt::format("org{}/id{}", context.orgid(), ds.id()) : fmt::format("org{}/{}", context.orgid(), ds.uid());
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second.last_updated_ms == ds.lastupdatedms()) return it->second.instance;
  }
  auto settings = ParseDatasourceSettings(ds);
  if (!settings.ok()) return settings.status();
  auto backend = OpenBackend(*settings);
  if (!backend.ok()) return backend.status();
  auto instance = std::make_shared<DatasourceInstance>();
  instance->settings = *std::move(settings);
  instance->backend = *std::move(backend);
  std::lock_guard<std::mutex> lock(mu_);
  ++builds_;
  entries_[key] = Entry{ds.lastupdatedms(), instance};
  return std::shared_ptr<const DatasourceInstance>(std::move(instance));
}

size_t DatasourceInstances::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

uint64_t DatasourceInstances::builds() const {
  std::lock_guard<std::mutex> lock(mu_);
  return builds_;
}

}  // namespace kiln::plugin
