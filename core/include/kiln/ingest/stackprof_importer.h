// Ruby stackprof JSON dumps (`StackProf.run(raw: true)` then
// `stackprof --json`, or `StackProf::Report#to_json`), see
// docs/formats/stackprof.md:
//
//   {"mode": "cpu"|"wall"|"object"|..., "interval": n,
//    "frames": {"<id>": {"name", "file", "line"}, ...},
//    "raw": [height, id_root, ..., id_leaf, count, height, ...],
//    "raw_timestamp_deltas": [us, ...]}
//
// One Profile. Sample types: samples/count, plus cpu/nanoseconds (cpu mode:
// count x interval us), wall/nanoseconds (wall mode: the samples'
// raw_timestamp_deltas, or count x interval without them) or
// alloc_objects/count (object mode: count x interval, stackprof sampling
// every interval-th allocation).
#ifndef KILN_INGEST_STACKPROF_IMPORTER_H_
#define KILN_INGEST_STACKPROF_IMPORTER_H_

#include <memory>
#include <string_view>

#include "absl/status/statusor.h"
#include "kiln/ingest/importer.h"

namespace kiln {

std::unique_ptr<Importer> NewStackprofImporter();

// Reads a stackprof dump (optionally gzipped). Errors are InvalidArgument
// and say where (line and column for broken JSON, the JSON path otherwise).
absl::StatusOr<Profile> ParseStackprof(std::string_view data, const ImportOptions& options = {});

}  // namespace kiln

#endif  // KILN_INGEST_STACKPROF_IMPORTER_H_
