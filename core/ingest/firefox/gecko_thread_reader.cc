#include "core/ingest/firefox/gecko_thread_reader.h"

#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/ingest/firefox/gecko_table.h"
#include "core/ingest/json/source_frame.h"
#include "core/ingest/json/weighted_stacks.h"
#include "fmt/format.h"
#include "kiln/base/status_macros.h"

namespace kiln::firefox {
namespace {

constexpr std::string_view kRootName = "(root)";
constexpr double kNanosPerMilli = 1e6;

// Strips a trailing ":<digits>" from |s| into |*number|.
bool TakeNumberSuffix(std::string_view* s, int64_t* number) {
  const size_t colon = s->rfind(':');
  if (colon == std::string_view::npos || colon + 1 == s->size()) return false;
  const std::string_view digits = s->substr(colon + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *number);
  if (ec != std::errc() || end != digits.data() + digits.size() || *number < 0) return false;
  s->remove_suffix(digits.size() + 1);
  return true;
}

absl::Status Invalid(const JsonPath& path, std::string_view what) {
  return absl::InvalidArgumentError(fmt::format("{}: {}", path.ToString(), what));
}

}  // namespace

GeckoLocation ParseGeckoLocation(std::string_view location) {
  GeckoLocation out;
  out.name = location;
  // As speedscope's /(.*)\s+\((.*?)(?::(\d+))?(?::(\d+))?\)$/: the last
  // " (" of a location that ends in ")".
  if (!location.ends_with(')')) return out;
  const size_t open = location.rfind(" (");
  if (open == std::string_view::npos || open == 0) return out;
  std::string_view inside = location.substr(open + 2, location.size() - open - 3);
  int64_t last = 0, first = 0;
  if (TakeNumberSuffix(&inside, &last)) {
    if (TakeNumberSuffix(&inside, &first)) {
      out.line = first;
      out.column = last + 1;  // Gecko columns are 0-based
    } else {
      out.line = last;
    }
  }
  std::string_view name = location.substr(0, open);
  while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
  out.name = name;
  out.file = inside;
  return out;
}

absl::StatusOr<std::optional<Profile>> ReadGeckoThread(const Json& thread, const JsonPath& path,
                                                       double interval_ms,
                                                       const ImportOptions& options) {
  RETURN_IF_ERROR(ExpectObject(thread, path));
  ASSIGN_OR_RETURN(const Json* strings, RequireArrayField(thread, "stringTable", path));
  const JsonPath strings_path = path.Field("stringTable");
  ASSIGN_OR_RETURN(const Json* frame_json, RequireField(thread, "frameTable", path));
  const JsonPath frames_path = path.Field("frameTable");
  ASSIGN_OR_RETURN(const GeckoTable frames, GeckoTable::Read(*frame_json, frames_path));
  ASSIGN_OR_RETURN(const Json* stack_json, RequireField(thread, "stackTable", path));
  const JsonPath stacks_path = path.Field("stackTable");
  ASSIGN_OR_RETURN(const GeckoTable stacks, GeckoTable::Read(*stack_json, stacks_path));
  ASSIGN_OR_RETURN(const Json* sample_json, RequireField(thread, "samples", path));
  const JsonPath samples_path = path.Field("samples");
  ASSIGN_OR_RETURN(const GeckoTable samples, GeckoTable::Read(*sample_json, samples_path));

  const std::optional<size_t> location_col = frames.Column("location");
  const std::optional<size_t> line_col = frames.Column("line");
  const std::optional<size_t> prefix_col = stacks.Column("prefix");
  const std::optional<size_t> frame_col = stacks.Column("frame");
  const std::optional<size_t> stack_col = samples.Column("stack");
  const std::optional<size_t> time_col = samples.Column("time");
  if (!location_col) return Invalid(frames_path.Field("schema"), "no \"location\" column");
  if (!prefix_col || !frame_col) {
    return Invalid(stacks_path.Field("schema"), "needs \"prefix\" and \"frame\" columns");
  }
  if (!stack_col || !time_col) {
    return Invalid(samples_path.Field("schema"), "needs \"stack\" and \"time\" columns");
  }

  Profile out;
  out.sample_types = {{"samples", "count"}, {"wall", "nanoseconds"}};
  out.default_sample_type = "wall";
  out.period_type = {"wall", "nanoseconds"};
  if (std::isfinite(interval_ms) && interval_ms > 0 && interval_ms < 9e9) {
    out.period = static_cast<int64_t>(std::round(interval_ms * kNanosPerMilli));
  }

  // Locations, interned on first use (frame index -> location; 0 = not yet).
  std::vector<LocationId> location_of_frame(frames.size(), 0);
  const JsonPath frames_data = frames_path.Field("data");
  auto location = [&](size_t frame) -> absl::StatusOr<LocationId> {
    if (location_of_frame[frame] != 0) return location_of_frame[frame];
    ASSIGN_OR_RETURN(const Json* row, frames.Row(frame, frames_data));
    const JsonPath row_path = frames_data.Index(frame);
    const Json* loc = GeckoTable::Cell(*row, *location_col);
    if (loc == nullptr) return Invalid(row_path, "no location");
    ASSIGN_OR_RETURN(size_t string, ReadIndex(*loc, strings->size(), "stringTable",
                                              row_path.Index(*location_col)));
    ASSIGN_OR_RETURN(std::string_view text,
                     ReadString((*strings)[string], strings_path.Index(string)));
    const GeckoLocation parsed = ParseGeckoLocation(text);
    SourceFrame f;
    f.name = parsed.name;
    f.file = parsed.file;
    f.line = parsed.line;
    f.column = parsed.column;
    if (f.line == 0 && line_col) {
      if (const Json* l = GeckoTable::Cell(*row, *line_col); l != nullptr && !l->is_null()) {
        ASSIGN_OR_RETURN(int64_t line, ReadInteger(*l, row_path.Index(*line_col)));
        f.line = line > 0 ? line : 0;
      }
    }
    location_of_frame[frame] = InternSourceFrame(f, options.max_name_length, &out);
    return location_of_frame[frame];
  };

  // Stacks, in table order: a prefix always names an earlier row.
  std::vector<StackId> stack_of(stacks.size(), 0);
  std::vector<uint32_t> depth_of(stacks.size(), 0);
  std::vector<bool> truncated(stacks.size(), false);
  const JsonPath stacks_data = stacks_path.Field("data");
  for (size_t s = 0; s < stacks.size(); ++s) {
    ASSIGN_OR_RETURN(const Json* row, stacks.Row(s, stacks_data));
    const JsonPath row_path = stacks_data.Index(s);
    const Json* prefix = GeckoTable::Cell(*row, *prefix_col);
    const Json* frame = GeckoTable::Cell(*row, *frame_col);
    if (frame == nullptr) return Invalid(row_path, "no frame");
    ASSIGN_OR_RETURN(size_t f, ReadIndex(*frame, frames.size(), "frameTable",
                                         row_path.Index(*frame_col)));
    StackId parent = 0;
    uint32_t parent_depth = 0;
    if (prefix != nullptr && !prefix->is_null()) {
      ASSIGN_OR_RETURN(size_t p, ReadIndex(*prefix, s, "the stacks before it",
                                           row_path.Index(*prefix_col)));
      parent = stack_of[p];
      parent_depth = depth_of[p];
      truncated[s] = truncated[p];
    }
    ASSIGN_OR_RETURN(LocationId loc, location(f));
    const bool is_root = (prefix == nullptr || prefix->is_null()) &&
                         out.symbols.FunctionName(out.symbols.lines(loc)[0].function_id) ==
                             kRootName;
    if (is_root) continue;  // stack 0
    if (parent_depth >= options.max_stack_depth) {
      truncated[s] = true;
      stack_of[s] = parent;
      depth_of[s] = parent_depth;
      continue;
    }
    stack_of[s] = out.stacks.Intern(parent, loc);
    depth_of[s] = parent_depth + 1;
  }

  // Samples: each weighs the time until the next one.
  struct Sample {
    size_t stack;
    double ms;
  };
  std::vector<Sample> timeline;
  timeline.reserve(samples.size());
  const JsonPath samples_data = samples_path.Field("data");
  double last_ms = -INFINITY;
  for (size_t i = 0; i < samples.size(); ++i) {
    ASSIGN_OR_RETURN(const Json* row, samples.Row(i, samples_data));
    const JsonPath row_path = samples_data.Index(i);
    const Json* stack = GeckoTable::Cell(*row, *stack_col);
    const Json* time = GeckoTable::Cell(*row, *time_col);
    if (time == nullptr) return Invalid(row_path, "no time");
    ASSIGN_OR_RETURN(double ms, ReadNumber(*time, row_path.Index(*time_col)));
    last_ms = std::max(last_ms, ms);
    if (stack == nullptr || stack->is_null()) {
      // No stack (the thread was not in a profiled state): its time still
      // separates the neighbouring samples.
      timeline.push_back({static_cast<size_t>(-1), last_ms});
      continue;
    }
    ASSIGN_OR_RETURN(size_t s, ReadIndex(*stack, stacks.size(), "stackTable",
                                         row_path.Index(*stack_col)));
    timeline.push_back({s, last_ms});
  }
  WeightedStacks weighted(/*num_types=*/2, options.max_samples);
  StackId root_stack = 0;
  int64_t without_stack = 0;
  for (size_t i = 0; i < timeline.size(); ++i) {
    if (timeline[i].stack == static_cast<size_t>(-1)) {
      ++without_stack;
      continue;
    }
    const size_t s = timeline[i].stack;
    if (truncated[s]) out.stats.Bump(ImportStat::stacks_truncated);
    StackId id = stack_of[s];
    if (id == 0) {
      if (root_stack == 0) {
        SourceFrame root;
        root.name = kRootName;
        root_stack = out.stacks.Intern(0, InternSourceFrame(root, options.max_name_length, &out));
      }
      id = root_stack;
    }
    const double weight[] = {1, i + 1 < timeline.size() ? timeline[i + 1].ms - timeline[i].ms : 0};
    RETURN_IF_ERROR(weighted.Add(id, weight));
  }
  if (without_stack > 0) {
    out.stats.Note(ImportStat::records_skipped,
                   fmt::format("{}: {} samples without a stack", samples_path.ToString(),
                               without_stack));
  }
  const double scale[] = {1, kNanosPerMilli};
  RETURN_IF_ERROR(weighted.WriteTo(scale, &out));
  if (out.num_samples() == 0) return std::optional<Profile>();
  if (const Json* name = FindField(thread, "name"); name != nullptr && name->is_string()) {
    out.labels.emplace_back("thread_name", name->get_ref<const std::string&>());
  }
  return std::optional<Profile>(std::move(out));
}

}  // namespace kiln::firefox
