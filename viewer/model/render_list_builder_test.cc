#include "kiln/viewer/render_list_builder.h"

#include <gtest/gtest.h>

#include <string>

#include "fmt/format.h"
#include "kiln/viewer/depth_layout.h"
#include "kiln/viewer/package_color.h"
#include "kiln/viewer/render_list.h"
#include "kiln/viewer/viewport.h"
#include "viewer/model/tree_from_collapsed.h"

namespace kiln::viewer {
namespace {

using testing::TreeFromCollapsed;

// total 100: main 95 (a 40 = self 10 + x 30, b 40, c 15), other 5.
constexpr std::string_view kSmall =
    "main;a;x 30\n"
    "main;a 10\n"
    "main;b 40\n"
    "main;c 15\n"
    "other 5\n";

// total 1000, built to exercise folding at 1 px per tick:
//   depth 2: a [0,2) narrow alone; big [2,900); s1 s2 s3 t [900,905) narrow
//            siblings; u [905,1000)
//   depth 3: a_child [0,2); work [400,900); k k m [900,905) under the run
constexpr std::string_view kFolding =
    "main;a;a_child 2\n"
    "main;big 398\n"
    "main;big;work 500\n"
    "main;s1;k 1\n"
    "main;s2;k 1\n"
    "main;s3 1\n"
    "main;t;m 2\n"
    "main;u 95\n";

Viewport View(const DepthLayout& layout, double w, double h, Orientation o = Orientation::kIcicle) {
  return Viewport::Full(layout, w, h, o, /*row_height_px=*/20);
}

std::string Render(const DepthLayout& layout, const Viewport& viewport,
                   const RenderOptions& options = {}, bool with_colors = false) {
  RenderListBuilder builder;
  RenderList list;
  builder.Build(layout, viewport, options, nullptr, &list);
  return PrintRenderList(list, layout, with_colors);
}

TEST(RenderListBuilderTest, FullZoomIcicle) {
  Tree tree = TreeFromCollapsed(kSmall);
  DepthLayout layout = DepthLayout::Build(tree);
  EXPECT_EQ(Render(layout, View(layout, 1000, 100)),
            "d0 x=0.0 w=1000.0 y=0.0 total \"total\"\n"
            "d1 x=0.0 w=950.0 y=20.0 main \"main\"\n"
            "d1 x=950.0 w=50.0 y=20.0 other \"other\"\n"
            "d2 x=0.0 w=400.0 y=40.0 a \"a\"\n"
            "d2 x=400.0 w=400.0 y=40.0 b \"b\"\n"
            "d2 x=800.0 w=150.0 y=40.0 c \"c\"\n"
            "d3 x=100.0 w=300.0 y=60.0 x \"x\"\n");
}

TEST(RenderListBuilderTest, FullZoomFlameHasTheRootAtTheBottom) {
  Tree tree = TreeFromCollapsed(kSmall);
  DepthLayout layout = DepthLayout::Build(tree);
  EXPECT_EQ(Render(layout, View(layout, 1000, 100, Orientation::kFlame)),
            "d0 x=0.0 w=1000.0 y=80.0 total \"total\"\n"
            "d1 x=0.0 w=950.0 y=60.0 main \"main\"\n"
            "d1 x=950.0 w=50.0 y=60.0 other \"other\"\n"
            "d2 x=0.0 w=400.0 y=40.0 a \"a\"\n"
            "d2 x=400.0 w=400.0 y=40.0 b \"b\"\n"
            "d2 x=800.0 w=150.0 y=40.0 c \"c\"\n"
            "d3 x=100.0 w=300.0 y=20.0 x \"x\"\n");
}

TEST(RenderListBuilderTest, ZoomedInClipsAndCulls) {
  Tree tree = TreeFromCollapsed(kSmall);
  DepthLayout layout = DepthLayout::Build(tree);
  Viewport v = View(layout, 1000, 100);
  v.ZoomTo(10, 60);  // 20 px per tick; c [80,95) and other [95,100) are outside
  EXPECT_EQ(Render(layout, v),
            "d0 x=0.0 w=1000.0 y=0.0 total \"total\"\n"
            "d1 x=0.0 w=1000.0 y=20.0 main \"main\"\n"
            "d2 x=0.0 w=600.0 y=40.0 a \"a\"\n"
            "d2 x=600.0 w=400.0 y=40.0 b \"b\"\n"
            "d3 x=0.0 w=600.0 y=60.0 x \"x\"\n");
  v.ZoomTo(12, 13);  // one tick across the view: every bar covering it
  EXPECT_EQ(Render(layout, v),
            "d0 x=0.0 w=1000.0 y=0.0 total \"total\"\n"
            "d1 x=0.0 w=1000.0 y=20.0 main \"main\"\n"
            "d2 x=0.0 w=1000.0 y=40.0 a \"a\"\n"
            "d3 x=0.0 w=1000.0 y=60.0 x \"x\"\n");
  v.ZoomTo(3, 8);  // inside a's self: no row 3 item
  EXPECT_EQ(Render(layout, v),
            "d0 x=0.0 w=1000.0 y=0.0 total \"total\"\n"
            "d1 x=0.0 w=1000.0 y=20.0 main \"main\"\n"
            "d2 x=0.0 w=1000.0 y=40.0 a \"a\"\n");
}

TEST(RenderListBuilderTest, NarrowSiblingsFoldAndTheirChildrenFoldBelow) {
  Tree tree = TreeFromCollapsed(kFolding);
  DepthLayout layout = DepthLayout::Build(tree);
  // 1 px per tick: narrow below 3 ticks, nothing below 0.5 px.
  EXPECT_EQ(Render(layout, View(layout, 1000, 80)),
            "d0 x=0.0 w=1000.0 y=0.0 total \"total\"\n"
            "d1 x=0.0 w=1000.0 y=20.0 main \"main\"\n"
            "d2 x=0.0 w=2.0 y=40.0 a\n"
            "d2 x=2.0 w=898.0 y=40.0 big \"big\"\n"
            "d2 x=900.0 w=5.0 y=40.0 folded(4) value=5\n"
            "d2 x=905.0 w=95.0 y=40.0 u \"u\"\n"
            "d3 x=0.0 w=2.0 y=60.0 a_child\n"
            "d3 x=400.0 w=500.0 y=60.0 work \"work\"\n"
            "d3 x=900.0 w=5.0 y=60.0 folded(3) value=4\n");
}

TEST(RenderListBuilderTest, ZoomedOutDropsHalfPixelSubtrees) {
  Tree tree = TreeFromCollapsed(kFolding);
  DepthLayout layout = DepthLayout::Build(tree);
  // 0.1 px per tick: narrow below 30 ticks, dropped below 5 ticks. a and its
  // child (2 ticks) go; the folded run is exactly 5 ticks, kept at 0.5 px.
  EXPECT_EQ(Render(layout, View(layout, 100, 80)),
            "d0 x=0.0 w=100.0 y=0.0 total \"total\"\n"
            "d1 x=0.0 w=100.0 y=20.0 main \"main\"\n"
            "d2 x=0.2 w=89.8 y=40.0 big \"big\"\n"
            "d2 x=90.0 w=0.5 y=40.0 folded(4) value=5\n"
            "d2 x=90.5 w=9.5 y=40.0 u\n"
            "d3 x=40.0 w=50.0 y=60.0 work \"work\"\n"
            "d3 x=90.0 w=0.5 y=60.0 folded(3) value=4\n");
  // 0.05 px per tick: dropped below 10 ticks, so the folded runs go too.
  EXPECT_EQ(Render(layout, View(layout, 50, 80)),
            "d0 x=0.0 w=50.0 y=0.0 total \"total\"\n"
            "d1 x=0.0 w=50.0 y=20.0 main \"main\"\n"
            "d2 x=0.1 w=44.9 y=40.0 big \"big\"\n"
            "d2 x=45.2 w=4.8 y=40.0 u\n"
            "d3 x=20.0 w=25.0 y=60.0 work\n");
}

TEST(RenderListBuilderTest, FoldedRunLabelsItsCountWhenItFits) {
  std::string text = "main;big 100000\n";
  for (int i = 0; i < 100000; ++i) text += fmt::format("main;l{:06d} 1\n", i);
  Tree tree = TreeFromCollapsed(text);
  DepthLayout layout = DepthLayout::Build(tree);
  ASSERT_EQ(layout.level(2).size(), 100001u);
  RenderListBuilder builder;
  RenderList list;
  builder.Build(layout, View(layout, 1000, 60), {}, nullptr, &list);
  EXPECT_EQ(PrintRenderList(list, layout, false),
            "d0 x=0.0 w=1000.0 y=0.0 total \"total\"\n"
            "d1 x=0.0 w=1000.0 y=20.0 main \"main\"\n"
            "d2 x=0.0 w=500.0 y=40.0 big \"big\"\n"
            "d2 x=500.0 w=500.0 y=40.0 folded(100000) value=100000 \"100000\"\n");
  // The run is found by binary-search jumps of >= 3 px, not node by node.
  EXPECT_LT(list.nodes_examined, 1000u);

  // Zoomed to ten of them: each is 100 px and labelled.
  Viewport v = View(layout, 1000, 60);
  v.ZoomTo(100000, 100010);
  builder.Build(layout, v, {}, nullptr, &list);
  std::string expected =
      "d0 x=0.0 w=1000.0 y=0.0 total \"total\"\n"
      "d1 x=0.0 w=1000.0 y=20.0 main \"main\"\n";
  for (int i = 0; i < 10; ++i) {
    expected += fmt::format("d2 x={}.0 w=100.0 y=40.0 l{:06d} \"l{:06d}\"\n", i * 100, i, i);
  }
  EXPECT_EQ(PrintRenderList(list, layout, false), expected);
  EXPECT_LT(list.nodes_examined, 100u);  // culling: 12 nodes overlap the view
}

TEST(RenderListBuilderTest, RowsAboveTheViewAreNotEmittedButStillFoldBelow) {
  Tree tree = TreeFromCollapsed(kFolding);
  DepthLayout layout = DepthLayout::Build(tree);
  Viewport v = View(layout, 1000, 20);
  v.scroll_y = 60;  // only depth 3 is on screen, at y = 0
  EXPECT_EQ(Render(layout, v),
            "d3 x=0.0 w=2.0 y=0.0 a_child\n"
            "d3 x=400.0 w=500.0 y=0.0 work \"work\"\n"
            "d3 x=900.0 w=5.0 y=0.0 folded(3) value=4\n");
  v.scroll_y = 50;  // depths 2 (half hidden above) and 3
  const std::string out = Render(layout, v);
  EXPECT_NE(out.find("d2 x=2.0 w=898.0 y=-10.0 big"), std::string::npos) << out;
  EXPECT_EQ(out.find("d1 "), std::string::npos) << out;
  v.orientation = Orientation::kFlame;
  v.scroll_y = 60;  // flame: depth 3 is the top row; scrolled so it is the only one
  v.height_px = 20;
  EXPECT_EQ(Render(layout, v),
            "d3 x=0.0 w=2.0 y=0.0 a_child\n"
            "d3 x=400.0 w=500.0 y=0.0 work \"work\"\n"
            "d3 x=900.0 w=5.0 y=0.0 folded(3) value=4\n");
}

TEST(RenderListBuilderTest, LabelsAreShortenedToFit) {
  Tree tree = TreeFromCollapsed(
      "ns::detail::Widget::draw(int) const 1\n"
      "std::vector<int, std::allocator<int> >::push_back(int const&) 1\n");
  DepthLayout layout = DepthLayout::Build(tree);
  // Each is 100 px: 13 characters of 7 px after 3 px padding on each side.
  EXPECT_EQ(Render(layout, View(layout, 200, 40)),
            "d0 x=0.0 w=200.0 y=0.0 total \"total\"\n"
            "d1 x=0.0 w=100.0 y=20.0 ns::detail::Widget::draw(int) const \"draw()\"\n"
            "d1 x=100.0 w=100.0 y=20.0 std::vector<int, std::allocator<int> >::push_back(int const&) "
            "\"push_back()\"\n");
  RenderOptions wide_font;
  wide_font.char_width_px = 20;  // 4 characters
  EXPECT_EQ(Render(layout, View(layout, 200, 40), wide_font),
            "d0 x=0.0 w=200.0 y=0.0 total \"total\"\n"
            "d1 x=0.0 w=100.0 y=20.0 ns::detail::Widget::draw(int) const \"dr…)\"\n"
            "d1 x=100.0 w=100.0 y=20.0 std::vector<int, std::allocator<int> >::push_back(int const&) "
            "\"pu…)\"\n");
  RenderOptions no_labels;
  no_labels.labels = false;
  EXPECT_EQ(Render(layout, View(layout, 200, 40), no_labels),
            "d0 x=0.0 w=200.0 y=0.0 total\n"
            "d1 x=0.0 w=100.0 y=20.0 ns::detail::Widget::draw(int) const\n"
            "d1 x=100.0 w=100.0 y=20.0 std::vector<int, std::allocator<int> >::push_back(int const&)\n");
}

TEST(RenderListBuilderTest, PackageColoursComeFromTheName) {
  Tree tree = TreeFromCollapsed("runtime.main;runtime.mallocgc 1\nruntime.main;main.work 1\n");
  DepthLayout layout = DepthLayout::Build(tree);
  const std::string out = Render(layout, View(layout, 200, 60), {}, /*with_colors=*/true);
  const int runtime = PackagePaletteIndex("runtime.x");
  const int main_pkg = PackagePaletteIndex("main.x");
  EXPECT_EQ(out, fmt::format("d0 x=0.0 w=200.0 y=0.0 total pkg:{} \"total\"\n"
                             "d1 x=0.0 w=200.0 y=20.0 runtime.main pkg:{} \"runtime.main\"\n"
                             "d2 x=0.0 w=100.0 y=40.0 main.work pkg:{} \"main.work\"\n"
                             "d2 x=100.0 w=100.0 y=40.0 runtime.mallocgc pkg:{} \"mallocgc\"\n",
                             PackagePaletteIndex("total"), runtime, main_pkg, runtime));
}

TEST(RenderListBuilderTest, DiffColoursByRelativeChangeOfShare) {
  Tree base = TreeFromCollapsed("main;a 10\nmain;b 5\n");
  Tree next = TreeFromCollapsed("main;b 20\nmain;c 1\n");
  DepthLayout layout = DepthLayout::BuildDiff(base, next);
  ASSERT_TRUE(layout.is_diff());
  // Width is base + new: 36 ticks, 10 px each. a: 10/15 -> 0/21, -100 %;
  // b: 5/15 -> 20/21, +186 % clamped to +100 %; c: new, +100 %; main and
  // the root hold 100 % on both sides: no change.
  EXPECT_EQ(Render(layout, View(layout, 360, 60), {}, /*with_colors=*/true),
            "d0 x=0.0 w=360.0 y=0.0 total diff:+0 \"total\"\n"
            "d1 x=0.0 w=360.0 y=20.0 main diff:+0 \"main\"\n"
            "d2 x=0.0 w=100.0 y=40.0 a diff:-10 \"a\"\n"
            "d2 x=100.0 w=250.0 y=40.0 b diff:+10 \"b\"\n"
            "d2 x=350.0 w=10.0 y=40.0 c diff:+10\n");
}

TEST(RenderListBuilderTest, EmptyViewportsAndEmptyTreesRenderNothingOrTheRoot) {
  Tree tree = TreeFromCollapsed(kSmall);
  DepthLayout layout = DepthLayout::Build(tree);
  EXPECT_EQ(Render(layout, View(layout, 0, 100)), "");
  EXPECT_EQ(Render(layout, View(layout, 1000, 0)), "");
  DepthLayout empty = DepthLayout::Build(Tree());
  EXPECT_EQ(empty.total(), 0);
  EXPECT_EQ(Render(empty, View(empty, 1000, 100)), "");  // a root of width 0 is not drawn
}

TEST(RenderListBuilderTest, ReusedListAndBuilderGiveTheSameFrame) {
  Tree tree = TreeFromCollapsed(kFolding);
  DepthLayout layout = DepthLayout::Build(tree);
  RenderListBuilder builder;
  RenderList list;
  const Viewport v = View(layout, 1000, 80);
  builder.Build(layout, v, {}, nullptr, &list);
  const std::string first = PrintRenderList(list, layout);
  Viewport zoomed = v;
  zoomed.ZoomTo(400, 500);
  builder.Build(layout, zoomed, {}, nullptr, &list);
  builder.Build(layout, v, {}, nullptr, &list);
  EXPECT_EQ(PrintRenderList(list, layout), first);
}

}  // namespace
}  // namespace kiln::viewer
