#include "kiln/viewer/hit_test.h"

#include <gtest/gtest.h>

#include <string>

#include "kiln/viewer/render_list_builder.h"
#include "viewer/model/tree_from_collapsed.h"

namespace kiln::viewer {
namespace {

using testing::TreeFromCollapsed;

constexpr std::string_view kFolding =
    "main;a;a_child 2\n"
    "main;big 398\n"
    "main;big;work 500\n"
    "main;s1;k 1\n"
    "main;s2;k 1\n"
    "main;s3 1\n"
    "main;t;m 2\n"
    "main;u 95\n";

// "name" for a node, "folded(N)" for a folded item, "-" for nothing.
std::string What(const RenderList& list, const DepthLayout& layout, double x, double y) {
  const RenderItem* item = HitTest(list, x, y);
  if (item == nullptr) return "-";
  if (item->kind == RenderItemKind::kFolded) return "folded(" + std::to_string(item->count) + ")";
  return std::string(layout.name(item->node));
}

TEST(HitTestTest, PixelToNodeInBothOrientations) {
  Tree tree = TreeFromCollapsed(kFolding);
  DepthLayout layout = DepthLayout::Build(tree);
  RenderListBuilder builder;
  RenderList list;
  // Icicle, 1 px per tick: rows at y 0, 20, 40, 60.
  builder.Build(layout, Viewport::Full(layout, 1000, 80), {}, nullptr, &list);
  EXPECT_EQ(What(list, layout, 500, 5), "total");
  EXPECT_EQ(What(list, layout, 999.9, 25), "main");
  EXPECT_EQ(What(list, layout, 1, 45), "a");
  EXPECT_EQ(What(list, layout, 2, 45), "big");  // boundaries belong to the right-hand item
  EXPECT_EQ(What(list, layout, 902, 59.9), "folded(4)");
  EXPECT_EQ(What(list, layout, 905, 40), "u");
  EXPECT_EQ(What(list, layout, 450, 65), "work");
  EXPECT_EQ(What(list, layout, 903, 79), "folded(3)");
  EXPECT_EQ(What(list, layout, 300, 65), "-");   // big's self area: no child there
  EXPECT_EQ(What(list, layout, 950, 65), "-");   // under u, which has no children
  EXPECT_EQ(What(list, layout, 500, 80), "-");   // below the last row
  EXPECT_EQ(What(list, layout, -1, 5), "-");
  EXPECT_EQ(What(list, layout, 1000, 5), "-");
  // The item hit is the one drawn: its node is in the layout at that tick.
  const RenderItem* work = HitTest(list, 450, 65);
  ASSERT_NE(work, nullptr);
  EXPECT_EQ(work->node, layout.NodeAt(3, 450));

  // Flame: the root is the bottom row.
  builder.Build(layout, Viewport::Full(layout, 1000, 80, Orientation::kFlame), {}, nullptr, &list);
  EXPECT_EQ(What(list, layout, 500, 75), "total");
  EXPECT_EQ(What(list, layout, 450, 5), "work");
  EXPECT_EQ(What(list, layout, 902, 25), "folded(4)");

  // Zoomed: the same pixel finds a different node.
  Viewport v = Viewport::Full(layout, 1000, 80);
  v.ZoomTo(900, 910);  // 100 px per tick
  builder.Build(layout, v, {}, nullptr, &list);
  EXPECT_EQ(What(list, layout, 50, 45), "s1");
  EXPECT_EQ(What(list, layout, 350, 45), "t");
  EXPECT_EQ(What(list, layout, 150, 65), "k");
  EXPECT_EQ(What(list, layout, 250, 65), "-");  // s3 has no child
  EXPECT_EQ(What(list, layout, 550, 45), "u");
}

TEST(HitTestTest, EmptyListHitsNothing) {
  RenderList list;
  EXPECT_EQ(HitTest(list, 0, 0), nullptr);
}

}  // namespace
}  // namespace kiln::viewer
