#include "kiln/viewer/recursion_collapse.h"

#include <gtest/gtest.h>

#include "kiln/export/collapsed_writer.h"
#include "kiln/viewer/depth_layout.h"
#include "viewer/model/tree_from_collapsed.h"

namespace kiln::viewer {
namespace {

using testing::TreeFromCollapsed;

TEST(RecursionCollapseTest, DirectRecursionMergesIndirectStays) {
  Tree tree = TreeFromCollapsed(
      "main;f;f;f;g 4\n"
      "main;f 1\n"
      "main;f;f 2\n"
      "main;f;g;f 3\n"
      "main;h;h 6\n");
  Tree collapsed = CollapseRecursion(tree);
  EXPECT_EQ(WriteCollapsed(collapsed),
            "main;f 3\n"
            "main;f;g 4\n"
            "main;f;g;f 3\n"
            "main;h 6\n");
  EXPECT_EQ(collapsed.total(), tree.total());
  // The collapsed tree lays out like any other.
  DepthLayout layout = DepthLayout::Build(collapsed);
  EXPECT_EQ(layout.depth_count(), 5u);  // root, main, f/h, g, f
  EXPECT_EQ(layout.total(), 16);
}

TEST(RecursionCollapseTest, NothingToCollapseKeepsTheTree) {
  Tree tree = TreeFromCollapsed("a;b;c 1\na;c;b 2\nb 3\n");
  EXPECT_EQ(WriteCollapsed(CollapseRecursion(tree)), WriteCollapsed(tree));
  EXPECT_EQ(CollapseRecursion(Tree()).total(), 0);
}

}  // namespace
}  // namespace kiln::viewer
