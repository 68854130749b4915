#include "core/ingest/jfr/jfr_active_settings.h"

#include <charconv>

namespace kiln::jfr {

void ActiveSettings::Set(int64_t event_type_id, std::string name, std::string value) {
  any_[name] = value;
  values_[{event_type_id, std::move(name)}] = std::move(value);
}

const std::string* ActiveSettings::Get(int64_t event_type_id, std::string_view name) const {
  auto it = values_.find(std::make_pair(event_type_id, std::string(name)));
  return it == values_.end() ? nullptr : &it->second;
}

const std::string* ActiveSettings::GetAny(std::string_view name) const {
  auto it = any_.find(name);
  return it == any_.end() ? nullptr : &it->second;
}

std::optional<int64_t> ParseTimespanNanos(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || n <= 0) return std::nullopt;
  std::string_view unit = text.substr(end - text.data());
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  static constexpr std::pair<std::string_view, int64_t> kUnits[] = {
      {"", 1},       {"ns", 1},           {"us", 1000},           {"ms", 1000000},
      {"s", 1000000000}, {"m", 60000000000}, {"h", 3600000000000}, {"d", 86400000000000},
  };
  for (const auto& [name, scale] : kUnits) {
    if (unit != name) continue;
    if (n > INT64_MAX / scale) return std::nullopt;
    return n * scale;
  }
  return std::nullopt;
}

}  // namespace kiln::jfr
