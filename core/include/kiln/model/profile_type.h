// Profile type IDs: `name:sample_type:sample_unit:period_type:period_unit`,
// e.g. `process_cpu:cpu:nanoseconds:cpu:nanoseconds` (Pyroscope's
// convention; a sixth `:delta` part is accepted and remembered).
#ifndef KILN_MODEL_PROFILE_TYPE_H_
#define KILN_MODEL_PROFILE_TYPE_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace kiln {

struct ProfileTypeId {
  std::string name;
  std::string sample_type;
  std::string sample_unit;
  std::string period_type;
  std::string period_unit;
  bool delta = false;

  // Fails with InvalidArgument naming the part that is missing or empty
  // (period type and unit may be empty, as Pyroscope allows).
  static absl::StatusOr<ProfileTypeId> Parse(std::string_view id);
  // The five-part ID (without `:delta`).
  std::string ToString() const;

  friend bool operator==(const ProfileTypeId&, const ProfileTypeId&) = default;
};

// Pyroscope's guess of a profile name from a pprof sample type when the
// source did not say (`cpu`/`samples` → process_cpu, `alloc_*`/`inuse_*` →
// memory, `contentions`/`delay` → mutex or block by period type, …).
std::string GuessProfileName(std::string_view sample_type, std::string_view period_type);

}  // namespace kiln

#endif  // KILN_MODEL_PROFILE_TYPE_H_
