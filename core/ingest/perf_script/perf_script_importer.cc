#include "kiln/ingest/perf_script_importer.h"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "core/ingest/perf_script/frame_naming.h"
#include "core/ingest/perf_script/perf_script_line.h"
#include "fmt/format.h"
#include "kiln/base/gzip.h"
#include "kiln/base/status_macros.h"

namespace kiln {
namespace {

constexpr size_t kSniffBytes = 16384;

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r\f\v") == std::string_view::npos;
}
bool IsIndented(std::string_view line) {
  return !line.empty() && (line.front() == ' ' || line.front() == '\t');
}

absl::string_view AsAbsl(std::string_view s) { return absl::string_view(s.data(), s.size()); }

std::string Excerpt(std::string_view line) {
  constexpr size_t kMax = 60;
  std::string out(line.substr(0, kMax));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  if (line.size() > kMax) out += "…";
  return out;
}

// Calls |fn(line_number, line)| for every line; CR before LF is dropped.
template <typename Fn>
void ForEachLine(std::string_view text, Fn&& fn) {
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (!fn(line_number, line)) return;
  }
}

// perf's event modifiers (":u", ":ppp", ":k" …) are not part of its name.
std::string_view BaseEventName(std::string_view event) {
  const size_t colon = event.find(':');
  if (colon == std::string_view::npos) return event;
  const std::string_view modifiers = event.substr(colon + 1);
  const bool only_modifiers = !modifiers.empty() &&
      modifiers.find_first_not_of("ukhIGHpPSDWebx") == std::string_view::npos;
  return only_modifiers ? event.substr(0, colon) : event;
}

// The sample type of an event's summed periods.
ValueType PeriodType(std::string_view event) {
  const std::string_view base = BaseEventName(event);
  if (base == "cpu-clock" || base == "task-clock") return {"cpu", "nanoseconds"};
  if (base.empty()) return {"events", "count"};
  std::string type(base);
  std::replace(type.begin(), type.end(), ':', '_');  // tracepoints: "sched:sched_switch"
  return {type, "count"};
}

// One sample block while it is being read: a header and its frames, leaf first.
struct PendingSample {
  size_t header_line = 0;
  PerfSampleHeader header;
  std::vector<PerfFrame> frames;
};

// Everything read so far for one event; becomes one Profile.
class EventProfileBuilder {
 public:
  EventProfileBuilder(std::string event, const ImportOptions& options,
                      const PerfScriptOptions& perf_options)
      : event_(std::move(event)), options_(options), perf_options_(perf_options) {}

  absl::Status Add(const PendingSample& sample, ImportStats* file_stats) {
    const PerfSampleHeader& h = sample.header;
    const bool java = PerfProcessFrameName(h.comm).starts_with("java");
    locations_.clear();
    const std::vector<PerfFrame>& frames = sample.frames;
    for (size_t i = 0; i < frames.size();) {
      // perf prints the functions inlined at an address, innermost first, as
      // "(inlined)" frames before the function they were inlined into: one
      // location with several lines, as in pprof.
      size_t k = i;
      while (k < frames.size() && IsInlined(frames[k]) && frames[k].address == frames[i].address) ++k;
      size_t end = k;
      MappingId mapping = 0;
      if (k == i || (k < frames.size() && !IsInlined(frames[k]) &&
                     frames[k].address == frames[i].address)) {
        end = k + 1;
        mapping = MappingFor(frames[k]);
      }
      lines_.clear();
      for (size_t f = i; f < end; ++f) {
        if (frames[f].symbol == "[unknown]") profile_.stats.Bump(ImportStat::unresolved_frames);
        lines_.push_back(Line{FunctionFor(frames[f], java), 0, 0});
      }
      locations_.push_back(profile_.symbols.InternLocation(mapping, frames[i].address, lines_));
      i = end;
    }
    locations_.push_back(ProcessLocation(h.comm));
    if (locations_.size() > options_.max_stack_depth) {
      profile_.stats.Bump(ImportStat::stacks_truncated);
      locations_.erase(locations_.begin(), locations_.end() - options_.max_stack_depth);
    }
    const StackId stack = profile_.stacks.InternLeafFirst(locations_);

    // stackcollapse-perf.pl weighs a sample without (or with a zero) period as 1.
    const int64_t weight = h.period > 0 ? h.period : 1;
    if (h.period >= 0) {
      has_periods_ = true;
      if (first_period_ < 0) first_period_ = h.period;
    }
    auto [it, inserted] = sample_of_stack_.try_emplace(stack, totals_.size());
    if (inserted) {
      if (totals_.size() >= options_.max_samples) {
        return absl::ResourceExhaustedError(fmt::format(
            "line {}: more than {} distinct stacks for event '{}' (ImportOptions::max_samples)",
            sample.header_line, options_.max_samples, event_));
      }
      totals_.push_back({stack, 0, 0});
    }
    Totals& t = totals_[it->second];
    if (t.weight > std::numeric_limits<int64_t>::max() - weight) {
      file_stats->Note(ImportStat::records_skipped,
                       fmt::format("line {}: period {} overflows its stack's total",
                                   sample.header_line, weight));
      return absl::OkStatus();
    }
    t.weight += weight;
    ++t.count;
    if (h.time_nanos >= 0) {
      first_time_ = std::min(first_time_, h.time_nanos);
      last_time_ = std::max(last_time_, h.time_nanos);
    }
    return absl::OkStatus();
  }

  Profile Finish() && {
    const ValueType period_type = PeriodType(event_);
    profile_.sample_types.push_back(ValueType{"samples", "count"});
    if (has_periods_) {
      profile_.sample_types.push_back(period_type);
      profile_.default_sample_type = period_type.type;
      profile_.period_type = period_type;
      profile_.period = first_period_;
    }
    if (period_type.type == "cpu") profile_.name = "process_cpu";
    if (!event_.empty()) profile_.labels.emplace_back("event", event_);
    if (last_time_ >= first_time_) profile_.duration_nanos = last_time_ - first_time_;
    profile_.sample_stacks.reserve(totals_.size());
    for (const Totals& t : totals_) {
      const int64_t values[] = {t.count, t.weight};
      profile_.AddSample(t.stack, std::span<const int64_t>(values, has_periods_ ? 2 : 1));
    }
    return std::move(profile_);
  }

 private:
  struct Totals {
    StackId stack;
    int64_t count;
    int64_t weight;
  };

  static bool IsInlined(const PerfFrame& f) { return f.has_dso && f.dso == "inlined"; }

  std::string_view Cut(std::string_view s) {
    if (s.size() <= options_.max_name_length) return s;
    profile_.stats.Bump(ImportStat::names_truncated);
    return s.substr(0, options_.max_name_length);
  }

  MappingId MappingFor(const PerfFrame& f) {
    if (!f.has_dso || f.dso.empty() || f.dso == "[unknown]") return 0;
    auto it = mapping_of_dso_.find(AsAbsl(f.dso));
    if (it != mapping_of_dso_.end()) return it->second;
    Mapping m;
    m.filename = profile_.symbols.InternString(Cut(f.dso));
    m.has_functions = true;
    const MappingId id = profile_.symbols.InternMapping(m);
    mapping_of_dso_.emplace(std::string(f.dso), id);
    return id;
  }

  FunctionId FunctionFor(const PerfFrame& f, bool java) {
    key_.assign(f.symbol);
    key_ += '\0';
    key_ += f.dso;
    key_ += java ? '\1' : '\0';
    auto it = function_of_key_.find(AsAbsl(key_));
    if (it != function_of_key_.end()) return it->second;
    Function fn;
    fn.name = profile_.symbols.InternString(
        Cut(PerfFrameName(f.symbol, f.dso, java, perf_options_.demangle)));
    fn.system_name = profile_.symbols.InternString(Cut(f.symbol));
    const FunctionId id = profile_.symbols.InternFunction(fn);
    function_of_key_.emplace(key_, id);
    return id;
  }

  LocationId ProcessLocation(std::string_view comm) {
    auto it = location_of_comm_.find(AsAbsl(comm));
    if (it != location_of_comm_.end()) return it->second;
    const LocationId id = profile_.symbols.InternFrame(Cut(PerfProcessFrameName(comm)));
    location_of_comm_.emplace(std::string(comm), id);
    return id;
  }

  std::string event_;
  const ImportOptions& options_;
  const PerfScriptOptions& perf_options_;
  Profile profile_;
  std::vector<Totals> totals_;
  absl::flat_hash_map<StackId, size_t> sample_of_stack_;
  absl::flat_hash_map<std::string, MappingId> mapping_of_dso_;
  absl::flat_hash_map<std::string, FunctionId> function_of_key_;
  absl::flat_hash_map<std::string, LocationId> location_of_comm_;
  std::string key_;
  std::vector<LocationId> locations_;
  std::vector<Line> lines_;
  bool has_periods_ = false;
  int64_t first_period_ = -1;
  int64_t first_time_ = std::numeric_limits<int64_t>::max();
  int64_t last_time_ = -1;
};

// The block reader: a state machine over lines.
class PerfScriptReader {
 public:
  PerfScriptReader(const ImportOptions& options, const PerfScriptOptions& perf_options)
      : options_(options), perf_options_(perf_options) {}

  absl::Status Line(size_t number, std::string_view line) {
    lines_ = number;
    if (line.starts_with('#')) return absl::OkStatus();  // perf script --header
    if (IsBlank(line)) return EndBlock();
    if (IsIndented(line)) {
      if (state_ == State::kInSample) {
        PerfFrame frame;
        if (ParsePerfFrame(line, &frame)) {
          pending_.frames.push_back(frame);
        } else {
          Skip(number, fmt::format("unrecognized frame line \"{}\"", Excerpt(line)));
        }
      } else if (state_ == State::kIdle) {
        Skip(number, "frame lines without a sample header before them; skipped up to the next "
                     "blank line");
        state_ = State::kSkippingBlock;
      }
      return absl::OkStatus();
    }
    PerfSampleHeader header;
    if (ParsePerfSampleHeader(line, &header)) {
      if (state_ == State::kInSample) RETURN_IF_ERROR(EmitPending());
      pending_.header_line = number;
      pending_.header = header;
      pending_.frames.clear();
      state_ = State::kInSample;
      return absl::OkStatus();
    }
    // Old perf versions printed frames without indentation.
    PerfFrame frame;
    if (state_ == State::kInSample && ParsePerfFrame(line, &frame)) {
      pending_.frames.push_back(frame);
      return absl::OkStatus();
    }
    // Where a header belongs but none parses, the frames that follow cannot
    // be attributed: the whole block goes.
    if (state_ == State::kInSample) RETURN_IF_ERROR(EmitPending());
    Skip(number, fmt::format("unrecognized sample header \"{}\"; its block is skipped",
                             Excerpt(line)));
    state_ = State::kSkippingBlock;
    return absl::OkStatus();
  }

  // A last block with no blank line after it is a complete sample too
  // (stackcollapse-perf.pl drops it; speedscope keeps it).
  absl::Status Finish() { return EndBlock(); }

  absl::StatusOr<std::vector<Profile>> TakeProfiles() && {
    if (builders_.empty()) {
      if (lines_ == 0) return absl::InvalidArgumentError("empty input: no perf script samples");
      return absl::InvalidArgumentError(fmt::format(
          "no perf script samples in {} lines{}", lines_,
          first_problem_.empty() ? "" : fmt::format(" (first problem: {})", first_problem_)));
    }
    std::vector<Profile> out;
    out.reserve(builders_.size());
    for (auto& b : builders_) out.push_back(std::move(*b).Finish());
    // Skipped lines belong to no event; they are reported once, with the
    // first profile (the one tools show by default).
    out.front().stats.MergeFrom(file_stats_);
    return out;
  }

 private:
  enum class State { kIdle, kInSample, kSkippingBlock };

  absl::Status EndBlock() {
    if (state_ == State::kInSample) RETURN_IF_ERROR(EmitPending());
    state_ = State::kIdle;
    return absl::OkStatus();
  }

  absl::Status EmitPending() {
    state_ = State::kIdle;
    const std::string_view event = pending_.header.event;
    auto it = builder_of_event_.find(AsAbsl(event));
    size_t index;
    if (it == builder_of_event_.end()) {
      index = builders_.size();
      builders_.push_back(
          std::make_unique<EventProfileBuilder>(std::string(event), options_, perf_options_));
      builder_of_event_.emplace(std::string(event), index);
    } else {
      index = it->second;
    }
    return builders_[index]->Add(pending_, &file_stats_);
  }

  void Skip(size_t line, std::string why) {
    std::string note = fmt::format("line {}: {}", line, why);
    if (first_problem_.empty()) first_problem_ = note;
    file_stats_.Note(ImportStat::records_skipped, std::move(note));
  }

  const ImportOptions& options_;
  const PerfScriptOptions& perf_options_;
  State state_ = State::kIdle;
  PendingSample pending_;
  std::vector<std::unique_ptr<EventProfileBuilder>> builders_;
  absl::flat_hash_map<std::string, size_t> builder_of_event_;
  ImportStats file_stats_;
  std::string first_problem_;
  size_t lines_ = 0;
};

class PerfScriptImporter final : public Importer {
 public:
  std::string_view format() const override { return "perf-script"; }

  // The first line that is not a "#" comment must be a sample header; frame
  // lines after it make the guess strong.
  int Sniff(std::string_view data) const override {
    if (IsGzip(data)) return 0;
    if (data.starts_with("\xEF\xBB\xBF")) data.remove_prefix(3);
    std::string_view text = data.substr(0, kSniffBytes);
    if (data.size() > kSniffBytes) {
      const size_t nl = text.rfind('\n');
      if (nl == std::string_view::npos) return 0;
      text = text.substr(0, nl);
    }
    enum { kLookingForHeader, kAfterHeader } phase = kLookingForHeader;
    int score = 0;
    ForEachLine(text, [&](size_t, std::string_view line) {
      if (phase == kLookingForHeader) {
        if (line.starts_with('#') || IsBlank(line)) return true;
        PerfSampleHeader header;
        if (!ParsePerfSampleHeader(line, &header)) return false;
        phase = kAfterHeader;
        score = 50;
        return true;
      }
      PerfFrame frame;
      if (ParsePerfFrame(line, &frame) && frame.has_dso) {
        score = 85;
        return false;
      }
      // A header then a blank line or the next header: samples without stacks.
      PerfSampleHeader header;
      if (IsBlank(line) || ParsePerfSampleHeader(line, &header)) score = 60;
      return false;
    });
    return score;
  }

  absl::StatusOr<std::vector<Profile>> Import(std::string_view data,
                                              const ImportOptions& options) const override {
    return ParsePerfScript(data, options);
  }
};

}  // namespace

absl::StatusOr<std::vector<Profile>> ParsePerfScript(std::string_view data,
                                                     const ImportOptions& options,
                                                     const PerfScriptOptions& perf_options) {
  std::string inflated;
  if (IsGzip(data)) {
    ASSIGN_OR_RETURN(inflated, Gunzip(data, options.max_decompressed_bytes));
    data = inflated;
  }
  if (data.starts_with("\xEF\xBB\xBF")) data.remove_prefix(3);
  PerfScriptReader reader(options, perf_options);
  absl::Status status;
  ForEachLine(data, [&](size_t number, std::string_view line) {
    status = reader.Line(number, line);
    return status.ok();
  });
  RETURN_IF_ERROR(status);
  RETURN_IF_ERROR(reader.Finish());
  return std::move(reader).TakeProfiles();
}

std::unique_ptr<Importer> NewPerfScriptImporter() { return std::make_unique<PerfScriptImporter>(); }

}  // namespace kiln
