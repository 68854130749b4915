#include "core/ingest/speedscope/speedscope_profile_reader.h"

#include <algorithm>
#include <string>
#include <vector>

#include "core/ingest/json/quoted_name.h"
#include "fmt/format.h"
#include "kiln/base/status_macros.h"

namespace kiln::speedscope {
namespace {

// A frame as messages name it: 1 ("B").
std::string DescribeFrame(const ProfileFrames& frames, size_t index) {
  return fmt::format("{} ({})", index, QuotedName(frames.frame(index).name));
}

struct OpenFrame {
  size_t frame = 0;
  StackId stack = 0;
  uint32_t depth = 0;  // frames in |stack|, at most max_stack_depth
  size_t event = 0;    // index of the "O" event that opened it
};

}  // namespace

absl::Status ReadEventedProfile(const Json& profile, const JsonPath& path, ProfileFrames* frames,
                                WeightedStacks* stacks) {
  ASSIGN_OR_RETURN(const Json* events, RequireArrayField(profile, "events", path));
  const JsonPath events_path = path.Field("events");
  std::vector<OpenFrame> open;
  double last_at = 0;
  for (size_t i = 0; i < events->size(); ++i) {
    const Json& event = (*events)[i];
    const JsonPath event_path = events_path.Index(i);
    ASSIGN_OR_RETURN(const Json* type_field, RequireField(event, "type", event_path));
    ASSIGN_OR_RETURN(std::string_view type, ReadString(*type_field, event_path.Field("type")));
    ASSIGN_OR_RETURN(const Json* frame_field, RequireField(event, "frame", event_path));
    ASSIGN_OR_RETURN(size_t frame,
                     ReadIndex(*frame_field, frames->size(), "shared.frames", event_path.Field("frame")));
    ASSIGN_OR_RETURN(const Json* at_field, RequireField(event, "at", event_path));
    ASSIGN_OR_RETURN(double at, ReadNumber(*at_field, event_path.Field("at")));
    if (i > 0 && at < last_at) {
      return absl::InvalidArgumentError(
          fmt::format("{}: at {} is before the previous event's {}: events must be in time order",
                      event_path.ToString(), at, last_at));
    }
    if (!open.empty() && at > last_at) {
      const double weight[] = {at - last_at};
      RETURN_IF_ERROR(stacks->Add(open.back().stack, weight));
    }
    last_at = at;
    if (type == "O") {
      const StackId parent = open.empty() ? 0 : open.back().stack;
      const uint32_t depth = open.empty() ? 0 : open.back().depth;
      if (depth >= frames->max_stack_depth()) {
        frames->profile()->stats.Bump(ImportStat::stacks_truncated);
      }
      open.push_back(OpenFrame{frame, frames->Push(parent, depth, frame),
                               std::min(depth + 1, frames->max_stack_depth()), i});
    } else if (type == "C") {
      if (open.empty()) {
        return absl::InvalidArgumentError(
            fmt::format("{}: closes frame {} but no frame is open", event_path.ToString(),
                        DescribeFrame(*frames, frame)));
      }
      if (open.back().frame != frame) {
        return absl::InvalidArgumentError(fmt::format(
            "{}: closes frame {} but frame {} (opened by events[{}]) is on top: events must nest",
            event_path.ToString(), DescribeFrame(*frames, frame),
            DescribeFrame(*frames, open.back().frame), open.back().event));
      }
      open.pop_back();
    } else {
      return absl::InvalidArgumentError(
          fmt::format("{}: unknown event type {} (expected \"O\" or \"C\")",
                      event_path.Field("type").ToString(), QuotedName(type)));
    }
  }
  if (!open.empty()) {
    return absl::InvalidArgumentError(fmt::format(
        "{}: {} frame(s) still open after the last event (innermost: frame {}, opened by "
        "events[{}]): every \"O\" needs its \"C\"",
        events_path.ToString(), open.size(), DescribeFrame(*frames, open.back().frame),
        open.back().event));
  }
  return absl::OkStatus();
}

absl::Status ReadSampledProfile(const Json& profile, const JsonPath& path, ProfileFrames* frames,
                                WeightedStacks* stacks) {
  ASSIGN_OR_RETURN(const Json* samples, RequireArrayField(profile, "samples", path));
  ASSIGN_OR_RETURN(const Json* weights, RequireArrayField(profile, "weights", path));
  const JsonPath samples_path = path.Field("samples");
  const JsonPath weights_path = path.Field("weights");
  if (samples->size() != weights->size()) {
    return absl::InvalidArgumentError(
        fmt::format("{}: {} samples but {} weights; each sample needs one weight",
                    path.ToString(), samples->size(), weights->size()));
  }
  Profile* profile_out = frames->profile();
  for (size_t i = 0; i < samples->size(); ++i) {
    const Json& sample = (*samples)[i];
    const JsonPath sample_path = samples_path.Index(i);
    RETURN_IF_ERROR(ExpectArray(sample, sample_path));
    ASSIGN_OR_RETURN(double weight, ReadNumber((*weights)[i], weights_path.Index(i)));
    if (weight < 0) {
      return absl::InvalidArgumentError(fmt::format(
          "{}: negative weight {}", weights_path.Index(i).ToString(), weight));
    }
    StackId stack = 0;
    uint32_t depth = 0;
    for (size_t j = 0; j < sample.size(); ++j) {
      ASSIGN_OR_RETURN(size_t frame,
                       ReadIndex(sample[j], frames->size(), "shared.frames", sample_path.Index(j)));
      if (depth < frames->max_stack_depth()) {
        stack = frames->Push(stack, depth, frame);
        ++depth;
      }
    }
    if (sample.size() > frames->max_stack_depth()) {
      profile_out->stats.Bump(ImportStat::stacks_truncated);
    }
    if (sample.empty()) {
      profile_out->stats.Note(
          ImportStat::records_skipped,
          fmt::format("{}: empty stack (weight {}) skipped", sample_path.ToString(), weight));
      continue;
    }
    const double w[] = {weight};
    RETURN_IF_ERROR(stacks->Add(stack, w));
  }
  return absl::OkStatus();
}

}  // namespace kiln::speedscope
