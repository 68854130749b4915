#include "kiln/base/proto_wire_reader.h"

#include <gtest/gtest.h>

#include <string>

namespace kiln {
namespace {

std::string Varint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
  return out;
}

std::string Tag(uint32_t field, WireType wire) { return Varint(uint64_t{field} << 3 | static_cast<uint32_t>(wire)); }

TEST(ProtoWireReaderTest, ReadsEveryWireType) {
  std::string msg = Tag(1, WireType::kVarint) + Varint(300) +                       //
                    Tag(2, WireType::kVarint) + Varint(static_cast<uint64_t>(-2)) +  // 10 bytes
                    Tag(3, WireType::kLengthDelimited) + Varint(3) + "abc" +         //
                    Tag(4, WireType::kFixed64) + std::string("\x01\0\0\0\0\0\0\x80", 8) +
                    Tag(5, WireType::kFixed32) + std::string("\x02\0\0\0", 4);
  ProtoWireReader r(msg);
  uint32_t field;
  WireType wire;
  uint64_t v;
  ASSERT_TRUE(r.ReadTag(&field, &wire));
  EXPECT_EQ(field, 1u);
  EXPECT_EQ(wire, WireType::kVarint);
  ASSERT_TRUE(r.ReadVarint(&v));
  EXPECT_EQ(v, 300u);
  ASSERT_TRUE(r.ReadTag(&field, &wire));
  ASSERT_TRUE(r.ReadVarint(&v));
  EXPECT_EQ(static_cast<int64_t>(v), -2);
  ASSERT_TRUE(r.ReadTag(&field, &wire));
  EXPECT_EQ(wire, WireType::kLengthDelimited);
  std::string_view payload;
  size_t at = 0;
  ASSERT_TRUE(r.ReadLengthDelimited(&payload, &at));
  EXPECT_EQ(payload, "abc");
  EXPECT_EQ(msg.substr(at, 3), "abc");
  ASSERT_TRUE(r.ReadTag(&field, &wire));
  ASSERT_TRUE(r.ReadFixed64(&v));
  EXPECT_EQ(v, 0x8000000000000001ull);
  ASSERT_TRUE(r.ReadTag(&field, &wire));
  uint32_t f32;
  ASSERT_TRUE(r.ReadFixed32(&f32));
  EXPECT_EQ(f32, 2u);
  EXPECT_TRUE(r.done());
  EXPECT_EQ(r.offset(), msg.size());
}

TEST(ProtoWireReaderTest, SkipsUnknownFieldsAndGroups) {
  std::string msg = Tag(7, WireType::kStartGroup) + Tag(1, WireType::kVarint) + Varint(5) +
                    Tag(8, WireType::kStartGroup) + Tag(8, WireType::kEndGroup) +  // nested
                    Tag(7, WireType::kEndGroup) + Tag(9, WireType::kLengthDelimited) + Varint(2) + "xy" +
                    Tag(1, WireType::kVarint) + Varint(42);
  ProtoWireReader r(msg);
  uint32_t field;
  WireType wire;
  ASSERT_TRUE(r.ReadTag(&field, &wire));
  ASSERT_TRUE(r.SkipField(field, wire));
  ASSERT_TRUE(r.ReadTag(&field, &wire));
  ASSERT_TRUE(r.SkipField(field, wire));
  ASSERT_TRUE(r.ReadTag(&field, &wire));
  uint64_t v;
  ASSERT_TRUE(r.ReadVarint(&v));
  EXPECT_EQ(v, 42u);
  EXPECT_TRUE(r.done());
}

TEST(ProtoWireReaderTest, RefusesMalformedInputAndSaysWhere) {
  uint32_t field;
  WireType wire;
  uint64_t v;
  std::string_view sv;
  {
    ProtoWireReader r(std::string_view("\x80\x80", 2));  // truncated varint
    EXPECT_FALSE(r.ReadVarint(&v));
    EXPECT_EQ(r.offset(), 0u);
  }
  {
    const std::string eleven(11, '\xff');
    ProtoWireReader r(eleven);  // longer than 10 bytes
    EXPECT_FALSE(r.ReadVarint(&v));
  }
  {
    std::string msg = Tag(1, WireType::kVarint) + Varint(1) + Tag(2, WireType::kLengthDelimited) + Varint(10) + "abc";
    ProtoWireReader r(msg, 100);
    ASSERT_TRUE(r.ReadTag(&field, &wire));
    ASSERT_TRUE(r.ReadVarint(&v));
    ASSERT_TRUE(r.ReadTag(&field, &wire));
    EXPECT_FALSE(r.ReadLengthDelimited(&sv));  // length past the end
    EXPECT_EQ(r.offset(), 103u);               // at the length, base offset included
  }
  {
    ProtoWireReader r(Varint(6));  // wire type 6
    EXPECT_FALSE(r.ReadTag(&field, &wire));
  }
  {
    ProtoWireReader r(Varint(2));  // field number 0
    EXPECT_FALSE(r.ReadTag(&field, &wire));
  }
  {
    std::string msg = Tag(3, WireType::kStartGroup) + Tag(4, WireType::kEndGroup);  // mismatched end
    ProtoWireReader r(msg);
    ASSERT_TRUE(r.ReadTag(&field, &wire));
    EXPECT_FALSE(r.SkipField(field, wire));
  }
  {
    ProtoWireReader r(Tag(3, WireType::kStartGroup));  // unterminated
    ASSERT_TRUE(r.ReadTag(&field, &wire));
    EXPECT_FALSE(r.SkipField(field, wire));
  }
  {
    std::string deep;
    for (int i = 0; i < 100; ++i) deep += Tag(3, WireType::kStartGroup);
    for (int i = 0; i < 100; ++i) deep += Tag(3, WireType::kEndGroup);
    ProtoWireReader r(deep);  // nesting past the limit fails instead of recursing without bound
    ASSERT_TRUE(r.ReadTag(&field, &wire));
    EXPECT_FALSE(r.SkipField(field, wire));
  }
}

}  // namespace
}  // namespace kiln
