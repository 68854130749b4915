// gperftools/Google "threadz" text: "--- threadz N ---", then per thread
// "--- Thread <id> (name: <name>/<tid>) stack: ---" and lines whose 0x…
// numbers are its stack (leaf first; "creator:" stacks are appended as
// pprof does), or "[same as previous thread]", then a memory map.
#ifndef KILN_INGEST_PPROF_LEGACY_THREAD_PROFILE_PARSER_H_
#define KILN_INGEST_PPROF_LEGACY_THREAD_PROFILE_PARSER_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "core/ingest/pprof_legacy/legacy_profile.h"

namespace kiln::pprof_legacy {

// NotThisFormat unless the first non-blank line starts a threadz profile or
// a thread. Unlike pprof, the end of the data also ends the last thread (pprof
// requires a memory map or a "---- no stack trace for" line).
absl::StatusOr<LegacyProfile> ParseThreadProfile(std::string_view data);

// pprof's cleanupDuplicateLocations: when a handler recorded the leaf twice
// (once from the signal context, once unwound and adjusted by -1), drops the
// copy.
void RemoveDuplicatedLeaves(LegacyProfile* profile);

}  // namespace kiln::pprof_legacy

#endif  // KILN_INGEST_PPROF_LEGACY_THREAD_PROFILE_PARSER_H_
