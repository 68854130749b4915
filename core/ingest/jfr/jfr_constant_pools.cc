#include "core/ingest/jfr/jfr_constant_pools.h"

#include "absl/container/flat_hash_set.h"
#include "core/ingest/jfr/jfr_byte_reader.h"
#include "core/ingest/jfr/jfr_value_reader.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"

namespace kiln::jfr {

absl::StatusOr<ConstantPools> IndexConstantPools(std::string_view file, const ChunkHeader& chunk,
                                                 const Types& types) {
  ConstantPools out;
  out.pools_.resize(types.classes().size());
  absl::flat_hash_set<size_t> visited;
  size_t pos = chunk.start + chunk.constant_pool_offset;
  while (true) {
    auto error = [&](const std::string& what) {
      return absl::InvalidArgumentError(
          fmt::format("constant pool event at byte {}: {}", pos, what));
    };
    if (!visited.insert(pos).second) {
      return error("the checkpoint chain loops back to this event (cyclic delta offsets)");
    }
    ByteReader header(file, pos, chunk.end(), chunk.compressed_integers());
    const uint64_t size = header.Long();
    const uint64_t type = header.Long();
    if (!header.ok()) return error(std::string(header.status().message()));
    if (type != 1) {
      return error(fmt::format("type id is {}, expected 1 (a checkpoint); bad offset?", type));
    }
    if (size > chunk.end() - pos || header.pos() > pos + size) {
      return error(fmt::format("size {} does not fit in the chunk (ends at byte {})", size,
                               chunk.end()));
    }
    ByteReader r(file, header.pos(), pos + size, chunk.compressed_integers());
    (void)r.Long();  // start time
    (void)r.Long();  // duration
    const int64_t delta = static_cast<int64_t>(r.Long());
    (void)r.U8();  // flush flag / checkpoint type mask
    // A pool is at least a type id and an entry count.
    const uint32_t num_pools = r.Count("pool", 2);
    ValueReader values(types, &r);
    for (uint32_t p = 0; p < num_pools && r.ok(); ++p) {
      const size_t at = r.pos();
      const uint64_t type_id = r.Long();
      if (!r.ok()) break;
      const int ci = types.IndexOfId(static_cast<int64_t>(type_id));
      if (ci < 0) {
        return absl::InvalidArgumentError(fmt::format(
            "constant pool at byte {}: type id {} is not in the metadata", at, type_id));
      }
      auto& pool = out.pools_[ci];
      const uint32_t n = r.Count("constant", 1);
      for (uint32_t i = 0; i < n && r.ok(); ++i) {
        const uint64_t key = r.Long();
        pool.try_emplace(key, r.pos());
        values.SkipValue(static_cast<uint32_t>(ci));
        ++out.num_constants_;
      }
    }
    if (!r.ok()) {
      return error(fmt::format("{} (in the constants of this checkpoint)", r.status().message()));
    }
    ++out.num_checkpoints_;
    if (delta == 0) break;
    int64_t next = 0;
    if (__builtin_add_overflow(static_cast<int64_t>(pos), delta, &next) ||
        next < static_cast<int64_t>(chunk.start + kChunkHeaderSize) ||
        next >= static_cast<int64_t>(chunk.end())) {
      return error(fmt::format("delta {} leads to byte {}, outside the chunk (bytes {}..{})",
                               delta, next, chunk.start + kChunkHeaderSize, chunk.end()));
    }
    pos = static_cast<size_t>(next);
  }
  return out;
}

}  // namespace kiln::jfr
