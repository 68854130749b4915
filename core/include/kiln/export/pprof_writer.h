// Writes a Profile as pprof, readable by `go tool pprof`: the same symbols,
// mappings, addresses, inlined lines and sample labels the profile holds.
#ifndef KILN_EXPORT_PPROF_WRITER_H_
#define KILN_EXPORT_PPROF_WRITER_H_

#include <string>

#include "absl/status/statusor.h"
#include "kiln/model/profile.h"

namespace kiln {

struct PprofWriteOptions {
  bool gzip = true;
  // Keep only this sample type (index into sample_types); -1 keeps all.
  int sample_type_index = -1;
};

// Fails only when |sample_type_index| is out of range.
absl::StatusOr<std::string> WritePprof(const Profile& profile, const PprofWriteOptions& options = {});

}  // namespace kiln

#endif  // KILN_EXPORT_PPROF_WRITER_H_
