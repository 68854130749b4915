// Picks an importer for a buffer by content and runs it. gzip is undone
// here, once, so importers see plain bytes (pprof also accepts gzip itself).
#ifndef KILN_INGEST_IMPORTER_REGISTRY_H_
#define KILN_INGEST_IMPORTER_REGISTRY_H_

#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "kiln/ingest/importer.h"

namespace kiln {

class ImporterRegistry {
 public:
  // Every importer Kiln has.
  static const ImporterRegistry& Default();

  void Register(std::unique_ptr<Importer> importer);
  const Importer* Find(std::string_view format) const;
  const std::vector<std::unique_ptr<Importer>>& importers() const { return importers_; }

  // The importer with the highest sniff score (ties go to the one whose
  // format matches |filename_hint|'s extension, then registration order);
  // nullptr when every score is 0.
  const Importer* Detect(std::string_view plain_data, std::string_view filename_hint = {}) const;

  // Un-gzips (bounded by options.max_decompressed_bytes), detects unless
  // |format| names an importer, and imports. "Unrecognized format" errors
  // list the formats that were tried.
  absl::StatusOr<std::vector<Profile>> Import(std::string_view data,
                                              std::string_view filename_hint = {},
                                              std::string_view format = {},
                                              const ImportOptions& options = {}) const;

 private:
  std::vector<std::unique_ptr<Importer>> importers_;
};

}  // namespace kiln

#endif  // KILN_INGEST_IMPORTER_REGISTRY_H_
