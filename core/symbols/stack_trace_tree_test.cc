#include "kiln/symbols/stack_trace_tree.h"

#include <gtest/gtest.h>

#include <vector>

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

TEST(StackTraceTreeTest, WideNodesKeepTheirChildrenAcrossTheIndexThreshold) {
  // A node with many children switches from its list to the hash index;
  // every child must keep its id before, at and after the switch, and the
  // children of other nodes (listed, or wide themselves) must not mix in.
  StackTraceTree t;
  std::vector<StackId> under_root, under_a;
  const StackId a = t.Intern(0, 1000);
  for (LocationId loc = 1; loc <= 40; ++loc) {
    under_root.push_back(t.Intern(0, loc));
    under_a.push_back(t.Intern(a, loc));
    for (LocationId seen = 1; seen <= loc; ++seen) {
      ASSERT_EQ(t.Intern(0, seen), under_root[seen - 1]) << "root child " << seen << " after " << loc;
      ASSERT_EQ(t.Intern(a, seen), under_a[seen - 1]) << "child of a " << seen << " after " << loc;
    }
  }
  EXPECT_EQ(t.size(), 1u + 1 + 40 + 40);
  for (LocationId loc = 1; loc <= 40; ++loc) {
    EXPECT_EQ(t.node(under_root[loc - 1]).parent, 0u);
    EXPECT_EQ(t.node(under_a[loc - 1]).parent, a);
    EXPECT_EQ(t.node(under_a[loc - 1]).location, loc);
  }
  EXPECT_EQ(t.Intern(0, 1000), a);
  // A grandchild under a wide node's child is still a plain listed child.
  const StackId deep = t.Intern(under_root[20], 7);
  EXPECT_EQ(t.Intern(under_root[20], 7), deep);
  EXPECT_EQ(t.Depth(deep), 2u);
}

}  // namespace
}  // namespace kiln
