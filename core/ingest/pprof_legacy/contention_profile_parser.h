// Lock contention text: "--- contentionz 1 ---" (gperftools/Google C++) or
// Go's "--- mutex:" / "--- contention:" (runtime/pprof debug=1), then
// "key = value" attributes (cycles/second, sampling period, ms since reset),
// then "<delay cycles> <count> @ 0x… …" lines, then a memory map. Delays are
// converted to nanoseconds with cycles/second and both values multiplied by
// the sampling period, as pprof does.
#ifndef KILN_INGEST_PPROF_LEGACY_CONTENTION_PROFILE_PARSER_H_
#define KILN_INGEST_PPROF_LEGACY_CONTENTION_PROFILE_PARSER_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "core/ingest/pprof_legacy/legacy_profile.h"

namespace kiln::pprof_legacy {

// NotThisFormat for other headers and for Java contention profiles (which
// carry "format" / "resolution" attributes; see java_profile_parser.h).
absl::StatusOr<LegacyProfile> ParseContentionProfile(std::string_view data);

}  // namespace kiln::pprof_legacy

#endif  // KILN_INGEST_PPROF_LEGACY_CONTENTION_PROFILE_PARSER_H_
