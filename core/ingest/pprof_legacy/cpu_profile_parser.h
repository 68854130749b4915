// The binary CPU profile of gperftools' profiler (and of Go before 1.9, and
// of the Java agent): machine words of 4 or 8 bytes in either byte order,
// found by trying each until the header reads 0, 3, 0|1, period_us, 0
// (0 = C++, 1 = Java). Then records "count, depth, pc…" (leaf first) up to
// the end marker "0, 1, 0", then /proc/self/maps text (C++) or a symbol
// table (Java, see java_profile_parser.h).
#ifndef KILN_INGEST_PPROF_LEGACY_CPU_PROFILE_PARSER_H_
#define KILN_INGEST_PPROF_LEGACY_CPU_PROFILE_PARSER_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "core/ingest/pprof_legacy/legacy_profile.h"

namespace kiln::pprof_legacy {

// True when |data| starts with a CPU profile header in some word size and
// byte order.
bool HasCpuProfileHeader(std::string_view data);

// NotThisFormat unless HasCpuProfileHeader. Like pprof, non-leaf addresses
// are moved back onto their call instruction (C++ only), a caller frame
// shared by nearly every sample is dropped as the signal handler's artifact,
// and a leaf recorded twice is kept once.
absl::StatusOr<LegacyProfile> ParseCpuProfile(std::string_view data);

}  // namespace kiln::pprof_legacy

#endif  // KILN_INGEST_PPROF_LEGACY_CPU_PROFILE_PARSER_H_
