// Little-endian base-128 varints, zig-zag signed integers and fixed-width
// words: the integer coding of every storage section. Readers are bounds
// checked; a short or overlong input turns the reader's ok() false instead
// of reading past the end, so decoders check ok() once per section.
#ifndef KILN_STORAGE_VARINT_CODING_H_
#define KILN_STORAGE_VARINT_CODING_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace kiln::storage {

inline uint64_t ZigZag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
inline int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

class ByteWriter {
 public:
  explicit ByteWriter(std::string* out) : out_(out) {}

  void Varint(uint64_t v) {
    char buf[10];
    int n = 0;
    while (v >= 0x80) {
      buf[n++] = static_cast<char>(v | 0x80);
      v >>= 7;
    }
    buf[n++] = static_cast<char>(v);
    out_->append(buf, n);
  }
  void Signed(int64_t v) { Varint(ZigZag(v)); }
  void Fixed32(uint32_t v) {
    char buf[4];
    for (int i = 0; i < 4; ++i) buf[i] = static_cast<char>(v >> (8 * i));
    out_->append(buf, 4);
  }
  void Fixed64(uint64_t v) {
    Fixed32(static_cast<uint32_t>(v));
    Fixed32(static_cast<uint32_t>(v >> 32));
  }
  void Bytes(std::string_view s) { out_->append(s.data(), s.size()); }
  // Length-prefixed string.
  void String(std::string_view s) {
    Varint(s.size());
    Bytes(s);
  }

 private:
  std::string* out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view data) : data_(data) {}

  bool ok() const { return ok_; }
  bool done() const { return pos_ == data_.size(); }
  size_t offset() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }

  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size()) return Fail();
      const uint8_t b = static_cast<uint8_t>(data_[pos_++]);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (b < 0x80) return v;
    }
    return Fail();
  }
  int64_t Signed() { return UnZigZag(Varint()); }
  uint32_t Fixed32() {
    if (remaining() < 4) return static_cast<uint32_t>(Fail());
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<uint8_t>(data_[pos_ + i])) << (8 * i);
    pos_ += 4;
    return v;
  }
  uint64_t Fixed64() {
    const uint64_t lo = Fixed32();
    return lo | (static_cast<uint64_t>(Fixed32()) << 32);
  }
  std::string_view Bytes(size_t n) {
    if (remaining() < n) {
      Fail();
      return {};
    }
    std::string_view s = data_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::string_view String() { return Bytes(Varint()); }
  // A count of items that each take at least |min_item_bytes| of the
  // remaining input: larger counts are corrupt, so callers may reserve().
  uint64_t Count(size_t min_item_bytes = 1) {
    const uint64_t n = Varint();
    if (min_item_bytes > 0 && n > remaining() / min_item_bytes) return Fail();
    return n;
  }

 private:
  uint64_t Fail() {
    ok_ = false;
    pos_ = data_.size();
    return 0;
  }

  std::string_view data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace kiln::storage

#endif  // KILN_STORAGE_VARINT_CODING_H_
