#include "kiln/model/profile.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

TEST(ProfileTest, ColumnsTotalsAndDefaultType) {
  Profile p;
  p.sample_types = {{"samples", "count"}, {"cpu", "nanoseconds"}};
  const LocationId main = p.symbols.InternFrame("main");
  const LocationId fib = p.symbols.InternFrame("fib");
  const LocationId stack[] = {fib, main};
  const int64_t v1[] = {2, 20000000};
  const int64_t v2[] = {3, 30000000};
  p.AddSample(p.stacks.InternLeafFirst(stack), v1);
  p.AddSample(p.stacks.InternLeafFirst(stack), v2);
  EXPECT_EQ(p.num_samples(), 2u);
  EXPECT_EQ(p.Total(0), 5);
  EXPECT_EQ(p.Total(1), 50000000);
  EXPECT_EQ(p.values(1)[1], 30000000);
  EXPECT_EQ(p.DefaultTypeIndex(), 1u);  // unset: the last type
  p.default_sample_type = "samples";
  EXPECT_EQ(p.DefaultTypeIndex(), 0u);
  EXPECT_EQ(p.FindSampleType("cpu"), 1);
  EXPECT_EQ(p.FindSampleType("wall"), -1);
}

TEST(ProfileTest, LabelSetsAreInternedOrderInsensitive) {
  Profile p;
  SampleLabel a{p.symbols.InternString("handler"), p.symbols.InternString("checkout"), 0, 0};
  SampleLabel b{p.symbols.InternString("bytes"), 0, 4096, p.symbols.InternString("bytes")};
  uint32_t x = p.InternLabelSet({a, b});
  uint32_t y = p.InternLabelSet({b, a});
  EXPECT_EQ(x, y);
  EXPECT_NE(x, 0u);
  EXPECT_EQ(p.InternLabelSet({}), 0u);
  EXPECT_EQ(p.label_sets[x].size(), 2u);
}

}  // namespace
}  // namespace kiln
