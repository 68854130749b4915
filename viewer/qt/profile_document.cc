#include "viewer/qt/profile_document.h"

#include <utility>

#include "absl/status/status.h"
#include "fmt/format.h"

namespace kiln::viewer::qt {

ProfileDocument::ProfileDocument(std::string path, std::vector<Profile> profiles)
    : path_(std::move(path)), profiles_(std::move(profiles)) {}

std::string ProfileDocument::file_name() const {
  const size_t slash = path_.find_last_of('/');
  return slash == std::string::npos ? path_ : path_.substr(slash + 1);
}

std::vector<SampleTypeChoice> ProfileDocument::Choices() const {
  std::vector<SampleTypeChoice> out;
  for (size_t p = 0; p < profiles_.size(); ++p) {
    for (size_t t = 0; t < profiles_[p].sample_types.size(); ++t) out.push_back({p, t});
  }
  return out;
}

std::string ProfileDocument::Describe(SampleTypeChoice choice) const {
  const Profile& profile = profiles_[choice.profile];
  const ValueType& type = profile.sample_types[choice.type];
  std::string text = fmt::format("{}/{}", type.type, type.unit);
  if (profiles_.size() > 1) {
    const std::string& name = profile.name.empty() ? fmt::format("#{}", choice.profile + 1) : profile.name;
    text = fmt::format("{}: {}", name, text);
  }
  return text;
}

SampleTypeChoice ProfileDocument::DefaultChoice() const {
  if (profiles_.empty() || profiles_[0].sample_types.empty()) return {};
  return {0, profiles_[0].DefaultTypeIndex()};
}

absl::StatusOr<SampleTypeChoice> ProfileDocument::Find(const std::string& spec) const {
  if (profiles_.empty() || profiles_[0].sample_types.empty()) {
    return absl::InvalidArgumentError(fmt::format("{}: the file has no sample types", path_));
  }
  if (spec.empty()) return DefaultChoice();
  std::string known;
  for (const SampleTypeChoice& c : Choices()) {
    const ValueType& t = TypeOf(c);
    if (t.type == spec || fmt::format("{}/{}", t.type, t.unit) == spec) return c;
    if (!known.empty()) known += ", ";
    known += fmt::format("{}/{}", t.type, t.unit);
  }
  return absl::NotFoundError(fmt::format("{}: no sample type '{}'; the file has: {}", path_, spec, known));
}

std::string ProfileDocument::ImportNotes() const {
  std::string out;
  for (const Profile& p : profiles_) {
    if (!p.stats.Empty()) out += p.stats.ToString();
  }
  return out;
}

}  // namespace kiln::viewer::qt
