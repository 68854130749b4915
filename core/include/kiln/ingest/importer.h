// The contract every format importer implements.
//
// An importer answers two questions about a byte buffer:
//  - Sniff: is this mine? (by content; file names are only hints, applied by
//    the registry). 0 means "not mine"; 100 means a magic number matched.
//  - Import: the profiles in it, or an error that says what is wrong and
//    where (byte offset, line, event index). Records that are bad on their
//    own are counted in Profile::stats and skipped where the format allows;
//    a file that cannot be read as a whole is an error. Never a crash, never
//    a silently wrong total.
// Importers are stateless and thread-safe: one instance serves every call.
#ifndef KILN_INGEST_IMPORTER_H_
#define KILN_INGEST_IMPORTER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "kiln/model/profile.h"

namespace kiln {

struct ImportOptions {
  // Upper bound on bytes after decompression (zip-bomb guard).
  size_t max_decompressed_bytes = size_t{1} << 30;
  // Upper bound on samples per profile; more is an error (ResourceExhausted).
  size_t max_samples = size_t{64} << 20;
  // Stacks deeper than this keep their root-most frames (stacks_truncated).
  uint32_t max_stack_depth = 4096;
  // Longer symbol names are cut (names_truncated).
  size_t max_name_length = 65535;
};

class Importer {
 public:
  virtual ~Importer() = default;
  // Short format name: "pprof", "collapsed", "perf-script", "speedscope", …
  virtual std::string_view format() const = 0;
  // Confidence 0..100 that |data| (already un-gzipped) is this format.
  virtual int Sniff(std::string_view data) const = 0;
  // One or more profiles. An empty vector is never returned: no profile is
  // an error (e.g. "no samples").
  virtual absl::StatusOr<std::vector<Profile>> Import(std::string_view data,
                                                      const ImportOptions& options) const = 0;
};

}  // namespace kiln

#endif  // KILN_INGEST_IMPORTER_H_
