#include "server/cli/profile_input.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "absl/status/status.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/ingest/importer_registry.h"

namespace kiln::cli {

absl::StatusOr<std::vector<Profile>> LoadProfiles(const std::string& path,
                                                  const std::string& format) {
  std::string data;
  if (path == "-") {
    data.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return absl::NotFoundError(fmt::format("{}: cannot open file", path));
    std::ostringstream ss;
    ss << in.rdbuf();
    data = std::move(ss).str();
  }
  auto profiles = ImporterRegistry::Default().Import(data, path, format);
  if (!profiles.ok()) {
    return absl::Status(profiles.status().code(), fmt::format("{}: {}", path, profiles.status().message()));
  }
  for (const Profile& p : *profiles) {
    if (!p.stats.Empty()) std::cerr << fmt::format("{}: import notes:\n{}", path, p.stats.ToString());
  }
  return profiles;
}

std::string DescribeSampleTypes(const std::vector<Profile>& profiles) {
  std::string out;
  for (const Profile& p : profiles) {
    for (const ValueType& t : p.sample_types) {
      if (!out.empty()) out += ", ";
      out += fmt::format("{}/{}", t.type, t.unit);
    }
  }
  return out.empty() ? "none" : out;
}

absl::StatusOr<SampleTypeRef> SelectSampleType(const std::vector<Profile>& profiles,
                                               const std::string& spec) {
  if (profiles.empty() || profiles[0].sample_types.empty()) {
    return absl::InvalidArgumentError("the input has no sample types");
  }
  if (spec.empty()) return SampleTypeRef{0, profiles[0].DefaultTypeIndex()};
  for (size_t i = 0; i < profiles.size(); ++i) {
    const auto& types = profiles[i].sample_types;
    for (size_t t = 0; t < types.size(); ++t) {
      if (types[t].type == spec || fmt::format("{}/{}", types[t].type, types[t].unit) == spec) {
        return SampleTypeRef{i, t};
      }
    }
  }
  return absl::NotFoundError(fmt::format("no sample type '{}'; the input has: {}", spec,
                                         DescribeSampleTypes(profiles)));
}

}  // namespace kiln::cli
