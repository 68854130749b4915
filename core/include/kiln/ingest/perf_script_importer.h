// `perf script` text output (Linux perf): one block per sample, a header
// line, tab-indented callchain frames leaf first, a blank line. See
// docs/formats/perf-script.md.
//
// One profile per event name ("cycles", "cpu-clock:ppp", …), in order of
// first appearance, each labelled {"event", name}. Sample types:
// samples/count (every sample weighs 1), plus, when headers carry periods,
// the summed periods as cpu/nanoseconds (cpu-clock, task-clock) or
// <event>/count, which is then the default type. A sample without a period
// in such a file weighs 1, as in stackcollapse-perf.pl. Stacks are rooted in
// a frame named after the process (comm, spaces as '_'); frame names follow
// stackcollapse-perf.pl (core/ingest/perf_script/frame_naming.h), so
// `kiln convert --to collapsed` matches its output.
#ifndef KILN_INGEST_PERF_SCRIPT_IMPORTER_H_
#define KILN_INGEST_PERF_SCRIPT_IMPORTER_H_

#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "kiln/ingest/importer.h"

namespace kiln {

std::unique_ptr<Importer> NewPerfScriptImporter();

struct PerfScriptOptions {
  // Demangle C++ ("_Z…") and Rust ("_ZN…h<hash>E", "_R…") symbols that perf
  // left mangled. stackcollapse-perf.pl does not; off reproduces its names.
  bool demangle = true;
};

// Parses perf script text (optionally gzipped). Unparseable lines and blocks
// are skipped and counted in each profile's stats; no sample at all is an
// error.
absl::StatusOr<std::vector<Profile>> ParsePerfScript(std::string_view data,
                                                     const ImportOptions& options = {},
                                                     const PerfScriptOptions& perf_options = {});

}  // namespace kiln

#endif  // KILN_INGEST_PERF_SCRIPT_IMPORTER_H_
