#include "core/ingest/jfr/jfr_byte_reader.h"

#include <algorithm>

#include "fmt/format.h"

namespace kiln::jfr {

ByteReader::ByteReader(std::string_view file, size_t pos, size_t end, bool compressed_integers)
    : file_(file), pos_(pos), end_(std::min(end, file.size())), compressed_(compressed_integers) {
  if (pos_ > end_) {
    status_ = absl::InvalidArgumentError(
        fmt::format("byte {}: position is past the end of its range (byte {})", pos_, end_));
    pos_ = end_;
  }
}

void ByteReader::Fail(std::string_view what) {
  if (!status_.ok()) return;
  status_ = absl::InvalidArgumentError(fmt::format("byte {}: {}", pos_, what));
  // Later reads see no bytes, so loops driven by this reader stop.
  pos_ = end_;
}

void ByteReader::Seek(size_t pos) {
  if (!ok()) return;
  if (pos > end_) {
    Fail(fmt::format("offset {} is past the end of the chunk (byte {})", pos, end_));
    return;
  }
  pos_ = pos;
}

uint8_t ByteReader::U8() {
  if (pos_ >= end_) {
    Fail("unexpected end of data (truncated chunk?)");
    return 0;
  }
  return static_cast<uint8_t>(file_[pos_++]);
}

uint16_t ByteReader::RawU16() {
  std::string_view b = Bytes(2);
  if (b.size() != 2) return 0;
  return static_cast<uint16_t>((uint8_t(b[0]) << 8) | uint8_t(b[1]));
}

uint32_t ByteReader::RawU32() {
  std::string_view b = Bytes(4);
  if (b.size() != 4) return 0;
  uint32_t v = 0;
  for (char c : b) v = (v << 8) | uint8_t(c);
  return v;
}

uint64_t ByteReader::RawU64() {
  std::string_view b = Bytes(8);
  if (b.size() != 8) return 0;
  uint64_t v = 0;
  for (char c : b) v = (v << 8) | uint8_t(c);
  return v;
}

uint64_t ByteReader::VarU64() {
  uint64_t v = 0;
  for (int i = 0; i < 9; ++i) {
    if (pos_ >= end_) {
      Fail("varint runs past the end of the data (truncated chunk?)");
      return 0;
    }
    const uint8_t b = static_cast<uint8_t>(file_[pos_++]);
    if (i == 8) return v | (uint64_t{b} << 56);
    v |= uint64_t{b & 0x7fu} << (7 * i);
    if (b < 0x80) return v;
  }
  return v;
}

std::string_view ByteReader::Bytes(size_t n) {
  if (n > remaining()) {
    Fail(fmt::format("{} bytes needed but only {} remain (truncated chunk?)", n, remaining()));
    return {};
  }
  std::string_view out = file_.substr(pos_, n);
  pos_ += n;
  return out;
}

uint32_t ByteReader::Count(std::string_view what, size_t min_item_bytes) {
  const size_t at = pos_;
  const uint64_t n = Long();
  if (!ok()) return 0;
  const size_t per_item = std::max<size_t>(min_item_bytes, 1);
  if (n > remaining() / per_item || n > 0xffffffffu) {
    pos_ = at;
    Fail(fmt::format("{} count {} cannot fit in the {} bytes that remain", what, n, remaining()));
    return 0;
  }
  return static_cast<uint32_t>(n);
}

}  // namespace kiln::jfr
