// Firefox profiler (Gecko) JSON in its raw format, as the Gecko profiler
// writes it and Firefox DevTools exported it ({"profile": {...}} around it),
// see docs/formats/firefox.md: {"meta": {"interval", ...}, "threads": [...],
// "processes": [nested Gecko profiles]}. One Profile per thread that has
// samples, with the thread's name in the label `thread_name`; sample types
// samples/count and wall/nanoseconds.
//
// Profiles processed by profiler.firefox.com (meta.preprocessedProfileVersion,
// column-oriented tables) are not read yet: an error says so.
#ifndef KILN_INGEST_FIREFOX_IMPORTER_H_
#define KILN_INGEST_FIREFOX_IMPORTER_H_

#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "kiln/ingest/importer.h"

namespace kiln {

std::unique_ptr<Importer> NewFirefoxImporter();

// Reads a Gecko profile (optionally gzipped). Errors are InvalidArgument
// and say where (line and column for broken JSON, the JSON path otherwise).
absl::StatusOr<std::vector<Profile>> ParseFirefoxProfile(std::string_view data,
                                                         const ImportOptions& options = {});

}  // namespace kiln

#endif  // KILN_INGEST_FIREFOX_IMPORTER_H_
