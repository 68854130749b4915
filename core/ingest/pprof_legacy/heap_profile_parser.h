// Text heap profiles: "heap profile: N: M [A: B] @ <kind>[/<rate>]" then one
// "inuse_count: inuse_bytes [alloc_count: alloc_bytes] @ 0x… 0x…" line per
// stack, then optionally a memory map. Kinds: gperftools "heapprofile"
// (exact), "heap_v2"/"heapz_v2" and Go's "heap" (Poisson-sampled, scaled
// back; Go writes twice its sampling rate after "heap/"), "growthz" and
// "fragmentationz". Go's debug=1 heap text is this format with comments.
#ifndef KILN_INGEST_PPROF_LEGACY_HEAP_PROFILE_PARSER_H_
#define KILN_INGEST_PPROF_LEGACY_HEAP_PROFILE_PARSER_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "core/ingest/pprof_legacy/legacy_profile.h"

namespace kiln::pprof_legacy {

// NotThisFormat unless the first line is a heap, growth or fragmentation header.
absl::StatusOr<LegacyProfile> ParseHeapProfile(std::string_view data);

}  // namespace kiln::pprof_legacy

#endif  // KILN_INGEST_PPROF_LEGACY_HEAP_PROFILE_PARSER_H_
