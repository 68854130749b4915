#include "plugin-backend/src/datasource_settings.h"

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"

namespace kiln::plugin {
namespace {

using Json = nlohmann::json;

absl::StatusOr<std::string> StringSetting(const Json& json, const char* key) {
  if (!json.contains(key) || json[key].is_null()) return std::string();
  if (!json[key].is_string()) {
    return absl::InvalidArgumentError(fmt::format("jsonData.{} must be a string, not {}", key, json[key].dump()));
  }
  return json[key].get<std::string>();
}

}  // namespace

absl::StatusOr<absl::Duration> ParseGrafanaDuration(std::string_view text) {
  std::string s(text);
  if (s.empty()) return absl::InvalidArgumentError("an empty duration");
  if (s.find_first_not_of("0123456789.") == std::string::npos) s += "s";
  absl::Duration d;
  if (!absl::ParseDuration(s, &d) || d <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        fmt::format("{:?} is not a positive duration such as 15s, 1m or 500ms", std::string(text)));
  }
  return d;
}

absl::StatusOr<DatasourceSettings> ParseDatasourceSettings(const pluginv2::DataSourceInstanceSettings& in) {
  DatasourceSettings out;
  Json json = Json::object();
  if (!in.jsondata().empty()) {
    json = Json::parse(in.jsondata(), nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded() || !json.is_object()) {
      return absl::InvalidArgumentError("the datasource's jsonData is not a JSON object");
    }
  }
  auto mode = StringSetting(json, "mode");
  if (!mode.ok()) return mode.status();
  if (mode->empty() || *mode == "server") {
    out.mode = DatasourceMode::kServer;
  } else if (*mode == "storage") {
    out.mode = DatasourceMode::kStorage;
  } else {
    return absl::InvalidArgumentError(fmt::format("jsonData.mode is {:?}; expected \"server\" or \"storage\"", *mode));
  }
  out.url = in.url();
  auto storage_path = StringSetting(json, "storagePath");
  if (!storage_path.ok()) return storage_path.status();
  out.storage_path = *storage_path;
  auto tenant = StringSetting(json, "tenant");
  if (!tenant.ok()) return tenant.status();
  out.tenant = *tenant;
  for (const char* key : {"minStep", "timeout"}) {
    if (!json.contains(key) || json[key].is_null() || json[key] == "") continue;
    std::string text = json[key].is_number() ? json[key].dump() : json[key].is_string() ? json[key].get<std::string>() : "";
    auto d = ParseGrafanaDuration(text);
    if (!d.ok()) return absl::InvalidArgumentError(fmt::format("jsonData.{}: {}", key, d.status().message()));
    (std::string_view(key) == "minStep" ? out.min_step : out.timeout) = *d;
  }
  if (json.contains("defaultMaxNodes") && !json["defaultMaxNodes"].is_null()) {
    const Json& v = json["defaultMaxNodes"];
    if (!v.is_number_integer() || v.get<int64_t>() <= 0) {
      return absl::InvalidArgumentError(
          fmt::format("jsonData.defaultMaxNodes must be a positive integer, not {}", v.dump()));
    }
    out.default_max_nodes = v.get<int64_t>();
  }
  const auto& secure = in.decryptedsecurejsondata();
  if (auto it = secure.find("apiToken"); it != secure.end()) out.api_token = it->second;
  if (in.basicauthenabled()) {
    out.basic_user = in.basicauthuser();
    if (auto it = secure.find("basicAuthPassword"); it != secure.end()) out.basic_password = it->second;
    if (out.basic_user.empty()) return absl::InvalidArgumentError("basic auth is enabled but has no user");
  }
  if (out.mode == DatasourceMode::kServer && out.url.empty()) {
    return absl::InvalidArgumentError("server mode needs the kiln server URL (e.g. http://127.0.0.1:4040)");
  }
  if (out.mode == DatasourceMode::kStorage && out.storage_path.empty()) {
    return absl::InvalidArgumentError("storage mode needs jsonData.storagePath, the kiln data directory");
  }
  return out;
}

}  // namespace kiln::plugin
