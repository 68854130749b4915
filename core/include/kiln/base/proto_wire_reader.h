// Reads protobuf's wire format (tags, varints, fixed and length-delimited
// fields) straight from bytes, without building messages. Importers that
// turn a large message into Kiln's model field by field use it to skip
// protobuf's object graph: decoding pprof this way costs about what parsing
// it into generated classes costs, instead of parsing plus copying.
//
// Invariants: a reader never reads outside its span; every method returns
// false on malformed input (a varint over 10 bytes, a length or fixed field
// past the end, wire type 6 or 7, field number 0, an unterminated group) and
// then offset() is where the bad item starts. Offsets count from the start
// of the outermost message, so nested readers report positions a user can
// find in the file.
// Ownership: a reader borrows its bytes; they must outlive it.
#ifndef KILN_BASE_PROTO_WIRE_READER_H_
#define KILN_BASE_PROTO_WIRE_READER_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace kiln {

enum class WireType : uint32_t {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kStartGroup = 3,
  kEndGroup = 4,
  kFixed32 = 5,
};

class ProtoWireReader {
 public:
  explicit ProtoWireReader(std::string_view bytes, size_t base_offset = 0)
      : begin_(reinterpret_cast<const uint8_t*>(bytes.data())),
        p_(begin_),
        end_(begin_ + bytes.size()),
        base_offset_(base_offset) {}

  bool done() const { return p_ >= end_; }
  // Offset of the next unread byte, from the start of the outermost message.
  size_t offset() const { return base_offset_ + static_cast<size_t>(p_ - begin_); }

  // The next field's number and wire type.
  bool ReadTag(uint32_t* field, WireType* wire) {
    uint64_t tag;
    const uint8_t* start = p_;
    if (!ReadVarint(&tag) || tag > 0xffffffffu || (tag >> 3) == 0 || (tag & 7) > 5) {
      p_ = start;
      return false;
    }
    *field = static_cast<uint32_t>(tag >> 3);
    *wire = static_cast<WireType>(tag & 7);
    return true;
  }

  bool ReadVarint(uint64_t* value) {
    // One-byte varints (small ids, flags) dominate profiles.
    if (p_ < end_ && *p_ < 0x80) {
      *value = *p_++;
      return true;
    }
    uint64_t v = 0;
    const uint8_t* q = p_;
    for (int shift = 0; shift < 70 && q < end_; shift += 7) {
      const uint8_t b = *q++;
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (b < 0x80) {
        *value = v;
        p_ = q;
        return true;
      }
    }
    return false;  // truncated, or longer than 10 bytes
  }

  // A length-delimited payload; |payload_offset| (if given) is where it starts.
  bool ReadLengthDelimited(std::string_view* out, size_t* payload_offset = nullptr) {
    const uint8_t* start = p_;
    uint64_t len;
    if (!ReadVarint(&len) || len > static_cast<uint64_t>(end_ - p_)) {
      p_ = start;
      return false;
    }
    if (payload_offset != nullptr) *payload_offset = offset();
    *out = std::string_view(reinterpret_cast<const char*>(p_), static_cast<size_t>(len));
    p_ += len;
    return true;
  }

  bool ReadFixed64(uint64_t* value) { return ReadFixed(value, 8); }
  bool ReadFixed32(uint32_t* value) { return ReadFixed(value, 4); }

  // Skips the value of a field whose tag was just read (groups included, as
  // protobuf's own parser skips unknown groups).
  bool SkipField(uint32_t field, WireType wire) { return SkipField(field, wire, 0); }

 private:
  static constexpr int kMaxGroupDepth = 64;

  template <typename T>
  bool ReadFixed(T* value, size_t n) {
    if (static_cast<size_t>(end_ - p_) < n) return false;
    std::memcpy(value, p_, n);
    p_ += n;
    return true;
  }

  bool SkipField(uint32_t field, WireType wire, int depth) {
    uint64_t u64;
    uint32_t u32;
    std::string_view sv;
    switch (wire) {
      case WireType::kVarint:
        return ReadVarint(&u64);
      case WireType::kFixed64:
        return ReadFixed64(&u64);
      case WireType::kFixed32:
        return ReadFixed32(&u32);
      case WireType::kLengthDelimited:
        return ReadLengthDelimited(&sv);
      case WireType::kStartGroup: {
        if (depth >= kMaxGroupDepth) return false;
        while (true) {
          uint32_t f;
          WireType w;
          if (!ReadTag(&f, &w)) return false;
          if (w == WireType::kEndGroup) return f == field;
          if (!SkipField(f, w, depth + 1)) return false;
        }
      }
      case WireType::kEndGroup:
        return false;  // an end without a start
    }
    return false;
  }

  const uint8_t* begin_;
  const uint8_t* p_;
  const uint8_t* end_;
  size_t base_offset_;
};

}  // namespace kiln

#endif  // KILN_BASE_PROTO_WIRE_READER_H_
