#include "core/ingest/jfr/jfr_sample_kinds.h"

namespace kiln::jfr {

const SampleKindSpec& SpecOf(SampleKind kind) {
  static constexpr SampleKindSpec kSpecs[kNumSampleKinds] = {
      {"process_cpu", "jdk.ExecutionSample", {{"samples", "count"}, {"cpu", "nanoseconds"}}, 2,
       {"cpu", "nanoseconds"}, true},
      {"wall", "profiler.WallClockSample", {{"samples", "count"}, {"wall", "nanoseconds"}}, 2,
       {"wall", "nanoseconds"}, true},
      {"native", "jdk.NativeMethodSample", {{"samples", "count"}, {"native", "nanoseconds"}}, 2,
       {"native", "nanoseconds"}, true},
      {"memory", "jdk.ObjectAllocationInNewTLAB",
       {{"alloc_in_new_tlab_objects", "count"}, {"alloc_in_new_tlab_bytes", "bytes"}}, 2,
       {"space", "bytes"}, false},
      {"memory", "jdk.ObjectAllocationOutsideTLAB",
       {{"alloc_outside_tlab_objects", "count"}, {"alloc_outside_tlab_bytes", "bytes"}}, 2,
       {"space", "bytes"}, false},
      {"memory", "jdk.ObjectAllocationSample",
       {{"alloc_sample_objects", "count"}, {"alloc_sample_bytes", "bytes"}}, 2, {"space", "bytes"},
       false},
      {"mutex", "jdk.JavaMonitorEnter", {{"contentions", "count"}, {"delay", "nanoseconds"}}, 2,
       {"mutex", "count"}, false},
      {"block", "jdk.ThreadPark", {{"contentions", "count"}, {"delay", "nanoseconds"}}, 2,
       {"block", "count"}, false},
      {"memory", "profiler.LiveObject", {{"live", "count"}, {}}, 1, {"objects", "count"}, false},
      {"memory", "profiler.Malloc", {{"malloc_objects", "count"}, {"malloc_bytes", "bytes"}}, 2,
       {"space", "bytes"}, false},
  };
  return kSpecs[static_cast<int>(kind)];
}

}  // namespace kiln::jfr
