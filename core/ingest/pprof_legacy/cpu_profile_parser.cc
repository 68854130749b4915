#include "core/ingest/pprof_legacy/cpu_profile_parser.h"

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "core/ingest/pprof_legacy/java_profile_parser.h"
#include "core/ingest/pprof_legacy/memory_map.h"
#include "core/ingest/pprof_legacy/text_lines.h"
#include "core/ingest/pprof_legacy/thread_profile_parser.h"

namespace kiln::pprof_legacy {
namespace {

// A word size and byte order, in the order pprof tries them.
struct WordFormat {
  size_t size;
  bool big_endian;
  std::string_view name;
};
constexpr WordFormat kWordFormats[] = {
    {4, false, "32-bit little-endian"},
    {4, true, "32-bit big-endian"},
    {8, false, "64-bit little-endian"},
    {8, true, "64-bit big-endian"},
};

class WordReader {
 public:
  WordReader(std::string_view data, WordFormat format) : data_(data), format_(format) {}

  // False (and nothing consumed) when fewer than one word is left.
  bool Read(uint64_t* out) {
    if (data_.size() - pos_ < format_.size) return false;
    uint64_t v = 0;
    for (size_t i = 0; i < format_.size; ++i) {
      const size_t byte = format_.big_endian ? i : format_.size - 1 - i;
      v = (v << 8) | static_cast<unsigned char>(data_[pos_ + byte]);
    }
    pos_ += format_.size;
    *out = v;
    return true;
  }
  size_t offset() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  std::string_view rest() const { return data_.substr(pos_); }

 private:
  std::string_view data_;
  WordFormat format_;
  size_t pos_ = 0;
};

struct Header {
  WordFormat format;
  bool java = false;
  uint64_t period_us = 0;
};

bool ReadHeader(std::string_view data, Header* out) {
  for (const WordFormat& f : kWordFormats) {
    WordReader r(data, f);
    uint64_t w[5];
    bool ok = true;
    for (uint64_t& word : w) ok = ok && r.Read(&word);
    if (!ok || w[0] != 0 || w[1] != 3 || w[3] == 0 || w[4] != 0 || (w[2] != 0 && w[2] != 1)) {
      continue;
    }
    *out = Header{f, w[2] == 1, w[3]};
    return true;
  }
  return false;
}

absl::Status RecordError(size_t offset, std::string_view why) {
  return absl::InvalidArgumentError(fmt::format("record at byte offset {}: {}", offset, why));
}

// Reads the records up to the end marker (or the end of the data); |reader|
// is left after the marker.
absl::Status ReadSamples(WordReader* reader, bool adjust, LegacyProfile* p) {
  std::vector<uint64_t> addresses;
  while (reader->remaining() > 0) {
    const size_t offset = reader->offset();
    uint64_t count, depth;
    if (!reader->Read(&count) || !reader->Read(&depth)) {
      return RecordError(offset, fmt::format("{} trailing bytes are not a whole record header",
                                             reader->remaining()));
    }
    if (depth > reader->remaining() / 4) {
      return RecordError(offset, fmt::format("stack depth {} exceeds the {} bytes left", depth,
                                             reader->remaining()));
    }
    addresses.resize(depth);
    for (uint64_t& a : addresses) {
      if (!reader->Read(&a)) {
        return RecordError(offset, fmt::format("stack of {} addresses runs past the end of the data",
                                               depth));
      }
    }
    if (count == 0 && depth == 1 && addresses[0] == 0) break;  // end marker
    int64_t cpu;
    if (count > static_cast<uint64_t>(INT64_MAX) ||
        __builtin_mul_overflow(static_cast<int64_t>(count), p->period, &cpu)) {
      return RecordError(offset, fmt::format("count {} times period {} ns overflows int64", count,
                                             p->period));
    }
    LegacySample sample;
    sample.values = {static_cast<int64_t>(count), cpu};
    sample.locations.reserve(depth);
    for (size_t i = 0; i < addresses.size(); ++i) {
      // Callers' return addresses point after the call; the leaf (the
      // interrupted PC) does not.
      const uint64_t a = adjust && i > 0 ? addresses[i] - 1 : addresses[i];
      sample.locations.push_back(p->LocationAt(a));
    }
    p->samples.push_back(std::move(sample));
  }
  return absl::OkStatus();
}

// The signal handler's frame shows up as the caller of almost every leaf:
// if all but one in 32 samples share their second frame, it is dropped;
// twice, for handlers that push two frames.
void RemoveSignalHandlerFrames(LegacyProfile* p) {
  const size_t margin = p->samples.size() / 32;
  for (int iteration = 0; iteration < 2; ++iteration) {
    absl::flat_hash_map<uint32_t, size_t> callers;
    for (const LegacySample& s : p->samples) {
      if (s.locations.size() > 1) ++callers[s.locations[1]];
    }
    for (const auto& [caller, count] : callers) {
      if (count + margin < p->samples.size()) continue;
      // At most one caller can be this common, so the map order is moot.
      for (LegacySample& s : p->samples) {
        if (s.locations.size() > 1 && s.locations[1] == caller) {
          s.locations.erase(s.locations.begin() + 1);
        }
      }
      break;
    }
  }
}

}  // namespace

bool HasCpuProfileHeader(std::string_view data) {
  Header h;
  return ReadHeader(data, &h);
}

absl::StatusOr<LegacyProfile> ParseCpuProfile(std::string_view data) {
  Header header;
  if (!ReadHeader(data, &header)) return NotThisFormat("no binary CPU profile header");
  LegacyProfile p;
  if (header.period_us > static_cast<uint64_t>(INT64_MAX) / 1000) {
    return absl::InvalidArgumentError(
        fmt::format("sampling period {} us overflows int64 nanoseconds", header.period_us));
  }
  p.period = static_cast<int64_t>(header.period_us) * 1000;
  p.period_type = {"cpu", "nanoseconds"};
  p.sample_types = {{"samples", "count"}, {"cpu", "nanoseconds"}};
  WordReader reader(data, header.format);
  uint64_t skip;
  for (int i = 0; i < 5; ++i) reader.Read(&skip);
  if (absl::Status s = ReadSamples(&reader, /*adjust=*/!header.java, &p); !s.ok()) {
    return absl::InvalidArgumentError(
        fmt::format("{} words: {}", header.format.name, s.message()));
  }
  if (header.java) {
    // Java frames arrive symbolized, so they need neither adjusting nor the
    // native heuristics.
    if (absl::Status s = ApplyJavaSymbols(reader.rest(), 1, &p); !s.ok()) return s;
    AttachMappings({}, &p);
    return p;
  }
  RemoveSignalHandlerFrames(&p);
  TextLines maps(reader.rest());
  AttachMappings(ParseMemoryMap(&maps), &p);
  RemoveDuplicatedLeaves(&p);
  return p;
}

}  // namespace kiln::pprof_legacy
