#include "kiln/export/tree_to_profile.h"

#include <gtest/gtest.h>

#include "kiln/export/collapsed_writer.h"
#include "kiln/export/pprof_writer.h"
#include "kiln/ingest/pprof_importer.h"
#include "kiln/query/tree_builder.h"

namespace kiln {
namespace {

TEST(TreeToProfileTest, PprofRoundTripKeepsEveryStack) {
  Tree t;
  std::vector<std::string_view> a = {"main", "handle", "parse"};
  std::vector<std::string_view> b = {"main", "handle"};
  std::vector<std::string_view> c = {"main", "gc"};
  t.AddStack(a, 7);
  t.AddStack(b, 2);
  t.AddStack(c, 5);
  Profile p = TreeToProfile(t, {"cpu", "nanoseconds"}, {"cpu", "nanoseconds"}, 10000000);
  EXPECT_EQ(p.num_samples(), 3u);
  auto bytes = WritePprof(p);
  ASSERT_TRUE(bytes.ok());
  auto back = ParsePprof(*bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->sample_types[0].type, "cpu");
  EXPECT_EQ(back->period, 10000000);
  EXPECT_EQ(WriteCollapsed(BuildTree(*back, 0)), WriteCollapsed(t));
}

}  // namespace
}  // namespace kiln
