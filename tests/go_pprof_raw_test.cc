#include "tests/go_pprof_raw.h"

#include <gtest/gtest.h>

namespace kiln::testing {
namespace {

TEST(GoPprofRawTest, SumsSampleValuesAndSkipsLabels) {
  const char* raw =
      "PeriodType: space bytes\n"
      "Period: 524288\n"
      "Samples:\n"
      "alloc_objects/count alloc_space/bytes[dflt]\n"
      "          3     610467: 1 2 3 \n"
      "                bytes:[163840]\n"
      "         -1         -5: 4 \n"
      "                handler:[a b]\n"
      "          7          0: \n"
      "Locations\n"
      "     1: 0x4a3f10 M=1 main.f 12 s=0\n";
  auto t = ParseGoPprofRaw(raw);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->sample_types, (std::vector<std::string>{"alloc_objects/count", "alloc_space/bytes"}));
  EXPECT_EQ(t->default_type, 1);
  EXPECT_EQ(t->totals, (std::vector<int64_t>{9, 610462}));
  EXPECT_EQ(t->samples, 3);
}

TEST(GoPprofRawTest, RejectsWhatItCannotRead) {
  EXPECT_FALSE(ParseGoPprofRaw("PeriodType: cpu nanoseconds\n").ok());
  EXPECT_FALSE(ParseGoPprofRaw("Samples:\nsamples/count\n   1   2: 1\n").ok());  // two values, one type
}

}  // namespace
}  // namespace kiln::testing
