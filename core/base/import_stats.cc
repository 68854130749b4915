#include "kiln/base/import_stats.h"

#include "fmt/format.h"

namespace kiln {
namespace {

struct StatInfo {
  const char* name;
  StatSeverity severity;
  const char* description;
};

constexpr StatInfo kStatInfo[] = {
#define KILN_STAT_INFO_(name, severity, desc) {#name, StatSeverity::severity, desc},
    KILN_IMPORT_STATS(KILN_STAT_INFO_)
#undef KILN_STAT_INFO_
};

}  // namespace

void ImportStats::Note(ImportStat stat, std::string note) {
  Bump(stat);
  if (notes_.size() < kMaxNotes) notes_.push_back(std::move(note));
}

bool ImportStats::HasDataLoss() const {
  for (int i = 0; i < static_cast<int>(ImportStat::kCount); ++i) {
    if (counts_[i] > 0 && kStatInfo[i].severity == StatSeverity::kDataLoss) return true;
  }
  return false;
}

bool ImportStats::Empty() const {
  for (int64_t c : counts_) {
    if (c != 0) return false;
  }
  return true;
}

void ImportStats::MergeFrom(const ImportStats& other) {
  for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  for (const auto& n : other.notes_) {
    if (notes_.size() >= kMaxNotes) break;
    notes_.push_back(n);
  }
}

std::string ImportStats::ToString() const {
  std::string out;
  for (size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] == 0) continue;
    out += fmt::format("{}={} ({})\n", kStatInfo[i].name, counts_[i], kStatInfo[i].description);
  }
  for (const auto& n : notes_) out += fmt::format("  {}\n", n);
  return out;
}

const char* ImportStats::Name(ImportStat stat) { return kStatInfo[static_cast<int>(stat)].name; }
const char* ImportStats::Description(ImportStat stat) {
  return kStatInfo[static_cast<int>(stat)].description;
}
StatSeverity ImportStats::Severity(ImportStat stat) {
  return kStatInfo[static_cast<int>(stat)].severity;
}

}  // namespace kiln
