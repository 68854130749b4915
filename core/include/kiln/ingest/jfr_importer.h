// JFR (JDK Flight Recorder) recordings, from the JDK (JDK 11+, format 2.x)
// and from async-profiler, gzipped or not, one or many chunks. Each kind of
// stack-sampling event becomes one Profile, named and typed as Pyroscope's
// JFR ingest does (grafana/jfr-parser): execution samples -> "process_cpu"
// (samples/count, cpu/nanoseconds), wall-clock samples -> "wall",
// allocations -> "memory" (alloc_in_new_tlab_*, alloc_outside_tlab_*,
// alloc_sample_*), monitor enter -> "mutex" and thread park -> "block"
// (contentions/count, delay/nanoseconds). See docs/formats/jfr.md.
//
// Each profile carries the label jfr_event=<event type>. Frame names are
// "pkg/Class.method" as the recording stores class names (Pyroscope's
// naming), with the frame's line number. Import notes that concern the whole
// file (missing constants, undecodable events) are kept in the first
// profile's stats.
#ifndef KILN_INGEST_JFR_IMPORTER_H_
#define KILN_INGEST_JFR_IMPORTER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "kiln/ingest/importer.h"

namespace kiln {

struct JfrOptions {
  // Sampling rate of execution and wall-clock samples in Hz, as Pyroscope's
  // /ingest?sampleRate= states it. 0: use the period the recording states
  // (jdk.ActiveSetting), else 100 Hz (Pyroscope's default).
  int64_t sample_rate_hz = 0;
};

struct JfrRecording {
  // One per event kind present, in a fixed order (cpu, wall, native, the
  // allocation kinds, mutex, block, live, malloc). May be empty.
  std::vector<Profile> profiles;
  // Events per type name over all chunks, counted like `jfr summary`
  // (jdk.Metadata and jdk.CheckPoint included).
  std::map<std::string, int64_t> event_counts;
  size_t num_chunks = 0;
  // jdk.ExecutionSample events of threads in STATE_SLEEPING: async-profiler
  // records them, but they burn no CPU, so process_cpu leaves them out (as
  // Pyroscope does); in wall-clock mode they still count as wall time.
  int64_t sleeping_execution_samples = 0;
};

std::unique_ptr<Importer> NewJfrImporter();

// The importer's core: every chunk of |data| (gzip or raw), the profiles and
// the event counts. Fails on a file that cannot be read as a whole.
absl::StatusOr<JfrRecording> ParseJfr(std::string_view data, const ImportOptions& options = {},
                                      const JfrOptions& jfr_options = {});

}  // namespace kiln

#endif  // KILN_INGEST_JFR_IMPORTER_H_
