#include "kiln/query/value_format.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

TEST(ValueFormatTest, FormatsLikePprof) {
  EXPECT_EQ(FormatValue(44510000000, "nanoseconds"), "44.51s");
  EXPECT_EQ(FormatValue(12300000, "nanoseconds"), "12.3ms");
  EXPECT_EQ(FormatValue(0, "nanoseconds"), "0");
  EXPECT_EQ(FormatValue(1500, "microseconds"), "1.5ms");
  EXPECT_EQ(FormatValue(1406484480, "bytes"), "1.31GB");
  EXPECT_EQ(FormatValue(1406484, "bytes"), "1.34MB");
  EXPECT_EQ(FormatValue(512, "bytes"), "512B");
  EXPECT_EQ(FormatValue(9004, "count"), "9004");
  EXPECT_EQ(FormatValue(-2000000000, "nanoseconds"), "-2s");
}

}  // namespace
}  // namespace kiln
