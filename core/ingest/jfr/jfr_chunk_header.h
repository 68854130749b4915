// The fixed 68-byte header that starts every JFR chunk (all big-endian):
//   0 magic "FLR\0"   4 major u16   6 minor u16   8 chunk size u64
//  16 constant pool offset u64 (the last checkpoint event, from chunk start)
//  24 metadata offset u64   32 start nanos   40 duration nanos
//  48 start ticks   56 ticks per second   64 features u32 (bit 0: integers
//  are varint-compressed; bit 1: final chunk).
// A file is a sequence of chunks, each self-contained (its own metadata and
// constant pools); the next chunk starts at this chunk's start + size.
#ifndef KILN_INGEST_JFR_JFR_CHUNK_HEADER_H_
#define KILN_INGEST_JFR_JFR_CHUNK_HEADER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"

namespace kiln::jfr {

inline constexpr size_t kChunkHeaderSize = 68;
inline constexpr std::string_view kChunkMagic{"FLR\0", 4};

struct ChunkHeader {
  size_t start = 0;  // absolute offset of the chunk in the file
  uint64_t size = 0;
  uint64_t constant_pool_offset = 0;
  uint64_t metadata_offset = 0;
  uint16_t major = 0;
  uint16_t minor = 0;
  int64_t start_nanos = 0;
  int64_t duration_nanos = 0;
  int64_t start_ticks = 0;
  int64_t ticks_per_second = 0;
  uint32_t features = 0;

  size_t end() const { return start + size; }
  bool compressed_integers() const { return (features & 1u) != 0; }
};

// Reads and validates the header of the chunk at |pos|: the magic, a 2.x
// version, a size that fits in |file|, and metadata/constant-pool offsets
// inside the chunk. Errors name the byte offset.
absl::StatusOr<ChunkHeader> ReadChunkHeader(std::string_view file, size_t pos);

}  // namespace kiln::jfr

#endif  // KILN_INGEST_JFR_JFR_CHUNK_HEADER_H_
