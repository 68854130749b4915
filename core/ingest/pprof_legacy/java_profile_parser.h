// The Java agent's text profiles: "--- heapz 1 ---" or "--- contentionz 1 ---",
// "key = value" attributes (format = java, resolution = <unit>, sampling
// period, ms since reset), "<v1> <v2> @ 0x… …" samples (v1 is bytes or
// delay, v2 the count), then a symbol table of "0x<addr> <frame>" lines. The
// binary Java CPU profile (cpu_profile_parser.h) ends with the same table.
#ifndef KILN_INGEST_PPROF_LEGACY_JAVA_PROFILE_PARSER_H_
#define KILN_INGEST_PPROF_LEGACY_JAVA_PROFILE_PARSER_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "core/ingest/pprof_legacy/legacy_profile.h"

namespace kiln::pprof_legacy {

// NotThisFormat unless the first line is one of the two headers.
absl::StatusOr<LegacyProfile> ParseJavaProfile(std::string_view data);

// Names the locations of |profile| from the "0x<addr> <frame>" lines of
// |text|: "function (file:line)", "function (path/to/lib.so)", or a bare
// name such as "GC" or "VM". Named locations lose their address (pprof
// aggregates Java frames by function and line); unnamed ones keep it.
// |first_line_number| numbers |text|'s lines in error messages.
absl::Status ApplyJavaSymbols(std::string_view text, size_t first_line_number,
                              LegacyProfile* profile);

}  // namespace kiln::pprof_legacy

#endif  // KILN_INGEST_PPROF_LEGACY_JAVA_PROFILE_PARSER_H_
