#include "core/ingest/json/weighted_stacks.h"

#include <gtest/gtest.h>

#include "core/ingest/json/source_frame.h"

namespace kiln {
namespace {

TEST(WeightedStacksTest, SumsPerStackAndRoundsOnce) {
  Profile p;
  p.sample_types = {{"samples", "count"}, {"cpu", "nanoseconds"}};
  const StackId a = p.stacks.Intern(0, InternSourceFrame({.name = "a"}, 100, &p));
  const StackId b = p.stacks.Intern(a, InternSourceFrame({.name = "b"}, 100, &p));
  WeightedStacks stacks(2, 10);
  // Three 0.4 us deltas: rounding each to ns first would be exact too, but
  // three 0.4 counts would round to 0 one by one and to 1 together.
  for (int i = 0; i < 3; ++i) {
    const double w[] = {0.4, 0.4};
    ASSERT_TRUE(stacks.Add(b, w).ok());
  }
  const double w[] = {1, 2.5};
  ASSERT_TRUE(stacks.Add(a, w).ok());
  const double scale[] = {1, 1000};
  ASSERT_TRUE(stacks.WriteTo(scale, &p).ok());
  ASSERT_EQ(p.num_samples(), 2u);
  EXPECT_EQ(p.sample_stacks[0], b);
  EXPECT_EQ(p.values(0)[0], 1);
  EXPECT_EQ(p.values(0)[1], 1200);
  EXPECT_EQ(p.values(1)[1], 2500);
}

TEST(WeightedStacksTest, DropsAllZeroStacksAndCountsThem) {
  Profile p;
  p.sample_types = {{"samples", "count"}};
  const StackId a = p.stacks.Intern(0, InternSourceFrame({.name = "a"}, 100, &p));
  WeightedStacks stacks(1, 10);
  const double zero[] = {0};
  ASSERT_TRUE(stacks.Add(a, zero).ok());
  const double scale[] = {1};
  ASSERT_TRUE(stacks.WriteTo(scale, &p).ok());
  EXPECT_EQ(p.num_samples(), 0u);
  EXPECT_EQ(p.stats.Get(ImportStat::zero_values_dropped), 1);
}

TEST(WeightedStacksTest, LimitsDistinctStacksAndOverflow) {
  Profile p;
  p.sample_types = {{"cpu", "nanoseconds"}};
  const StackId a = p.stacks.Intern(0, InternSourceFrame({.name = "a"}, 100, &p));
  const StackId b = p.stacks.Intern(0, InternSourceFrame({.name = "b"}, 100, &p));
  WeightedStacks stacks(1, 1);
  const double w[] = {1e300};
  ASSERT_TRUE(stacks.Add(a, w).ok());
  EXPECT_EQ(stacks.Add(b, w).code(), absl::StatusCode::kResourceExhausted);
  const double scale[] = {1e9};
  auto status = stacks.WriteTo(scale, &p);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("does not fit in 64 bits"), std::string::npos) << status;
}

TEST(SourceFrameTest, CutsLongNamesAndKeepsFileAndLine) {
  Profile p;
  const LocationId loc =
      InternSourceFrame({.name = "abcdef", .file = "x.js", .line = 3, .column = 4}, 3, &p);
  const Line& line = p.symbols.lines(loc)[0];
  EXPECT_EQ(p.symbols.FunctionName(line.function_id), "abc");
  EXPECT_EQ(p.symbols.String(p.symbols.function(line.function_id).filename), "x.js");
  EXPECT_EQ(line.line, 3);
  EXPECT_EQ(line.column, 4);
  EXPECT_EQ(p.stats.Get(ImportStat::names_truncated), 1);
}

}  // namespace
}  // namespace kiln
