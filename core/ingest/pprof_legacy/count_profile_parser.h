// Go's count profiles in runtime/pprof debug=1 text: "goroutine profile:
// total N" or "threadcreate profile: total N" (any "<name> profile: total N"),
// then "count @ 0x… 0x…" lines, each optionally followed by "#\t0x…" symbol
// comments.
#ifndef KILN_INGEST_PPROF_LEGACY_COUNT_PROFILE_PARSER_H_
#define KILN_INGEST_PPROF_LEGACY_COUNT_PROFILE_PARSER_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "core/ingest/pprof_legacy/legacy_profile.h"

namespace kiln::pprof_legacy {

// NotThisFormat unless the first line that is neither blank nor a '#'
// comment is "<name> profile: total <n>".
absl::StatusOr<LegacyProfile> ParseCountProfile(std::string_view data);

}  // namespace kiln::pprof_legacy

#endif  // KILN_INGEST_PPROF_LEGACY_COUNT_PROFILE_PARSER_H_
