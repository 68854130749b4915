// Bounds-checked reader of JFR's primitive encodings over one byte range of a
// file (usually one chunk): big-endian raw integers, and the LEB128 varints
// that JFR uses for short/int/long/char when the chunk's "compressed
// integers" feature bit is set (every producer sets it today).
//
// Errors are sticky: the first failure is kept in status() with the absolute
// byte offset where it happened; afterwards every read returns 0 and does not
// move. Callers check ok() in loops, so a corrupt count cannot make a loop
// spin: each iteration either consumes a byte or sees the failure.
#ifndef KILN_INGEST_JFR_JFR_BYTE_READER_H_
#define KILN_INGEST_JFR_JFR_BYTE_READER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace kiln::jfr {

class ByteReader {
 public:
  // Reads |file| from |pos| up to (not including) |end|; |end| is clamped to
  // the file size.
  ByteReader(std::string_view file, size_t pos, size_t end, bool compressed_integers);

  size_t pos() const { return pos_; }
  size_t end() const { return end_; }
  size_t remaining() const { return pos_ < end_ ? end_ - pos_ : 0; }
  bool compressed_integers() const { return compressed_; }
  bool ok() const { return status_.ok(); }
  const absl::Status& status() const { return status_; }

  // Records |what| (with the current offset) as the reader's error, unless
  // an earlier error is already recorded.
  void Fail(std::string_view what);
  // Moves to |pos|, which must lie within [file start, end].
  void Seek(size_t pos);

  uint8_t U8();
  uint16_t RawU16();
  uint32_t RawU32();
  uint64_t RawU64();
  // JFR varint: 7 bits per byte, low bits first; a 9th byte carries 8 bits.
  uint64_t VarU64();

  // Integers in the chunk's encoding (varint or raw big-endian). Values are
  // returned as the two's-complement bits of the Java type.
  uint64_t Long() { return compressed_ ? VarU64() : RawU64(); }
  uint32_t Int() { return compressed_ ? static_cast<uint32_t>(VarU64()) : RawU32(); }
  uint16_t Short() { return compressed_ ? static_cast<uint16_t>(VarU64()) : RawU16(); }

  // |n| bytes, or an empty view (and an error) when fewer remain.
  std::string_view Bytes(size_t n);
  void Skip(size_t n) { (void)Bytes(n); }

  // A count that precedes |n| items of at least |min_item_bytes| bytes each;
  // fails (returns 0) when the items could not fit in what remains, so a
  // corrupt count never drives an allocation or a long loop.
  uint32_t Count(std::string_view what, size_t min_item_bytes = 1);

 private:
  std::string_view file_;
  size_t pos_;
  size_t end_;
  bool compressed_;
  absl::Status status_;
};

}  // namespace kiln::jfr

#endif  // KILN_INGEST_JFR_JFR_BYTE_READER_H_
