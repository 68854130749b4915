// The pre-protobuf ("legacy") profile formats google/pprof still reads:
// gperftools' binary CPU profile (also old Go and the Java agent), text heap
// profiles (gperftools heapprofile/heap_v2, growth, fragmentation, Go's
// debug=1 heap), Go's debug=1 goroutine/threadcreate counts, contention
// (C++ contentionz, Go mutex/block), threadz, and the Java agent's heapz and
// contentionz text. Values, sample types and merging follow pprof exactly;
// Go's "#\t0x…" comments and Java symbol tables name frames, other frames
// are raw addresses within their mappings. See docs/formats/pprof-legacy.md.
#ifndef KILN_INGEST_PPROF_LEGACY_IMPORTER_H_
#define KILN_INGEST_PPROF_LEGACY_IMPORTER_H_

#include <memory>
#include <string_view>

#include "absl/status/statusor.h"
#include "kiln/ingest/importer.h"

namespace kiln {

std::unique_ptr<Importer> NewPprofLegacyImporter();

// Parses one legacy profile (gzip is undone first). Errors say which format
// was recognized and where it went wrong (line number or byte offset).
absl::StatusOr<Profile> ParsePprofLegacy(std::string_view data, const ImportOptions& options = {});

}  // namespace kiln

#endif  // KILN_INGEST_PPROF_LEGACY_IMPORTER_H_
