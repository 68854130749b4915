#include "kiln/ingest/stackprof_importer.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "core/ingest/json/json_document.h"
#include "core/ingest/json/json_sniff.h"
#include "core/ingest/json/quoted_name.h"
#include "core/ingest/json/source_frame.h"
#include "core/ingest/json/weighted_stacks.h"
#include "fmt/format.h"
#include "kiln/base/status_macros.h"

namespace kiln {
namespace {

// The second sample type of each mode, and how a raw record's sample count
// becomes its value (in the type's unit, before the x1000 us -> ns).
struct ModeType {
  ValueType type;
  bool from_interval = false;  // count x interval
  bool from_deltas = false;    // sum of raw_timestamp_deltas, if present
  double scale = 1;
};

std::optional<ModeType> TypeOfMode(std::string_view mode) {
  if (mode == "cpu") return ModeType{{"cpu", "nanoseconds"}, true, false, 1000};
  if (mode == "wall") return ModeType{{"wall", "nanoseconds"}, true, true, 1000};
  if (mode == "object") return ModeType{{"alloc_objects", "count"}, true, false, 1};
  return std::nullopt;  // custom modes: sample counts only
}

// frames: {"<id>": {name?, file?, line?}} -> id -> frame (views into |doc|).
absl::StatusOr<absl::flat_hash_map<int64_t, SourceFrame>> ReadFrames(const Json& frames,
                                                                      const JsonPath& path) {
  RETURN_IF_ERROR(ExpectObject(frames, path));
  absl::flat_hash_map<int64_t, SourceFrame> out;
  out.reserve(frames.size());
  for (auto it = frames.begin(); it != frames.end(); ++it) {
    const std::string& key = it.key();
    const JsonPath frame_path = path.Field(key);
    int64_t id = 0;
    auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), id);
    if (ec != std::errc() || end != key.data() + key.size()) {
      return absl::InvalidArgumentError(fmt::format(
          "{}: frame key {} is not an integer id", path.ToString(), QuotedName(key)));
    }
    const Json& f = it.value();
    RETURN_IF_ERROR(ExpectObject(f, frame_path));
    SourceFrame frame;
    // stackprof writes no name for some C frames; speedscope shows them so.
    ASSIGN_OR_RETURN(frame.name, OptionalStringField(f, "name", frame_path, "(unknown)"));
    ASSIGN_OR_RETURN(frame.file, OptionalStringField(f, "file", frame_path));
    ASSIGN_OR_RETURN(int64_t line, OptionalIntegerField(f, "line", frame_path, 0));
    frame.line = frame.function_line = line > 0 ? line : 0;
    out.emplace(id, frame);
  }
  return out;
}

class StackprofImporter final : public Importer {
 public:
  std::string_view format() const override { return "stackprof"; }

  int Sniff(std::string_view data) const override {
    const std::string_view json = SkipJsonPreamble(data);
    if (!json.starts_with('{')) return 0;
    return ContainsJsonKey(json, "mode") && ContainsJsonKey(json, "frames") &&
                   ContainsJsonKey(json, "raw")
               ? 90
               : 0;
  }

  absl::StatusOr<std::vector<Profile>> Import(std::string_view data,
                                              const ImportOptions& options) const override {
    ASSIGN_OR_RETURN(Profile p, ParseStackprof(data, options));
    std::vector<Profile> out;
    out.push_back(std::move(p));
    return out;
  }
};

}  // namespace

absl::StatusOr<Profile> ParseStackprof(std::string_view data, const ImportOptions& options) {
  ASSIGN_OR_RETURN(const Json doc, ParseJsonInput(data, options.max_decompressed_bytes));
  const JsonPath root;
  RETURN_IF_ERROR(ExpectObject(doc, root));
  ASSIGN_OR_RETURN(const Json* mode_field, RequireField(doc, "mode", root));
  ASSIGN_OR_RETURN(std::string_view mode, ReadString(*mode_field, root.Field("mode")));
  ASSIGN_OR_RETURN(double interval, OptionalNumberField(doc, "interval", root, 0));
  if (interval < 0) {
    return absl::InvalidArgumentError(fmt::format("interval: negative interval {}", interval));
  }
  ASSIGN_OR_RETURN(const Json* frames_field, RequireField(doc, "frames", root));
  ASSIGN_OR_RETURN(const auto frames, ReadFrames(*frames_field, root.Field("frames")));
  ASSIGN_OR_RETURN(const Json* raw, RequireArrayField(doc, "raw", root));
  const JsonPath raw_path = root.Field("raw");
  const std::optional<ModeType> mode_type = TypeOfMode(mode);
  const Json* deltas = FindField(doc, "raw_timestamp_deltas");
  const JsonPath deltas_path = root.Field("raw_timestamp_deltas");
  const bool use_deltas = mode_type && mode_type->from_deltas && deltas != nullptr &&
                          !deltas->is_null();
  if (use_deltas) RETURN_IF_ERROR(ExpectArray(*deltas, deltas_path));

  Profile out;
  out.sample_types.push_back({"samples", "count"});
  if (mode_type) {
    out.sample_types.push_back(mode_type->type);
    out.default_sample_type = mode_type->type.type;
    if (mode_type->type.unit == "nanoseconds") {
      out.period_type = mode_type->type;
      out.period = static_cast<int64_t>(std::min(interval * 1000, 9e18));
    }
  }
  const size_t num_types = out.sample_types.size();
  WeightedStacks weighted(num_types, options.max_samples);
  absl::flat_hash_map<int64_t, LocationId> location_of_frame;
  size_t delta_index = 0;
  std::vector<double> weight(num_types);
  for (size_t i = 0; i < raw->size();) {
    // [height, frame ids root first..., count]
    const size_t record = i;
    ASSIGN_OR_RETURN(int64_t height, ReadInteger((*raw)[i], raw_path.Index(i)));
    // |height| frame ids and a count must follow.
    if (height < 0 || static_cast<uint64_t>(height) >= raw->size() - i - 1) {
      return absl::InvalidArgumentError(fmt::format(
          "{}: a stack of {} frames and its count do not fit in the {} values left",
          raw_path.Index(i).ToString(), height, raw->size() - i - 1));
    }
    ++i;
    StackId stack = 0;
    for (int64_t d = 0; d < height; ++d, ++i) {
      ASSIGN_OR_RETURN(int64_t id, ReadInteger((*raw)[i], raw_path.Index(i)));
      if (static_cast<uint64_t>(d) >= options.max_stack_depth) continue;
      auto known = location_of_frame.find(id);
      if (known == location_of_frame.end()) {
        auto frame = frames.find(id);
        if (frame == frames.end()) {
          return absl::InvalidArgumentError(fmt::format(
              "{}: frame id {} is not in frames", raw_path.Index(i).ToString(), id));
        }
        known = location_of_frame
                    .emplace(id, InternSourceFrame(frame->second, options.max_name_length, &out))
                    .first;
      }
      stack = out.stacks.Intern(stack, known->second);
    }
    if (static_cast<uint64_t>(height) > options.max_stack_depth) {
      out.stats.Bump(ImportStat::stacks_truncated);
    }
    ASSIGN_OR_RETURN(int64_t count, ReadInteger((*raw)[i], raw_path.Index(i)));
    if (count < 0) {
      return absl::InvalidArgumentError(
          fmt::format("{}: negative sample count {}", raw_path.Index(i).ToString(), count));
    }
    ++i;
    weight[0] = static_cast<double>(count);
    if (mode_type) {
      weight[1] = static_cast<double>(count) * interval;
      if (use_deltas) {
        // This record's samples are the next |count| deltas.
        weight[1] = 0;
        for (int64_t s = 0; s < count; ++s, ++delta_index) {
          if (delta_index >= deltas->size()) {
            return absl::InvalidArgumentError(fmt::format(
                "{}: raw has more samples than raw_timestamp_deltas has deltas ({})",
                raw_path.Index(record).ToString(), deltas->size()));
          }
          ASSIGN_OR_RETURN(double d, ReadNumber((*deltas)[delta_index],
                                                deltas_path.Index(delta_index)));
          if (d > 0) weight[1] += d;
        }
      }
    }
    if (height == 0) {
      out.stats.Note(ImportStat::records_skipped,
                     fmt::format("{}: empty stack ({} samples) skipped",
                                 raw_path.Index(record).ToString(), count));
      continue;
    }
    RETURN_IF_ERROR(weighted.Add(stack, weight));
  }
  std::vector<double> scale(num_types, 1);
  if (mode_type) scale[1] = mode_type->scale;
  RETURN_IF_ERROR(weighted.WriteTo(scale, &out));
  if (out.num_samples() == 0) {
    return absl::InvalidArgumentError(
        fmt::format("raw: no samples ({} values)", raw->size()));
  }
  return out;
}

std::unique_ptr<Importer> NewStackprofImporter() { return std::make_unique<StackprofImporter>(); }

}  // namespace kiln
