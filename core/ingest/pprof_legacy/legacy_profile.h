// One legacy pprof file as google/pprof's legacy parsers see it, before it
// becomes a kiln::Profile: locations keyed by (already adjusted) address,
// samples as raw records (not yet merged), mappings from the memory-map
// section. Each format parser fills one; BuildProfile turns it into a Profile.
//
// Invariants: every LegacySample::locations entry indexes |locations|; every
// LegacyLocation::mapping is -1 or indexes |mappings|; each sample has
// sample_types.size() values.
#ifndef KILN_INGEST_PPROF_LEGACY_LEGACY_PROFILE_H_
#define KILN_INGEST_PPROF_LEGACY_LEGACY_PROFILE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "kiln/model/profile.h"

namespace kiln::pprof_legacy {

// One symbolized frame of a location (Java location lines, Go "#\t0x…"
// comments).
struct LegacyFrame {
  std::string function;
  std::string file;
  int64_t line = 0;
};

struct LegacyMapping {
  uint64_t start = 0;
  uint64_t limit = 0;
  uint64_t offset = 0;
  std::string file;
  std::string build_id;
};

struct LegacyLocation {
  uint64_t address = 0;
  // Innermost (inlined) frame first; empty when the file has no symbols.
  std::vector<LegacyFrame> frames;
  int mapping = -1;
};

struct LegacySample {
  // Leaf first.
  std::vector<uint32_t> locations;
  std::vector<int64_t> values;
  // Heap profiles: the average block size, pprof's numeric label "bytes".
  std::optional<int64_t> block_bytes;
};

struct LegacyProfile {
  std::vector<ValueType> sample_types;
  ValueType period_type;
  int64_t period = 0;
  int64_t duration_nanos = 0;
  std::vector<LegacyLocation> locations;
  std::vector<LegacySample> samples;
  std::vector<LegacyMapping> mappings;

  // The location at |address|, created on first use: pprof's legacy parsers
  // key locations by address.
  uint32_t LocationAt(uint64_t address);

 private:
  absl::flat_hash_map<uint64_t, uint32_t> by_address_;
};

// Parsers report "this is not my format" with this code, so the importer
// tries the next one (google/pprof's errUnrecognized); any other error means
// the format was recognized and the file is bad.
inline absl::Status NotThisFormat(std::string_view why) {
  return absl::NotFoundError(std::string(why));
}
inline bool IsNotThisFormat(const absl::Status& status) { return absl::IsNotFound(status); }

}  // namespace kiln::pprof_legacy

#endif  // KILN_INGEST_PPROF_LEGACY_LEGACY_PROFILE_H_
