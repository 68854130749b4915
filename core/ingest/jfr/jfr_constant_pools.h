// Where each constant of a chunk lives. Constants (stack traces, methods,
// classes, symbols, threads, strings …) are written in checkpoint events
// (type id 1): size, type 1, start, duration, delta, flush/type mask byte,
// pool count, then per pool a type id, an entry count and (key, value)
// pairs. The chunk header points at the last checkpoint; each checkpoint's
// delta leads to the previous one (0 ends the chain).
//
// The index keeps, per class and key, the absolute byte offset of the value,
// so values are decoded only when an event refers to them. The walk rejects
// chains that loop or leave the chunk, and checkpoints whose contents run
// past their declared size.
#ifndef KILN_INGEST_JFR_JFR_CONSTANT_POOLS_H_
#define KILN_INGEST_JFR_JFR_CONSTANT_POOLS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "core/ingest/jfr/jfr_chunk_header.h"
#include "core/ingest/jfr/jfr_metadata.h"

namespace kiln::jfr {

class ConstantPools {
 public:
  // Absolute offset of the value of |key| in the pool of |class_index|.
  std::optional<size_t> Find(uint32_t class_index, uint64_t key) const {
    if (class_index >= pools_.size()) return std::nullopt;
    auto it = pools_[class_index].find(key);
    if (it == pools_[class_index].end()) return std::nullopt;
    return it->second;
  }
  size_t num_checkpoints() const { return num_checkpoints_; }
  size_t num_constants() const { return num_constants_; }

 private:
  friend absl::StatusOr<ConstantPools> IndexConstantPools(std::string_view file,
                                                          const ChunkHeader& chunk,
                                                          const Types& types);
  std::vector<absl::flat_hash_map<uint64_t, size_t>> pools_;
  size_t num_checkpoints_ = 0;
  size_t num_constants_ = 0;
};

absl::StatusOr<ConstantPools> IndexConstantPools(std::string_view file, const ChunkHeader& chunk,
                                                 const Types& types);

}  // namespace kiln::jfr

#endif  // KILN_INGEST_JFR_JFR_CONSTANT_POOLS_H_
