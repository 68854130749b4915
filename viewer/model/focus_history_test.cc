#include "kiln/viewer/focus_history.h"

#include <gtest/gtest.h>

#include "kiln/viewer/render_list_builder.h"
#include "viewer/model/tree_from_collapsed.h"

namespace kiln::viewer {
namespace {

using testing::TreeFromCollapsed;

NodeId Find(const DepthLayout& layout, std::string_view name) {
  for (NodeId n = 0; n < layout.size(); ++n) {
    if (layout.name(n) == name) return n;
  }
  return kNoNode;
}

TEST(FocusHistoryTest, FocusBackForwardLikeABrowser) {
  Tree tree = TreeFromCollapsed("main;big 398\nmain;big;work 500\nmain;u 102\n");
  DepthLayout layout = DepthLayout::Build(tree);
  FocusHistory history(layout);
  const ZoomRange home{0, 1000, kNoNode};
  EXPECT_EQ(history.current(), home);
  EXPECT_FALSE(history.CanGoBack());

  const NodeId big = Find(layout, "big"), work = Find(layout, "work"), u = Find(layout, "u");
  EXPECT_EQ(history.Focus(layout, big), (ZoomRange{0, 898, big}));
  EXPECT_EQ(history.Focus(layout, work), (ZoomRange{398, 898, work}));
  EXPECT_EQ(history.Focus(layout, work), (ZoomRange{398, 898, work}));  // not recorded twice
  EXPECT_EQ(history.Back(), (ZoomRange{0, 898, big}));
  EXPECT_EQ(history.Back(), home);
  EXPECT_EQ(history.Back(), home);  // no-op at the start
  EXPECT_TRUE(history.CanGoForward());
  EXPECT_EQ(history.Forward(), (ZoomRange{0, 898, big}));
  // A new branch drops the forward entries.
  EXPECT_EQ(history.Focus(layout, u), (ZoomRange{898, 1000, u}));
  EXPECT_FALSE(history.CanGoForward());
  EXPECT_EQ(history.Back(), (ZoomRange{0, 898, big}));
  EXPECT_EQ(history.Navigate({100, 200, kNoNode}), (ZoomRange{100, 200, kNoNode}));
  EXPECT_EQ(history.Reset(), home);
  EXPECT_EQ(history.Back(), (ZoomRange{100, 200, kNoNode}));  // a reset can be undone
  EXPECT_EQ(history.Focus(layout, kNoNode), (ZoomRange{100, 200, kNoNode}));  // bad ids ignored
}

TEST(FocusHistoryTest, FocusZoomsTheViewportToTheNode) {
  Tree tree = TreeFromCollapsed("main;big 398\nmain;big;work 500\nmain;u 102\n");
  DepthLayout layout = DepthLayout::Build(tree);
  FocusHistory history(layout);
  Viewport v = Viewport::Full(layout, 1000, 80);
  history.Focus(layout, Find(layout, "work"));
  history.Apply(&v);
  RenderListBuilder builder;
  RenderList list;
  builder.Build(layout, v, {}, nullptr, &list);
  // Ancestors stretch across the view; the focused node fills it.
  EXPECT_EQ(PrintRenderList(list, layout, false),
            "d0 x=0.0 w=1000.0 y=0.0 total \"total\"\n"
            "d1 x=0.0 w=1000.0 y=20.0 main \"main\"\n"
            "d2 x=0.0 w=1000.0 y=40.0 big \"big\"\n"
            "d3 x=0.0 w=1000.0 y=60.0 work \"work\"\n");
}

TEST(FocusHistoryTest, IsBounded) {
  FocusHistory history(ZoomRange{0, 1 << 20, kNoNode});
  for (int i = 0; i < 1000; ++i) history.Navigate({i, i + 10, kNoNode});
  int back = 0;
  while (history.CanGoBack()) {
    history.Back();
    ++back;
  }
  EXPECT_EQ(back, static_cast<int>(FocusHistory::kMaxEntries) - 1);
  EXPECT_EQ(history.current(), (ZoomRange{1000 - static_cast<int>(FocusHistory::kMaxEntries), 1000 - static_cast<int>(FocusHistory::kMaxEntries) + 10, kNoNode}));
}

TEST(ViewportTest, ZoomPanAndRows) {
  Tree tree = TreeFromCollapsed("a 1000\n");
  DepthLayout layout = DepthLayout::Build(tree);
  Viewport v = Viewport::Full(layout, 1000, 100);
  v.ZoomAt(250, 2, layout.total());  // the tick under x=250 stays there
  EXPECT_EQ(v.start, 125);
  EXPECT_EQ(v.end, 625);
  EXPECT_DOUBLE_EQ(v.XOfTick(250), 250);
  v.PanBy(-1000, layout.total());  // clamped at 0
  EXPECT_EQ(v.start, 0);
  EXPECT_EQ(v.end, 500);
  v.PanBy(5000, layout.total());  // clamped at the end
  EXPECT_EQ(v.start, 500);
  EXPECT_EQ(v.end, 1000);
  v.ZoomAt(0, 1e12, layout.total());  // stops at the minimum span
  EXPECT_EQ(v.end - v.start, Viewport::kMinSpanTicks);
  v.ZoomAt(500, 1e-12, layout.total());  // zooming out stops at the whole graph
  EXPECT_EQ(v.start, 0);
  EXPECT_GE(v.end, 1000);
  EXPECT_EQ(v.TickAtX(0), 0);

  Viewport rows = Viewport::Full(layout, 100, 50);  // rows of 20 px
  EXPECT_EQ(rows.VisibleDepths(10), (std::pair<size_t, size_t>{0, 3}));
  EXPECT_EQ(rows.DepthAtY(0), 0);
  EXPECT_EQ(rows.DepthAtY(19.9), 0);
  EXPECT_EQ(rows.DepthAtY(20), 1);
  rows.scroll_y = 30;
  EXPECT_EQ(rows.VisibleDepths(10), (std::pair<size_t, size_t>{1, 4}));
  EXPECT_EQ(rows.DepthAtY(0), 1);
  rows.orientation = Orientation::kFlame;
  rows.scroll_y = 0;
  EXPECT_EQ(rows.DepthAtY(49), 0);
  EXPECT_EQ(rows.DepthAtY(30), 0);
  EXPECT_EQ(rows.DepthAtY(29.9), 1);
  EXPECT_EQ(rows.DepthAtY(60), -1);
  EXPECT_DOUBLE_EQ(rows.RowY(0), 30);
  EXPECT_EQ(rows.VisibleDepths(2), (std::pair<size_t, size_t>{0, 2}));
}

}  // namespace
}  // namespace kiln::viewer
