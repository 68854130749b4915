// The kinds of profile a JFR recording yields and the events that feed them,
// named as Pyroscope's JFR conversion names them (grafana/jfr-parser
// pprof/pprof.go): profile name, sample types, period type.
#ifndef KILN_INGEST_JFR_JFR_SAMPLE_KINDS_H_
#define KILN_INGEST_JFR_JFR_SAMPLE_KINDS_H_

#include <cstddef>
#include <string_view>

namespace kiln::jfr {

enum class SampleKind : int {
  kCpu,
  kWall,
  kNativeMethod,
  kAllocInNewTlab,
  kAllocOutsideTlab,
  kAllocSample,
  kMonitorEnter,
  kThreadPark,
  kLiveObject,
  kMalloc,
  kCount
};
inline constexpr size_t kNumSampleKinds = static_cast<size_t>(SampleKind::kCount);

struct TypeName {
  std::string_view type;
  std::string_view unit;
};

struct SampleKindSpec {
  std::string_view profile_name;  // Pyroscope's __name__
  std::string_view event;         // the event type that feeds it (the jfr_event label)
  TypeName types[2];
  size_t num_types;
  TypeName period_type;
  // Values are samples x sampling period (the second type is a time).
  bool periodic;
};

const SampleKindSpec& SpecOf(SampleKind kind);

}  // namespace kiln::jfr

#endif  // KILN_INGEST_JFR_JFR_SAMPLE_KINDS_H_
