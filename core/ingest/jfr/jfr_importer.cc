#include "kiln/ingest/jfr_importer.h"

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "core/ingest/jfr/jfr_active_settings.h"
#include "core/ingest/jfr/jfr_byte_reader.h"
#include "core/ingest/jfr/jfr_chunk_constants.h"
#include "core/ingest/jfr/jfr_chunk_header.h"
#include "core/ingest/jfr/jfr_constant_pools.h"
#include "core/ingest/jfr/jfr_metadata.h"
#include "core/ingest/jfr/jfr_profile_accumulator.h"
#include "core/ingest/jfr/jfr_sample_kinds.h"
#include "core/ingest/jfr/jfr_value_reader.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/base/gzip.h"
#include "kiln/base/status_macros.h"

namespace kiln {
namespace {

using jfr::ByteReader;
using jfr::ChunkConstants;
using jfr::ChunkHeader;
using jfr::ProfileAccumulator;
using jfr::ResolvedFrame;
using jfr::SampleKind;

// The event types Kiln reads, and which of their fields it needs.
enum class EventType {
  kExecutionSample,
  kNativeMethodSample,
  kWallClockSample,
  kAllocInNewTlab,
  kAllocOutsideTlab,
  kAllocSample,
  kMonitorEnter,
  kThreadPark,
  kLiveObject,
  kMalloc,
  kActiveSetting,
};

struct EventTypeSpec {
  EventType type;
  std::string_view name;
  std::string_view weight_field;  // the event's value, "" when it counts 1
};

constexpr EventTypeSpec kEventTypes[] = {
    {EventType::kExecutionSample, "jdk.ExecutionSample", ""},
    {EventType::kNativeMethodSample, "jdk.NativeMethodSample", ""},
    {EventType::kWallClockSample, "profiler.WallClockSample", "samples"},
    {EventType::kAllocInNewTlab, "jdk.ObjectAllocationInNewTLAB", "tlabSize"},
    {EventType::kAllocOutsideTlab, "jdk.ObjectAllocationOutsideTLAB", "allocationSize"},
    {EventType::kAllocSample, "jdk.ObjectAllocationSample", "weight"},
    {EventType::kMonitorEnter, "jdk.JavaMonitorEnter", "duration"},
    {EventType::kThreadPark, "jdk.ThreadPark", "duration"},
    {EventType::kLiveObject, "profiler.LiveObject", ""},
    {EventType::kMalloc, "profiler.Malloc", "size"},
    {EventType::kActiveSetting, "jdk.ActiveSetting", ""},
};

// One event type of one chunk: its class and the indexes of the fields read.
struct EventLayout {
  EventType type;
  uint32_t class_index = 0;
  int stack = -1;
  int state = -1;
  int weight = -1;
  int setting_id = -1;
  int setting_name = -1;
  int setting_value = -1;
  int last_needed = -1;  // fields after this one are not read
};

struct DecodedEvent {
  uint64_t stack = 0;
  uint64_t state = 0;
  int64_t weight = 0;
  bool has_weight = false;
  int64_t setting_id = 0;
  std::string setting_name;
  std::string setting_value;
};

constexpr std::string_view kNoStackTraceFrame = "[no stack trace]";

// Pyroscope's default sampling rate when a request states none.
constexpr int64_t kDefaultPeriodNanos = 10'000'000;

int64_t TicksToNanos(int64_t ticks, int64_t ticks_per_second) {
  if (ticks <= 0) return 0;
  const __int128 ns = static_cast<__int128>(ticks) * 1'000'000'000 / ticks_per_second;
  return ns > INT64_MAX ? INT64_MAX : static_cast<int64_t>(ns);
}

int64_t SaturatingMultiply(int64_t a, int64_t b) {
  int64_t out;
  if (__builtin_mul_overflow(a, b, &out)) return (a < 0) != (b < 0) ? INT64_MIN : INT64_MAX;
  return out;
}

class RecordingParser {
 public:
  RecordingParser(std::string_view file, const ImportOptions& options, const JfrOptions& jfr)
      : file_(file), options_(options), jfr_(jfr) {}

  absl::StatusOr<JfrRecording> Run() {
    size_t pos = 0;
    if (file_.empty()) return absl::InvalidArgumentError("empty input (not a JFR recording)");
    while (pos < file_.size()) {
      ASSIGN_OR_RETURN(ChunkHeader chunk, jfr::ReadChunkHeader(file_, pos));
      absl::Status s = ParseChunk(chunk);
      if (!s.ok()) {
        return absl::Status(s.code(), fmt::format("JFR chunk {} (at byte {}): {}", out_.num_chunks,
                                                  chunk.start, s.message()));
      }
      ++out_.num_chunks;
      pos = chunk.end();
    }
    for (auto& acc : accumulators_) {
      if (acc == nullptr || acc->profile().num_samples() == 0) continue;
      Profile& p = acc->profile();
      p.time_nanos = first_start_nanos_;
      p.duration_nanos = last_end_nanos_ > first_start_nanos_ ? last_end_nanos_ - first_start_nanos_ : 0;
      p.labels.emplace_back("jfr_event", std::string(jfr::SpecOf(acc->kind()).event));
      if (jfr::SpecOf(acc->kind()).periodic) {
        const auto& period = periods_[static_cast<int>(acc->kind())];
        p.period = period.nanos;
        if (period.assumed) {
          p.comments.push_back(fmt::format(
              "sampling period not stated in the recording; assumed {} ns (100 Hz, Pyroscope's "
              "default)",
              period.nanos));
        }
      }
      out_.profiles.push_back(std::move(p));
    }
    if (!out_.profiles.empty()) out_.profiles.front().stats.MergeFrom(file_stats_);
    return std::move(out_);
  }

 private:
  struct Period {
    int64_t nanos = 0;
    bool assumed = false;
    bool set = false;
  };

  absl::Status ParseChunk(const ChunkHeader& chunk) {
    ASSIGN_OR_RETURN(jfr::Types types, jfr::ReadMetadata(file_, chunk));
    ASSIGN_OR_RETURN(jfr::ConstantPools pools, jfr::IndexConstantPools(file_, chunk, types));
    ChunkConstants constants(file_, chunk, types, pools, &names_, &file_stats_);
    for (auto& acc : accumulators_) {
      if (acc != nullptr) acc->BeginChunk();
    }
    if (out_.num_chunks == 0 || chunk.start_nanos < first_start_nanos_) {
      first_start_nanos_ = chunk.start_nanos;
    }
    last_end_nanos_ = std::max(last_end_nanos_, chunk.start_nanos + std::max<int64_t>(chunk.duration_nanos, 0));

    absl::flat_hash_map<int64_t, EventLayout> layouts;
    for (const EventTypeSpec& spec : kEventTypes) {
      const int ci = types.IndexOfName(spec.name);
      if (ci < 0) continue;
      const jfr::Class& c = types.at(static_cast<uint32_t>(ci));
      EventLayout l;
      l.type = spec.type;
      l.class_index = static_cast<uint32_t>(ci);
      l.stack = c.FieldIndex("stackTrace");
      l.state = c.FieldIndex("state");
      if (!spec.weight_field.empty()) l.weight = c.FieldIndex(spec.weight_field);
      if (spec.type == EventType::kActiveSetting) {
        l.setting_id = c.FieldIndex("id");
        l.setting_name = c.FieldIndex("name");
        l.setting_value = c.FieldIndex("value");
      }
      l.last_needed = std::max({l.stack, l.state, l.weight, l.setting_id, l.setting_name,
                                l.setting_value});
      layouts.emplace(c.id, l);
    }

    // Pass 1: count every event, and read the settings, which decide the
    // sampling periods and async-profiler's mode for the samples of pass 2.
    jfr::ActiveSettings settings;
    DecodedEvent e;
    RETURN_IF_ERROR(ForEachEvent(chunk, [&](uint64_t type_id, size_t at, ByteReader& r) {
      const int ci = types.IndexOfId(static_cast<int64_t>(type_id));
      if (type_id == 0) {
        ++out_.event_counts["jdk.Metadata"];
      } else if (type_id == 1) {
        ++out_.event_counts["jdk.CheckPoint"];
      } else if (ci >= 0) {
        ++out_.event_counts[types.at(static_cast<uint32_t>(ci)).name];
      } else {
        file_stats_.Note(ImportStat::records_skipped,
                         fmt::format("event at byte {}: type id {} is not in the chunk's metadata",
                                     at, type_id));
        return absl::OkStatus();
      }
      auto it = layouts.find(static_cast<int64_t>(type_id));
      if (it == layouts.end() || it->second.type != EventType::kActiveSetting) {
        return absl::OkStatus();
      }
      if (!Decode(types, constants, it->second, at, r, &e)) return absl::OkStatus();
      settings.Set(e.setting_id, std::move(e.setting_name), std::move(e.setting_value));
      return absl::OkStatus();
    }));

    ChoosePeriods(types, settings);
    // async-profiler states its mode once; later chunks keep it (as
    // Pyroscope's reader does).
    if (const std::string* mode = settings.GetAny("event")) wall_mode_ = *mode == "wall";
    const bool wall_mode = wall_mode_;

    // Pass 2: samples.
    return ForEachEvent(chunk, [&](uint64_t type_id, size_t at, ByteReader& r) -> absl::Status {
      auto it = layouts.find(static_cast<int64_t>(type_id));
      if (it == layouts.end() || it->second.type == EventType::kActiveSetting) {
        return absl::OkStatus();
      }
      const EventLayout& layout = it->second;
      if (!Decode(types, constants, layout, at, r, &e)) return absl::OkStatus();
      return AddEvent(chunk, types, constants, layout, at, e, wall_mode);
    });
  }

  template <typename Fn>
  absl::Status ForEachEvent(const ChunkHeader& chunk, Fn&& fn) {
    size_t pos = chunk.start + jfr::kChunkHeaderSize;
    while (pos < chunk.end()) {
      ByteReader header(file_, pos, chunk.end(), chunk.compressed_integers());
      const uint64_t size = header.Int();
      const uint64_t type = header.Long();
      if (!header.ok()) {
        return absl::InvalidArgumentError(
            fmt::format("event at byte {}: {}", pos, header.status().message()));
      }
      if (size < header.pos() - pos || size > chunk.end() - pos) {
        return absl::InvalidArgumentError(fmt::format(
            "event at byte {}: size {} does not fit (the chunk ends at byte {})", pos, size,
            chunk.end()));
      }
      ByteReader body(file_, header.pos(), pos + size, chunk.compressed_integers());
      RETURN_IF_ERROR(fn(type, pos, body));
      pos += size;
    }
    return absl::OkStatus();
  }

  // Reads the fields |layout| needs; a malformed event is counted and skipped.
  bool Decode(const jfr::Types& types, ChunkConstants& constants, const EventLayout& layout,
              size_t at, ByteReader& r, DecodedEvent* e) {
    *e = DecodedEvent();
    const jfr::Class& c = types.at(layout.class_index);
    jfr::ValueReader v(types, &r);
    for (int i = 0; i <= layout.last_needed && r.ok(); ++i) {
      const jfr::Field& f = c.fields[i];
      if (i == layout.stack) {
        e->stack = static_cast<uint64_t>(v.ReadInteger(f));
      } else if (i == layout.state) {
        e->state = static_cast<uint64_t>(v.ReadInteger(f));
      } else if (i == layout.weight || i == layout.setting_id) {
        bool ok = false;
        const int64_t x = v.ReadInteger(f, &ok);
        if (i == layout.weight) {
          e->weight = x;
          e->has_weight = ok;
        } else {
          e->setting_id = x;
        }
      } else if (i == layout.setting_name || i == layout.setting_value) {
        absl::StatusOr<std::string> text = TextOfField(constants, v, f);
        if (!text.ok()) {
          r.Fail(std::string(text.status().message()));
          break;
        }
        (i == layout.setting_name ? e->setting_name : e->setting_value) = *std::move(text);
      } else {
        v.SkipField(f);
      }
    }
    if (r.ok()) return true;
    file_stats_.Note(ImportStat::records_skipped,
                     fmt::format("event at byte {} ({}): {}", at, c.name, r.status().message()));
    return false;
  }

  static absl::StatusOr<std::string> TextOfField(ChunkConstants& constants, jfr::ValueReader& v,
                                                 const jfr::Field& f) {
    if (f.kind == jfr::ValueKind::kString && !f.constant_pool) {
      jfr::StringValue s;
      v.ReadStringField(f, &s);
      if (!s.is_pool_key) return std::move(s.text);
      // A pooled string: its key refers to the java.lang.String pool, the
      // field's own class.
      ASSIGN_OR_RETURN(std::string_view t, constants.Text(f.class_index, s.pool_key));
      return std::string(t);
    }
    if (f.constant_pool && !f.array) {
      const uint64_t key = v.bytes().Long();
      if (!v.bytes().ok()) return std::string();
      ASSIGN_OR_RETURN(std::string_view t, constants.Text(f.class_index, key));
      return std::string(t);
    }
    v.SkipField(f);
    return std::string();
  }

  // Sampling period of each periodic kind in this chunk: the caller's rate,
  // else what the recording states, else Pyroscope's default.
  void ChoosePeriods(const jfr::Types& types, const jfr::ActiveSettings& settings) {
    auto stated = [&](std::string_view event) -> std::optional<int64_t> {
      const int ci = types.IndexOfName(event);
      if (ci >= 0) {
        const int64_t id = types.at(static_cast<uint32_t>(ci)).id;
        for (std::string_view name : {"period", "interval"}) {
          if (const std::string* v = settings.Get(id, name)) {
            if (auto ns = jfr::ParseTimespanNanos(*v)) return ns;
          }
        }
      }
      return std::nullopt;
    };
    auto choose = [&](SampleKind kind, std::optional<int64_t> from_recording) {
      Period p;
      if (jfr_.sample_rate_hz > 0) {
        p.nanos = std::max<int64_t>(1, 1'000'000'000 / jfr_.sample_rate_hz);
      } else if (from_recording.has_value()) {
        p.nanos = *from_recording;
      } else {
        p.nanos = kDefaultPeriodNanos;
        p.assumed = true;
      }
      chunk_periods_[static_cast<int>(kind)] = p.nanos;
      Period& kept = periods_[static_cast<int>(kind)];
      if (!kept.set) {
        kept = p;
        kept.set = true;
      }
    };
    // async-profiler states its interval without an event type; the JDK
    // states a period per event type.
    std::optional<int64_t> any_interval;
    if (const std::string* v = settings.GetAny("interval")) any_interval = jfr::ParseTimespanNanos(*v);
    auto cpu = stated("jdk.ExecutionSample");
    choose(SampleKind::kCpu, cpu.has_value() ? cpu : any_interval);
    auto wall = stated("profiler.WallClockSample");
    choose(SampleKind::kWall, wall.has_value() ? wall : (cpu.has_value() ? cpu : any_interval));
    choose(SampleKind::kNativeMethod, stated("jdk.NativeMethodSample"));
  }

  ProfileAccumulator& Accumulator(SampleKind kind) {
    auto& acc = accumulators_[static_cast<int>(kind)];
    if (acc == nullptr) acc = std::make_unique<ProfileAccumulator>(kind, options_, &names_);
    return *acc;
  }

  absl::Status AddEvent(const ChunkHeader& chunk, const jfr::Types& types,
                        ChunkConstants& constants, const EventLayout& layout, size_t at,
                        const DecodedEvent& e, bool wall_mode) {
    std::string_view state;
    if (layout.state >= 0 && e.state != 0) {
      const jfr::Field& f = types.at(layout.class_index).fields[layout.state];
      if (f.constant_pool) {
        ASSIGN_OR_RETURN(state, constants.Text(f.class_index, e.state));
      }
    }
    const int64_t cpu_period = chunk_periods_[static_cast<int>(SampleKind::kCpu)];
    const int64_t wall_period = chunk_periods_[static_cast<int>(SampleKind::kWall)];
    switch (layout.type) {
      case EventType::kExecutionSample:
        // async-profiler in wall-clock mode samples every thread: all are
        // wall samples. A thread caught sleeping burns no CPU, in any mode.
        if (wall_mode) {
          RETURN_IF_ERROR(Add(SampleKind::kWall, constants, at, e, {1, wall_period}));
        }
        if (state == "STATE_SLEEPING") {
          ++out_.sleeping_execution_samples;
          return absl::OkStatus();
        }
        return Add(SampleKind::kCpu, constants, at, e, {1, cpu_period});
      case EventType::kNativeMethodSample:
        return Add(SampleKind::kNativeMethod, constants, at, e,
                   {1, chunk_periods_[static_cast<int>(SampleKind::kNativeMethod)]});
      case EventType::kWallClockSample: {
        const int64_t n = e.has_weight ? e.weight : 1;
        RETURN_IF_ERROR(
            Add(SampleKind::kWall, constants, at, e, {n, SaturatingMultiply(n, wall_period)}));
        if (wall_mode && state == "STATE_RUNNABLE") {
          return Add(SampleKind::kCpu, constants, at, e, {n, SaturatingMultiply(n, cpu_period)});
        }
        return absl::OkStatus();
      }
      case EventType::kAllocInNewTlab:
        return Add(SampleKind::kAllocInNewTlab, constants, at, e, {1, e.weight});
      case EventType::kAllocOutsideTlab:
        return Add(SampleKind::kAllocOutsideTlab, constants, at, e, {1, e.weight});
      case EventType::kAllocSample:
        return Add(SampleKind::kAllocSample, constants, at, e, {1, e.weight});
      case EventType::kMonitorEnter:
        return Add(SampleKind::kMonitorEnter, constants, at, e,
                   {1, TicksToNanos(e.weight, chunk.ticks_per_second)});
      case EventType::kThreadPark:
        return Add(SampleKind::kThreadPark, constants, at, e,
                   {1, TicksToNanos(e.weight, chunk.ticks_per_second)});
      case EventType::kLiveObject:
        return Add(SampleKind::kLiveObject, constants, at, e, {1, 0});
      case EventType::kMalloc:
        return Add(SampleKind::kMalloc, constants, at, e, {1, e.weight});
      case EventType::kActiveSetting:
        break;
    }
    return absl::OkStatus();
  }

  absl::Status Add(SampleKind kind, ChunkConstants& constants, size_t at, const DecodedEvent& e,
                   std::array<int64_t, 2> values) {
    ProfileAccumulator& acc = Accumulator(kind);
    if (!acc.HasStack(e.stack)) {
      ASSIGN_OR_RETURN(std::optional<std::span<const ResolvedFrame>> frames,
                       constants.StackTrace(e.stack));
      if (!frames.has_value()) {
        acc.profile().stats.Note(
            ImportStat::invalid_references,
            fmt::format("event at byte {}: stack trace {} is not in the constant pool; sample "
                        "dropped",
                        at, e.stack));
        return absl::OkStatus();
      }
      if (frames->empty()) {
        // An event recorded without a stack (stackTrace disabled, or no Java
        // frames): keep its value visible under one named frame, as the tree
        // and collapsed output have no place for an empty stack.
        const ResolvedFrame none{names_.Intern(kNoStackTraceFrame), 0};
        acc.InternStack(e.stack, std::span<const ResolvedFrame>(&none, 1));
      } else {
        acc.InternStack(e.stack, *frames);
      }
    }
    if (values[0] < 0 || values[1] < 0) acc.profile().stats.Bump(ImportStat::negative_values);
    return acc.Add(e.stack, values);
  }

  std::string_view file_;
  const ImportOptions& options_;
  const JfrOptions& jfr_;
  JfrRecording out_;
  jfr::FrameNames names_;
  ImportStats file_stats_;
  std::array<std::unique_ptr<ProfileAccumulator>, jfr::kNumSampleKinds> accumulators_;
  std::array<Period, jfr::kNumSampleKinds> periods_;
  std::array<int64_t, jfr::kNumSampleKinds> chunk_periods_{};
  int64_t first_start_nanos_ = 0;
  int64_t last_end_nanos_ = 0;
  bool wall_mode_ = false;
};

std::string DescribeEventCounts(const std::map<std::string, int64_t>& counts) {
  std::vector<std::pair<int64_t, std::string>> sorted;
  for (const auto& [name, n] : counts) sorted.emplace_back(-n, name);
  std::sort(sorted.begin(), sorted.end());
  std::string out;
  for (size_t i = 0; i < sorted.size() && i < 5; ++i) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{}={}", sorted[i].second, -sorted[i].first);
  }
  return out.empty() ? "no events" : out;
}

class JfrImporter : public Importer {
 public:
  std::string_view format() const override { return "jfr"; }

  int Sniff(std::string_view data) const override {
    if (!data.starts_with(jfr::kChunkMagic)) return 0;
    // "FLR\0" then major version 2: nothing else starts that way.
    if (data.size() >= 6 && data[4] == 0 && data[5] == 2) return 100;
    return 60;
  }

  absl::StatusOr<std::vector<Profile>> Import(std::string_view data,
                                              const ImportOptions& options) const override {
    ASSIGN_OR_RETURN(JfrRecording recording, ParseJfr(data, options));
    if (recording.profiles.empty()) {
      return absl::InvalidArgumentError(fmt::format(
          "no samples: the JFR recording ({} chunk(s)) has no execution, wall-clock, allocation, "
          "lock or park events with stacks; it holds {}",
          recording.num_chunks, DescribeEventCounts(recording.event_counts)));
    }
    return std::move(recording.profiles);
  }
};

}  // namespace

std::unique_ptr<Importer> NewJfrImporter() { return std::make_unique<JfrImporter>(); }

absl::StatusOr<JfrRecording> ParseJfr(std::string_view data, const ImportOptions& options,
                                      const JfrOptions& jfr_options) {
  std::string inflated;
  if (IsGzip(data)) {
    ASSIGN_OR_RETURN(inflated, Gunzip(data, options.max_decompressed_bytes));
    data = inflated;
  }
  return RecordingParser(data, options, jfr_options).Run();
}

}  // namespace kiln
