#include "core/ingest/jfr/jfr_chunk_header.h"

#include "core/ingest/jfr/jfr_byte_reader.h"
#include "fmt/format.h"

namespace kiln::jfr {

absl::StatusOr<ChunkHeader> ReadChunkHeader(std::string_view file, size_t pos) {
  if (pos > file.size() || file.size() - pos < kChunkHeaderSize) {
    return absl::InvalidArgumentError(fmt::format(
        "chunk at byte {}: truncated header ({} bytes, a chunk header has {})", pos,
        pos > file.size() ? 0 : file.size() - pos, kChunkHeaderSize));
  }
  if (file.substr(pos, 4) != kChunkMagic) {
    return absl::InvalidArgumentError(fmt::format(
        "chunk at byte {}: bad magic (expected \"FLR\\0\"; not a JFR file or chunk)", pos));
  }
  ByteReader r(file, pos + 4, pos + kChunkHeaderSize, /*compressed_integers=*/false);
  ChunkHeader h;
  h.start = pos;
  h.major = r.RawU16();
  h.minor = r.RawU16();
  h.size = r.RawU64();
  h.constant_pool_offset = r.RawU64();
  h.metadata_offset = r.RawU64();
  h.start_nanos = static_cast<int64_t>(r.RawU64());
  h.duration_nanos = static_cast<int64_t>(r.RawU64());
  h.start_ticks = static_cast<int64_t>(r.RawU64());
  h.ticks_per_second = static_cast<int64_t>(r.RawU64());
  h.features = r.RawU32();
  if (!r.ok()) return r.status();

  if (h.major != 2) {
    return absl::InvalidArgumentError(fmt::format(
        "chunk at byte {}: JFR version {}.{} is not supported (Kiln reads 2.x, JDK 11 and later)",
        pos, h.major, h.minor));
  }
  const uint64_t left = file.size() - pos;
  if (h.size < kChunkHeaderSize) {
    return absl::InvalidArgumentError(fmt::format(
        "chunk at byte {}: chunk size {} is smaller than its header (an unfinished recording?)",
        pos, h.size));
  }
  if (h.size > left) {
    return absl::InvalidArgumentError(fmt::format(
        "chunk at byte {}: chunk size {} exceeds the {} bytes left in the file (truncated?)", pos,
        h.size, left));
  }
  auto check_offset = [&](uint64_t offset, std::string_view what) -> absl::Status {
    if (offset < kChunkHeaderSize || offset >= h.size) {
      return absl::InvalidArgumentError(fmt::format(
          "chunk at byte {}: {} offset {} lies outside the chunk's events (bytes {}..{})", pos,
          what, offset, kChunkHeaderSize, h.size));
    }
    return absl::OkStatus();
  };
  if (absl::Status s = check_offset(h.metadata_offset, "metadata"); !s.ok()) return s;
  if (absl::Status s = check_offset(h.constant_pool_offset, "constant pool"); !s.ok()) return s;
  if (h.ticks_per_second <= 0) {
    return absl::InvalidArgumentError(
        fmt::format("chunk at byte {}: ticks per second is {}", pos, h.ticks_per_second));
  }
  return h;
}

}  // namespace kiln::jfr
