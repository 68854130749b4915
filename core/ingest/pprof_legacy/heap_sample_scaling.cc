#include "core/ingest/pprof_legacy/heap_sample_scaling.h"

#include "core/ingest/pprof_legacy/go_exp.h"

namespace kiln::pprof_legacy {

bool GoFloatToInt64(double f, int64_t* out) {
  if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0)) return false;
  *out = static_cast<int64_t>(f);  // truncates toward zero, like Go
  return true;
}

bool ScaleHeapSample(int64_t count, int64_t size, int64_t rate, ScaledHeapValues* out) {
  if (count == 0 || size == 0) {
    *out = {};
    return true;
  }
  if (rate <= 1) {
    // Rate 1 kept everything; below 1 the rate is unknown and pprof leaves
    // the values alone.
    *out = {count, size};
    return true;
  }
  const double avg_size = static_cast<double>(size) / static_cast<double>(count);
  const double scale = 1 / (1 - GoExp(-avg_size / static_cast<double>(rate)));
  return GoFloatToInt64(static_cast<double>(count) * scale, &out->count) &&
         GoFloatToInt64(static_cast<double>(size) * scale, &out->size);
}

}  // namespace kiln::pprof_legacy
