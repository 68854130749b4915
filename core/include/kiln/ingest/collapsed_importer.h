// Collapsed ("folded") stacks, Brendan Gregg's FlameGraph text format: one
// line per stack, frames root first joined by ';', a space, an integer count.
// See docs/formats/collapsed.md.
//
// The result has one sample type, samples/count, and one sample per distinct
// stack (lines naming the same stack add up). Frame names are kept exactly as
// written, including stackcollapse annotations such as "_[k]" or "_[j]".
#ifndef KILN_INGEST_COLLAPSED_IMPORTER_H_
#define KILN_INGEST_COLLAPSED_IMPORTER_H_

#include <memory>
#include <string_view>

#include "absl/status/statusor.h"
#include "kiln/ingest/importer.h"

namespace kiln {

std::unique_ptr<Importer> NewCollapsedImporter();

// Reads collapsed stacks (UTF-8 with or without BOM, UTF-16 LE/BE with BOM,
// LF or CRLF, optionally gzipped). Lines that are not "stack count" are
// skipped and counted in stats; a text with no stack at all is an error.
absl::StatusOr<Profile> ParseCollapsed(std::string_view data, const ImportOptions& options = {});

}  // namespace kiln

#endif  // KILN_INGEST_COLLAPSED_IMPORTER_H_
