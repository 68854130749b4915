// Turns a LegacyProfile into Kiln's Profile the way `go tool pprof` ends up
// seeing it: records with the same stack and labels are merged (pprof's
// Merge/Compact), records whose values are all zero dropped
// (zero_values_dropped), heap block sizes kept as the numeric label "bytes".
// Applies ImportOptions: max_samples (ResourceExhausted), max_stack_depth
// (root-most frames kept, stacks_truncated), max_name_length.
#ifndef KILN_INGEST_PPROF_LEGACY_PROFILE_BUILDER_H_
#define KILN_INGEST_PPROF_LEGACY_PROFILE_BUILDER_H_

#include "absl/status/statusor.h"
#include "core/ingest/pprof_legacy/legacy_profile.h"
#include "kiln/ingest/importer.h"

namespace kiln::pprof_legacy {

absl::StatusOr<Profile> BuildProfile(const LegacyProfile& legacy, const ImportOptions& options);

}  // namespace kiln::pprof_legacy

#endif  // KILN_INGEST_PPROF_LEGACY_PROFILE_BUILDER_H_
