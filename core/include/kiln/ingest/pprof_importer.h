// pprof (google/pprof proto/profile.proto), gzipped or raw protobuf. Every
// sample type, sample labels, mappings, inlined lines. See docs/formats/pprof.md.
#ifndef KILN_INGEST_PPROF_IMPORTER_H_
#define KILN_INGEST_PPROF_IMPORTER_H_

#include <memory>
#include <string_view>

#include "absl/status/statusor.h"
#include "kiln/ingest/importer.h"

namespace kiln {

std::unique_ptr<Importer> NewPprofImporter();

// Decodes one pprof message (gzip or raw) into a Profile; the importer's core,
// exposed for callers that know the format (push.v1, /ingest?format=pprof).
absl::StatusOr<Profile> ParsePprof(std::string_view data, const ImportOptions& options = {});

}  // namespace kiln

#endif  // KILN_INGEST_PPROF_IMPORTER_H_
