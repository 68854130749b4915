#include "kiln/ingest/speedscope_importer.h"

#include <cmath>
#include <memory>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "core/ingest/json/json_document.h"
#include "core/ingest/json/json_sniff.h"
#include "core/ingest/json/quoted_name.h"
#include "core/ingest/json/weighted_stacks.h"
#include "core/ingest/speedscope/speedscope_frames.h"
#include "core/ingest/speedscope/speedscope_profile_reader.h"
#include "core/ingest/speedscope/speedscope_units.h"
#include "fmt/format.h"
#include "kiln/base/status_macros.h"

namespace kiln {
namespace {

// The part of "$schema" every version of the format shares.
constexpr std::string_view kSchemaUrl = "speedscope.app/file-format-schema.json";

// The profiles of one file that share a name and a unit, merged into one
// Profile. Not movable: |frames| points at |profile|.
struct ProfileGroup {
  ProfileGroup(std::span<const SourceFrame> shared_frames, speedscope::SampleUnit unit_in,
               const ImportOptions& options)
      : unit(unit_in),
        frames(shared_frames, options, &profile),
        stacks(/*num_types=*/1, options.max_samples) {}
  ProfileGroup(const ProfileGroup&) = delete;
  ProfileGroup& operator=(const ProfileGroup&) = delete;

  speedscope::SampleUnit unit;
  Profile profile;
  speedscope::ProfileFrames frames;
  WeightedStacks stacks;
  double duration = 0;  // sum of endValue - startValue, in |unit|
};

absl::Status CheckSchema(const Json& doc) {
  const JsonPath root;
  const Json* schema = FindField(doc, "$schema");
  if (schema == nullptr) {
    return absl::InvalidArgumentError(fmt::format(
        "$schema: missing; a speedscope file says \"$schema\": \"https://www.{}\"", kSchemaUrl));
  }
  ASSIGN_OR_RETURN(std::string_view url, ReadString(*schema, root.Field("$schema")));
  if (url.find(kSchemaUrl) == std::string_view::npos) {
    return absl::InvalidArgumentError(
        fmt::format("$schema: {} is not speedscope's file format schema", QuotedName(url)));
  }
  return absl::OkStatus();
}

class SpeedscopeImporter final : public Importer {
 public:
  std::string_view format() const override { return "speedscope"; }

  // Content only: a JSON object whose "$schema" names speedscope's schema.
  int Sniff(std::string_view data) const override {
    const std::string_view json = SkipJsonPreamble(data);
    if (!json.starts_with('{')) return 0;
    if (json.find(kSchemaUrl) == std::string_view::npos) return 0;
    return ContainsJsonKey(json, "$schema") ? 100 : 0;
  }

  absl::StatusOr<std::vector<Profile>> Import(std::string_view data,
                                              const ImportOptions& options) const override {
    return ParseSpeedscope(data, options);
  }
};

}  // namespace

absl::StatusOr<std::vector<Profile>> ParseSpeedscope(std::string_view data,
                                                     const ImportOptions& options) {
  ASSIGN_OR_RETURN(const Json doc, ParseJsonInput(data, options.max_decompressed_bytes));
  const JsonPath root;
  RETURN_IF_ERROR(ExpectObject(doc, root));
  RETURN_IF_ERROR(CheckSchema(doc));
  ASSIGN_OR_RETURN(const std::vector<SourceFrame> shared_frames,
                   speedscope::ParseSharedFrames(doc));
  ASSIGN_OR_RETURN(const Json* profiles, RequireArrayField(doc, "profiles", root));
  const JsonPath profiles_path = root.Field("profiles");
  if (profiles->empty()) {
    return absl::InvalidArgumentError("profiles: empty; the file holds no profile");
  }

  std::vector<std::unique_ptr<ProfileGroup>> groups;
  // (name, unit) -> index into |groups|, in order of first appearance.
  absl::flat_hash_map<std::string, size_t> group_of_key;
  for (size_t i = 0; i < profiles->size(); ++i) {
    const Json& p = (*profiles)[i];
    const JsonPath path = profiles_path.Index(i);
    RETURN_IF_ERROR(ExpectObject(p, path));
    ASSIGN_OR_RETURN(const Json* type_field, RequireField(p, "type", path));
    ASSIGN_OR_RETURN(std::string_view type, ReadString(*type_field, path.Field("type")));
    ASSIGN_OR_RETURN(std::string_view name, OptionalStringField(p, "name", path));
    ASSIGN_OR_RETURN(std::string_view unit_name,
                     OptionalStringField(p, "unit", path, /*fallback=*/"none"));
    const std::optional<speedscope::SampleUnit> unit = speedscope::ParseSampleUnit(unit_name);
    if (!unit) {
      return absl::InvalidArgumentError(fmt::format(
          "{}: unknown unit {} (expected none, nanoseconds, microseconds, milliseconds, seconds "
          "or bytes)",
          path.Field("unit").ToString(), QuotedName(unit_name)));
    }
    ASSIGN_OR_RETURN(double start, OptionalNumberField(p, "startValue", path, 0));
    ASSIGN_OR_RETURN(double end, OptionalNumberField(p, "endValue", path, start));

    const std::string key = fmt::format("{}\n{}", unit->unit, name);
    auto [it, inserted] = group_of_key.try_emplace(key, groups.size());
    if (inserted) {
      groups.push_back(std::make_unique<ProfileGroup>(shared_frames, *unit, options));
      Profile& out = groups.back()->profile;
      out.sample_types.push_back(unit->type);
      if (!name.empty()) out.labels.emplace_back("profile_name", std::string(name));
    }
    ProfileGroup& group = *groups[it->second];
    if (end > start) group.duration += end - start;

    if (type == "evented") {
      RETURN_IF_ERROR(speedscope::ReadEventedProfile(p, path, &group.frames, &group.stacks));
    } else if (type == "sampled") {
      RETURN_IF_ERROR(speedscope::ReadSampledProfile(p, path, &group.frames, &group.stacks));
    } else {
      return absl::InvalidArgumentError(
          fmt::format("{}: unknown profile type {} (expected \"evented\" or \"sampled\")",
                      path.Field("type").ToString(), QuotedName(type)));
    }
  }

  std::vector<Profile> out;
  for (const auto& group : groups) {
    const double scale[] = {group->unit.scale};
    RETURN_IF_ERROR(group->stacks.WriteTo(scale, &group->profile));
    // A profile with no weight at all adds nothing; other profiles of the
    // file may still carry samples.
    if (group->profile.num_samples() == 0) continue;
    if (group->unit.is_time) {
      const double nanos = std::round(group->duration * group->unit.scale);
      if (nanos < 9.2e18) group->profile.duration_nanos = static_cast<int64_t>(nanos);
    }
    out.push_back(std::move(group->profile));
  }
  if (out.empty()) {
    return absl::InvalidArgumentError(fmt::format(
        "no samples: none of the {} profile(s) has a stack with a non-zero weight",
        profiles->size()));
  }
  return out;
}

std::unique_ptr<Importer> NewSpeedscopeImporter() { return std::make_unique<SpeedscopeImporter>(); }

}  // namespace kiln
