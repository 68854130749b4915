// pprof (google/pprof proto/profile.proto), gzipped or raw protobuf. Every
// sample type, sample labels, mappings, inlined lines. See docs/formats/pprof.md.
#ifndef KILN_INGEST_PPROF_IMPORTER_H_
#define KILN_INGEST_PPROF_IMPORTER_H_

#include <memory>
#include <span>
#include <string_view>

#include "absl/status/statusor.h"
#include "kiln/ingest/importer.h"
#include "kiln/model/pending_stacks.h"

namespace kiln {

std::unique_ptr<Importer> NewPprofImporter();

// Decodes one pprof message (gzip or raw) into a Profile; the importer's core,
// exposed for callers that know the format (push.v1, /ingest?format=pprof).
absl::StatusOr<Profile> ParsePprof(std::string_view data, const ImportOptions& options = {});

// A pprof profile decoded and checked, with its stacks not yet interned:
// the ingest path's form, which lets the segment writer intern the stacks
// straight into the dataset they are stored in (see PendingStacks).
// header() is the profile without its stacks: sample types, times, values,
// label sets (their strings in header().symbols), import notes;
// header().sample_stacks holds placeholders. InternInto the header's own
// tables would give what ParsePprof returns, except that only the symbols
// samples use are interned.
class DecodedPprof final : public PendingStacks {
 public:
  // Keeps its own copy of the (inflated) bytes: |data| may go away.
  static absl::StatusOr<std::unique_ptr<DecodedPprof>> Decode(std::string_view data,
                                                              const ImportOptions& options = {});
  ~DecodedPprof() override;

  Profile& header();
  const Profile& header() const;
  void InternInto(SymbolTable& symbols, StackTraceTree& stacks, std::span<StackId> out) override;

 private:
  struct State;
  DecodedPprof();
  std::unique_ptr<State> state_;
};

}  // namespace kiln

#endif  // KILN_INGEST_PPROF_IMPORTER_H_
