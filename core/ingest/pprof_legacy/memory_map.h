// The memory-map section of legacy profiles (/proc/self/maps lines, or the
// brief "start-end: file (@offset) buildid" form) and how google/pprof ties
// it to locations: non-executable entries are skipped, split entries of one
// file merged, the main binary moved first, a main binary mapped at
// 0x400000 given offset 0, and every location with an address assigned the
// mapping that covers it (or one synthetic mapping without a file).
#ifndef KILN_INGEST_PPROF_LEGACY_MEMORY_MAP_H_
#define KILN_INGEST_PPROF_LEGACY_MEMORY_MAP_H_

#include <vector>

#include "core/ingest/pprof_legacy/legacy_profile.h"
#include "core/ingest/pprof_legacy/text_lines.h"

namespace kiln::pprof_legacy {

// Reads every remaining line of |lines|. Lines that are not mappings are
// ignored, except "key = value" lines, which define $key for later lines
// (pprof's attribute substitution). glog prefixes ("W1220 … file.cc:12] ")
// are stripped.
std::vector<LegacyMapping> ParseMemoryMap(TextLines* lines);

// Replaces profile->mappings with |parsed| after pprof's fix-ups and sets
// every referenced location's mapping, visiting locations in the order the
// samples first reference them (the order pprof uses, which matters when a
// location widens a split mapping).
void AttachMappings(std::vector<LegacyMapping> parsed, LegacyProfile* profile);

// pprof's parseAdditionalSections for the text formats: skips to the line
// that starts the memory map (unless |lines| is on it), reads the map and
// attaches it. Without a memory map every location gets the synthetic one.
void ReadMemoryMapSection(TextLines* lines, LegacyProfile* profile);

}  // namespace kiln::pprof_legacy

#endif  // KILN_INGEST_PPROF_LEGACY_MEMORY_MAP_H_
