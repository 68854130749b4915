// Counters of what an importer skipped, repaired or truncated. Bad data is
// not fatal: every skipped record bumps a named counter here, and the first
// few carry a note that says where (line, byte offset, event index) and why.
// The CLI prints them; the server returns them with the ingest response.
#ifndef KILN_BASE_IMPORT_STATS_H_
#define KILN_BASE_IMPORT_STATS_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace kiln {

// X-macro: name, severity, description. kDataLoss means input that was
// present is not in the result; kInfo means the result is complete.
#define KILN_IMPORT_STATS(F)                                                                     \
  F(records_skipped, kDataLoss, "records (lines, samples, events) that could not be parsed")   \
  F(invalid_references, kDataLoss, "references to ids that do not exist; the frame or sample was dropped") \
  F(stacks_truncated, kInfo, "stacks deeper than max_stack_depth; the leaf-most frames were dropped") \
  F(names_truncated, kInfo, "symbol names longer than max_name_length, cut to the limit")      \
  F(zero_values_dropped, kInfo, "samples whose values were all zero")                           \
  F(negative_values, kInfo, "samples with a negative value (kept: deltas may be negative)")    \
  F(invalid_utf8, kInfo, "strings with invalid UTF-8, kept as bytes")                         \
  F(unsupported_events, kInfo, "events of a kind Kiln does not turn into a profile")            \
  F(unresolved_frames, kInfo, "frames with no symbol; shown by address")

enum class ImportStat : int {
#define KILN_STAT_ENUM_(name, severity, desc) name,
  KILN_IMPORT_STATS(KILN_STAT_ENUM_)
#undef KILN_STAT_ENUM_
  kCount
};

enum class StatSeverity { kInfo, kDataLoss };

class ImportStats {
 public:
  static constexpr size_t kMaxNotes = 16;

  void Bump(ImportStat stat, int64_t n = 1) { counts_[static_cast<int>(stat)] += n; }
  // Bumps |stat| and keeps |note| (e.g. "line 12: no count after the stack")
  // while fewer than kMaxNotes notes are kept.
  void Note(ImportStat stat, std::string note);

  int64_t Get(ImportStat stat) const { return counts_[static_cast<int>(stat)]; }
  const std::vector<std::string>& notes() const { return notes_; }
  bool HasDataLoss() const;
  bool Empty() const;
  void MergeFrom(const ImportStats& other);

  // "records_skipped=3 (line 4: ...; line 9: ...)", one stat per line; empty if nothing to say.
  std::string ToString() const;

  static const char* Name(ImportStat stat);
  static const char* Description(ImportStat stat);
  static StatSeverity Severity(ImportStat stat);

 private:
  std::array<int64_t, static_cast<int>(ImportStat::kCount)> counts_{};
  std::vector<std::string> notes_;
};

}  // namespace kiln

#endif  // KILN_BASE_IMPORT_STATS_H_
