#include "core/ingest/speedscope/speedscope_units.h"

namespace kiln::speedscope {

std::optional<SampleUnit> ParseSampleUnit(std::string_view unit) {
  struct Row {
    std::string_view unit;
    const char* type;
    const char* type_unit;
    double scale;
    bool is_time;
  };
  static constexpr Row kRows[] = {
      {"none", "samples", "count", 1, false},
      {"nanoseconds", "cpu", "nanoseconds", 1, true},
      {"microseconds", "cpu", "nanoseconds", 1e3, true},
      {"milliseconds", "cpu", "nanoseconds", 1e6, true},
      {"seconds", "cpu", "nanoseconds", 1e9, true},
      {"bytes", "space", "bytes", 1, false},
  };
  for (const Row& r : kRows) {
    if (r.unit == unit) return SampleUnit{r.unit, ValueType{r.type, r.type_unit}, r.scale, r.is_time};
  }
  return std::nullopt;
}

}  // namespace kiln::speedscope
