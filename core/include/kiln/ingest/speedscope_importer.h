// speedscope's file format (https://www.speedscope.app/file-format-schema.json):
// {"$schema": ".../file-format-schema.json", "shared": {"frames": [{name,
// file?, line?, col?}]}, "profiles": [evented or sampled profile]}.
// See docs/formats/speedscope.md.
//
// One Profile per speedscope profile, with its name in the series label
// `profile_name`; profiles with the same name and unit are merged into one,
// as Pyroscope does. Units become sample types: none -> samples/count,
// nanoseconds..seconds -> cpu/nanoseconds, bytes -> space/bytes. Each
// distinct stack becomes one sample; an evented profile's stack weighs the
// time its frames were open with nothing above them (self time).
#ifndef KILN_INGEST_SPEEDSCOPE_IMPORTER_H_
#define KILN_INGEST_SPEEDSCOPE_IMPORTER_H_

#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "kiln/ingest/importer.h"

namespace kiln {

std::unique_ptr<Importer> NewSpeedscopeImporter();

// Reads a speedscope file (optionally gzipped). Errors are InvalidArgument
// and say where: a line and column for broken JSON, the JSON path for
// wrong values ("profiles[0].events[6]: closes frame 1 ...").
absl::StatusOr<std::vector<Profile>> ParseSpeedscope(std::string_view data,
                                                     const ImportOptions& options = {});

}  // namespace kiln

#endif  // KILN_INGEST_SPEEDSCOPE_IMPORTER_H_
