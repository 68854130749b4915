#include "kiln/model/profile_type.h"

#include <vector>

#include "absl/status/status.h"
#include "fmt/format.h"

namespace kiln {
namespace {

constexpr const char* kPartNames[] = {"name", "sample_type", "sample_unit", "period_type",
                                      "period_unit"};

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

}  // namespace

absl::StatusOr<ProfileTypeId> ProfileTypeId::Parse(std::string_view id) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t colon = id.find(':', start);
    parts.push_back(id.substr(start, colon == std::string_view::npos ? colon : colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  if (parts.size() < 5 || parts.size() > 6) {
    return absl::InvalidArgumentError(fmt::format(
        "profile type '{}': expected 5 parts name:sample_type:sample_unit:period_type:period_unit, "
        "got {}",
        id, parts.size()));
  }
  // The period may be unknown (OTLP off-CPU profiles: `off_cpu:off_cpu:nanoseconds::`).
  for (size_t i = 0; i < 3; ++i) {
    if (parts[i].empty()) {
      return absl::InvalidArgumentError(
          fmt::format("profile type '{}': part {} ({}) is empty", id, i + 1, kPartNames[i]));
    }
  }
  if (parts.size() == 6 && parts[5] != "delta") {
    return absl::InvalidArgumentError(
        fmt::format("profile type '{}': sixth part must be 'delta', got '{}'", id, parts[5]));
  }
  ProfileTypeId t;
  t.name = parts[0];
  t.sample_type = parts[1];
  t.sample_unit = parts[2];
  t.period_type = parts[3];
  t.period_unit = parts[4];
  t.delta = parts.size() == 6;
  return t;
}

std::string ProfileTypeId::ToString() const {
  return fmt::format("{}:{}:{}:{}:{}", name, sample_type, sample_unit, period_type, period_unit);
}

std::string GuessProfileName(std::string_view sample_type, std::string_view period_type) {
  if (sample_type == "cpu" || sample_type == "samples") return "process_cpu";
  if (sample_type == "wall") return "wall";
  if (StartsWith(sample_type, "alloc_") || StartsWith(sample_type, "inuse_") ||
      sample_type == "space" || sample_type == "objects") {
    return "memory";
  }
  if (sample_type == "goroutine" || sample_type == "goroutines") return "goroutines";
  if (sample_type == "contentions" || sample_type == "delay") {
    return period_type == "mutex" ? "mutex" : "block";
  }
  if (sample_type == "exception" || sample_type == "exceptions") return "exceptions";
  return std::string(sample_type.empty() ? "unknown" : sample_type);
}

}  // namespace kiln
