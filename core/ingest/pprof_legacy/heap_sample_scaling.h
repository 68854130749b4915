// Unsampling of heap profile records, as google/pprof's scaleHeapSample does
// it: a record of |count| blocks totalling |size| bytes, kept by a Poisson
// sampler with mean period |rate| bytes, had probability 1 - e^(-avg/rate)
// of being kept (avg = size/count), so both values are divided by it. Uses
// Go's float64 operations and math.Exp (GoExp) so that results equal
// `go tool pprof` exactly.
#ifndef KILN_INGEST_PPROF_LEGACY_HEAP_SAMPLE_SCALING_H_
#define KILN_INGEST_PPROF_LEGACY_HEAP_SAMPLE_SCALING_H_

#include <cstdint>

namespace kiln::pprof_legacy {

struct ScaledHeapValues {
  int64_t count = 0;
  int64_t size = 0;
};

// False when a scaled value does not fit in int64 (Go would silently produce
// INT64_MIN there; Kiln refuses instead).
bool ScaleHeapSample(int64_t count, int64_t size, int64_t rate, ScaledHeapValues* out);

// Go's int64(f) for an f that fits; false otherwise (NaN, ±Inf, |f| >= 2^63).
bool GoFloatToInt64(double f, int64_t* out);

}  // namespace kiln::pprof_legacy

#endif  // KILN_INGEST_PPROF_LEGACY_HEAP_SAMPLE_SCALING_H_
