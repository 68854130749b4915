// Chrome / V8 / Node.js profiles (see docs/formats/chrome.md):
//  - .cpuprofile: V8 CPU profiles, flat "nodes" + "samples" + "timeDeltas"
//    (Chrome >= 60, Node --cpu-prof) or the older nested "head" tree with
//    "timestamps"; sample types samples/count and cpu/nanoseconds, each
//    sample weighing the time until the next one;
//  - Chrome performance traces (a trace event array, or {"traceEvents"})
//    holding "Profile"/"ProfileChunk" events: one CPU profile per id;
//  - .heapprofile: V8 sampling heap profiles (nested "head" with
//    "selfSize"); sample type space/bytes.
// V8's "(root)" frame is left out of stacks; an empty function name is
// "(anonymous)"; lines and columns become 1-based.
#ifndef KILN_INGEST_CHROME_IMPORTER_H_
#define KILN_INGEST_CHROME_IMPORTER_H_

#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "kiln/ingest/importer.h"

namespace kiln {

std::unique_ptr<Importer> NewChromeImporter();

// Reads any of the above (optionally gzipped), telling them apart by their
// keys. Errors are InvalidArgument and say where: a line and column for
// broken JSON, the JSON path and node id for wrong values.
absl::StatusOr<std::vector<Profile>> ParseChromeProfile(std::string_view data,
                                                        const ImportOptions& options = {});

}  // namespace kiln

#endif  // KILN_INGEST_CHROME_IMPORTER_H_
