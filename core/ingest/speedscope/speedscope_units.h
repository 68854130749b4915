// speedscope's profile units and the sample type each becomes.
//
//   none                          -> samples/count, weights as they are
//   nanoseconds .. seconds        -> cpu/nanoseconds, weights scaled to ns
//   bytes                         -> space/bytes
//
// This follows Pyroscope (pkg/og/convert/speedscope), which files time
// units as CPU or wall time in nanoseconds, "none" as sample counts and
// bytes as memory; Kiln keeps the values exact instead of Pyroscope's
// "x100 at a higher sample rate" fixed-point encoding.
#ifndef KILN_CORE_INGEST_SPEEDSCOPE_SPEEDSCOPE_UNITS_H_
#define KILN_CORE_INGEST_SPEEDSCOPE_SPEEDSCOPE_UNITS_H_

#include <optional>
#include <string_view>

#include "kiln/model/profile.h"

namespace kiln::speedscope {

struct SampleUnit {
  std::string_view unit;  // speedscope's name, e.g. "milliseconds"
  ValueType type;         // the sample type it becomes
  double scale = 1;       // sample type units per speedscope unit
  bool is_time = false;
};

// nullopt for a unit speedscope does not define.
std::optional<SampleUnit> ParseSampleUnit(std::string_view unit);

}  // namespace kiln::speedscope

#endif  // KILN_CORE_INGEST_SPEEDSCOPE_SPEEDSCOPE_UNITS_H_
