#include "kiln/base/hex.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

TEST(HexTest, ParsesOneToSixteenDigitsOfEitherCase) {
  uint64_t v = 7;
  EXPECT_TRUE(ParseHex64("0", &v));
  EXPECT_EQ(v, 0u);
  EXPECT_TRUE(ParseHex64("00000000000000aB", &v));
  EXPECT_EQ(v, 0xabu);
  EXPECT_TRUE(ParseHex64("FFFFFFFFFFFFFFFF", &v));
  EXPECT_EQ(v, ~uint64_t{0});
}

TEST(HexTest, RejectsAnythingElseAndLeavesTheOutputAlone) {
  uint64_t v = 7;
  for (const char* bad : {"", "0x1", "12345678901234567", "g", " 1", "-1"}) {
    EXPECT_FALSE(ParseHex64(bad, &v)) << bad;
    EXPECT_EQ(v, 7u) << bad;
  }
}

}  // namespace
}  // namespace kiln
