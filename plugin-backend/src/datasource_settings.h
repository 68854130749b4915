// A Grafana datasource's configuration as the plugin reads it from
// DataSourceInstanceSettings: `jsonData` (mode, storagePath, tenant,
// minStep, timeout, defaultMaxNodes), the datasource URL, basic auth, and
// `decryptedSecureJsonData` (apiToken, basicAuthPassword). Every error names
// the setting and says what is expected, since it ends up in front of the
// person who filled in the config page.
#ifndef KILN_PLUGIN_BACKEND_SRC_DATASOURCE_SETTINGS_H_
#define KILN_PLUGIN_BACKEND_SRC_DATASOURCE_SETTINGS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grafana/pluginv2/backend.pb.h"

namespace kiln::plugin {

enum class DatasourceMode { kServer, kStorage };

struct DatasourceSettings {
  DatasourceMode mode = DatasourceMode::kServer;
  std::string url;           // server mode
  std::string storage_path;  // storage mode: a kiln data directory
  std::string tenant;        // X-Scope-OrgID / storage tenant; empty: anonymous
  std::string api_token;
  std::string basic_user;
  std::string basic_password;
  absl::Duration min_step = absl::Seconds(15);
  absl::Duration timeout = absl::Seconds(30);
  int64_t default_max_nodes = 16384;
};

absl::StatusOr<DatasourceSettings> ParseDatasourceSettings(const pluginv2::DataSourceInstanceSettings& settings);

// "15s", "1m", "500ms", "1h30m", or a bare number of seconds.
absl::StatusOr<absl::Duration> ParseGrafanaDuration(std::string_view text);

}  // namespace kiln::plugin

#endif  // KILN_PLUGIN_BACKEND_SRC_DATASOURCE_SETTINGS_H_
