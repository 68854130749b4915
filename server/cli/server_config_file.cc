#include "server/cli/server_config_file.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "server/daemon/tenant.h"

namespace kiln::cli {

absl::Status ApplyConfigFile(CLI::App* command, const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(fmt::format("{}: {}", path, e.what()));
  }
  if (root.IsNull()) return absl::OkStatus();
  if (!root.IsMap()) return absl::InvalidArgumentError(fmt::format("{}: expected a map of settings", path));
  for (const auto& entry : root) {
    const std::string key = entry.first.as<std::string>();
    if (key == "auth") continue;  // ReadAuthSection
    CLI::Option* option = command->get_option_no_throw("--" + key);
    if (option == nullptr || key == "config" || key == "help") {
      return absl::InvalidArgumentError(
          fmt::format("{}: {:?} is not a setting of `kiln {}` (see --help)", path, key, command->get_name()));
    }
    if (option->count() > 0) continue;  // given on the command line: it wins
    std::vector<std::string> values;
    const YAML::Node& value = entry.second;
    if (value.IsScalar()) {
      values.push_back(value.as<std::string>());
    } else if (value.IsSequence()) {
      for (const auto& v : value) {
        if (!v.IsScalar()) return absl::InvalidArgumentError(fmt::format("{}: {}: expected a list of values", path, key));
        values.push_back(v.as<std::string>());
      }
    } else {
      return absl::InvalidArgumentError(fmt::format("{}: {}: expected a value, not a map", path, key));
    }
    try {
      for (const std::string& v : values) option->add_result(v);
      option->run_callback();
    } catch (const CLI::Error& e) {
      return absl::InvalidArgumentError(fmt::format("{}: {}: {}", path, key, e.what()));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<server::AuthConfig> ReadAuthSection(const std::string& path) {
  server::AuthConfig out;
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(fmt::format("{}: {}", path, e.what()));
  }
  if (!root.IsMap() || !root["auth"]) return out;
  const YAML::Node auth = root["auth"];
  if (!auth.IsMap()) return absl::InvalidArgumentError(fmt::format("{}: auth: expected tokens and/or basic", path));
  auto field = [&](const YAML::Node& entry, const char* section, size_t i, const char* key) -> absl::StatusOr<std::string> {
    const YAML::Node v = entry[key];
    if (!v || !v.IsScalar() || v.as<std::string>().empty()) {
      return absl::InvalidArgumentError(fmt::format("{}: auth.{}[{}]: {} is required", path, section, i, key));
    }
    return v.as<std::string>();
  };
  auto check_tenant = [&](const std::string& tenant, const char* section, size_t i) -> absl::Status {
    auto t = server::TenantFromHeader(tenant);
    if (!t.ok()) return absl::InvalidArgumentError(fmt::format("{}: auth.{}[{}]: {}", path, section, i, t.status().message()));
    return absl::OkStatus();
  };
  for (const char* section : {"tokens", "basic"}) {
    const YAML::Node list = auth[section];
    if (!list) continue;
    if (!list.IsSequence()) return absl::InvalidArgumentError(fmt::format("{}: auth.{}: expected a list", path, section));
    for (size_t i = 0; i < list.size(); ++i) {
      auto tenant = field(list[i], section, i, "tenant");
      if (!tenant.ok()) return tenant.status();
      if (absl::Status s = check_tenant(*tenant, section, i); !s.ok()) return s;
      if (std::string_view(section) == "tokens") {
        auto token = field(list[i], section, i, "token");
        if (!token.ok()) return token.status();
        if (!out.tokens.emplace(*token, *tenant).second) {
          return absl::InvalidArgumentError(fmt::format("{}: auth.tokens[{}]: the same token appears twice", path, i));
        }
      } else {
        auto user = field(list[i], section, i, "user");
        if (!user.ok()) return user.status();
        auto password = field(list[i], section, i, "password");
        if (!password.ok()) return password.status();
        if (!out.basic.emplace(*user, std::pair{*password, *tenant}).second) {
          return absl::InvalidArgumentError(fmt::format("{}: auth.basic[{}]: user {:?} appears twice", path, i, *user));
        }
      }
    }
  }
  return out;
}

}  // namespace kiln::cli
