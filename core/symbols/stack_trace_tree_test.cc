#include "kiln/symbols/stack_trace_tree.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

TEST(StackTraceTreeTest, SharesPrefixesAndUnwindsLeafFirst) {
  StackTraceTree t;
  const LocationId ab[] = {1, 2};      // root first: 1 -> 2
  const LocationId abc[] = {1, 2, 3};
  StackId s1 = t.InternRootFirst(ab);
  StackId s2 = t.InternRootFirst(abc);
  EXPECT_EQ(t.size(), 4u);  // root + 3 nodes: the prefix is stored once
  EXPECT_EQ(t.node(s2).parent, s1);
  const LocationId leaf_first[] = {3, 2, 1};
  EXPECT_EQ(t.InternLeafFirst(leaf_first), s2);
  std::vector<LocationId> out;
  t.Unwind(s2, &out);
  EXPECT_EQ(out, (std::vector<LocationId>{3, 2, 1}));
  EXPECT_EQ(t.Depth(s2), 3u);
  EXPECT_EQ(t.Depth(0), 0u);
  EXPECT_EQ(t.InternRootFirst({}), 0u);
}

}  // namespace
}  // namespace kiln
