#include "kiln/base/import_stats.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

TEST(ImportStatsTest, CountsNotesAndSeverity) {
  ImportStats s;
  EXPECT_TRUE(s.Empty());
  s.Note(ImportStat::records_skipped, "line 3: no count");
  s.Bump(ImportStat::stacks_truncated, 2);
  EXPECT_EQ(s.Get(ImportStat::records_skipped), 1);
  EXPECT_EQ(s.Get(ImportStat::stacks_truncated), 2);
  EXPECT_TRUE(s.HasDataLoss());
  EXPECT_NE(s.ToString().find("records_skipped=1"), std::string::npos);
  EXPECT_NE(s.ToString().find("line 3: no count"), std::string::npos);

  ImportStats only_info;
  only_info.Bump(ImportStat::names_truncated);
  EXPECT_FALSE(only_info.HasDataLoss());
  only_info.MergeFrom(s);
  EXPECT_EQ(only_info.Get(ImportStat::records_skipped), 1);
}

TEST(ImportStatsTest, KeepsAtMostMaxNotes) {
  ImportStats s;
  for (int i = 0; i < 100; ++i) s.Note(ImportStat::records_skipped, "x");
  EXPECT_EQ(s.Get(ImportStat::records_skipped), 100);
  EXPECT_EQ(s.notes().size(), ImportStats::kMaxNotes);
}

}  // namespace
}  // namespace kiln
