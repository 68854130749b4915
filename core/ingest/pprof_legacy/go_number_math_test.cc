// Go's integer syntax and float math as google/pprof's legacy parsers use
// them; reference values come from Go 1.19 on amd64 (with FMA).
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>

#include "core/ingest/pprof_legacy/go_exp.h"
#include "core/ingest/pprof_legacy/go_integer_syntax.h"
#include "core/ingest/pprof_legacy/heap_sample_scaling.h"

namespace kiln::pprof_legacy {
namespace {

TEST(GoIntegerSyntaxTest, BaseZeroFollowsGoLiterals) {
  int64_t v;
  EXPECT_EQ(ParseGoInt("42", 0, &v), GoIntResult::kOk);
  EXPECT_EQ(v, 42);
  EXPECT_EQ(ParseGoInt("010", 0, &v), GoIntResult::kOk);
  EXPECT_EQ(v, 8);
  EXPECT_EQ(ParseGoInt("0x1F", 0, &v), GoIntResult::kOk);
  EXPECT_EQ(v, 31);
  EXPECT_EQ(ParseGoInt("0b101", 0, &v), GoIntResult::kOk);
  EXPECT_EQ(v, 5);
  EXPECT_EQ(ParseGoInt("0o17", 0, &v), GoIntResult::kOk);
  EXPECT_EQ(v, 15);
  EXPECT_EQ(ParseGoInt("-1_000", 0, &v), GoIntResult::kOk);
  EXPECT_EQ(v, -1000);
  EXPECT_EQ(ParseGoInt("0", 0, &v), GoIntResult::kOk);
  EXPECT_EQ(v, 0);
  EXPECT_EQ(ParseGoInt("09", 0, &v), GoIntResult::kSyntaxError);
  EXPECT_EQ(ParseGoInt("1__0", 0, &v), GoIntResult::kSyntaxError);
  EXPECT_EQ(ParseGoInt("_1", 0, &v), GoIntResult::kSyntaxError);
  EXPECT_EQ(ParseGoInt("1_0", 10, &v), GoIntResult::kSyntaxError);
  EXPECT_EQ(ParseGoInt("", 10, &v), GoIntResult::kSyntaxError);
  EXPECT_EQ(ParseGoInt("-", 10, &v), GoIntResult::kSyntaxError);
  EXPECT_EQ(ParseGoInt(" 1", 10, &v), GoIntResult::kSyntaxError);
}

TEST(GoIntegerSyntaxTest, Limits) {
  int64_t v;
  EXPECT_EQ(ParseGoInt("9223372036854775807", 10, &v), GoIntResult::kOk);
  EXPECT_EQ(v, INT64_MAX);
  EXPECT_EQ(ParseGoInt("-9223372036854775808", 10, &v), GoIntResult::kOk);
  EXPECT_EQ(v, INT64_MIN);
  EXPECT_EQ(ParseGoInt("9223372036854775808", 10, &v), GoIntResult::kOutOfRange);
  EXPECT_EQ(ParseGoInt("-9223372036854775809", 10, &v), GoIntResult::kOutOfRange);
  uint64_t u;
  EXPECT_EQ(ParseGoUint("ffffffffffffffff", 16, &u), GoIntResult::kOk);
  EXPECT_EQ(u, UINT64_MAX);
  EXPECT_EQ(ParseGoUint("10000000000000000", 16, &u), GoIntResult::kOutOfRange);
  // Like strconv, the first overflow decides, even before a bad digit.
  EXPECT_EQ(ParseGoUint("99999999999999999999x", 10, &u), GoIntResult::kOutOfRange);
  EXPECT_EQ(ParseGoUint("12x", 10, &u), GoIntResult::kSyntaxError);
}

double FromBits(uint64_t b) { return std::bit_cast<double>(b); }
uint64_t Bits(double d) { return std::bit_cast<uint64_t>(d); }

TEST(GoExpTest, BitForBitAsGoOnAmd64) {
  // (x, math.Exp(x)) as bits, printed by Go 1.19.8 on an AVX2+FMA machine.
  const struct {
    uint64_t x, exp;
  } kCases[] = {
      {0x0000000000000000, 0x3ff0000000000000}, {0xbfe0000000000000, 0x3fe368b2fc6f960a},
      {0xbff0000000000000, 0x3fd78b56362cef38}, {0xc000000000000000, 0x3fc152aaa3bf81cc},
      {0x81a56e1fc2f8f359, 0x3ff0000000000000}, {0xc08749999999999a, 0x0000000000000000},
      {0xc086240000000000, 0x000e6cf6d08897ac},  // subnormal result
      {0x3ff0000000000000, 0x4005bf0a8b145769}, {0x4085e00000000000, 0x7f0d945df4f8ec8e},
      {0x40862d999999999a, 0x7ff0000000000000}, {0xc042c00000000000, 0x3c8dd5c566301ec7},
      {0xbfd5555555555555, 0x3fe6edd3122f2ea5}, {0xbf0ade6b8b91bc58, 0x3fefff9487064cb5},
      {0xbf56054115470216, 0x3feff4ff44250f70}, {0xbf549b38a53f9f5f, 0x3feff5b40c1ec8d0},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(Bits(GoExp(FromBits(c.x))), c.exp) << std::hexfloat << FromBits(c.x);
  }
  EXPECT_EQ(GoExp(-INFINITY), 0.0);
  EXPECT_TRUE(std::isnan(GoExp(NAN)));
  EXPECT_EQ(GoExp(INFINITY), INFINITY);
}

TEST(HeapSampleScalingTest, MatchesPprofScaleHeapSample) {
  // google/pprof's scaleHeapSample evaluated by Go 1.19.
  const struct {
    int64_t count, size, rate, want_count, want_size;
  } kCases[] = {
      {1, 100, 524288, 5243, 524338},       {2, 300, 524288, 6991, 1048726},
      {3, 3145728, 524288, 3, 3638089},     {10, 4096, 524288, 12805, 5244928},
      {28, 1835008, 524288, 238, 15616677}, {7, 700, 1000, 73, 7355},
      {5, 0, 524288, 0, 0},                 {5, 100, 1, 5, 100},
  };
  for (const auto& c : kCases) {
    ScaledHeapValues v;
    ASSERT_TRUE(ScaleHeapSample(c.count, c.size, c.rate, &v));
    EXPECT_EQ(v.count, c.want_count) << c.count << " " << c.size;
    EXPECT_EQ(v.size, c.want_size) << c.count << " " << c.size;
  }
  ScaledHeapValues v;
  // exp(-tiny) rounds to 1: the scale is infinite, which Go turns into garbage.
  EXPECT_FALSE(ScaleHeapSample(1, 1, INT64_MAX, &v));
}

}  // namespace
}  // namespace kiln::pprof_legacy
