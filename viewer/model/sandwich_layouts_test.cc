#include "kiln/viewer/sandwich_layouts.h"

#include <gtest/gtest.h>

#include "kiln/query/sandwich.h"
#include "kiln/viewer/render_list_builder.h"
#include "viewer/model/tree_from_collapsed.h"

namespace kiln::viewer {
namespace {

using testing::TreeFromCollapsed;

// Every node of |layout| has the core tree's total and self at its path.
void ExpectSameNumbers(const DepthLayout& layout, const Tree& tree) {
  EXPECT_EQ(layout.total(), tree.total());
  for (NodeId n = 1; n < layout.size(); ++n) {
    std::vector<std::string_view> path;
    for (NodeId p = n; p != kRootNode; p = layout.parent(p)) path.insert(path.begin(), layout.name(p));
    Tree::NodeId t = Tree::kRoot;
    for (std::string_view name : path) {
      t = tree.FindChild(t, name);
      ASSERT_NE(t, Tree::kNone) << "path of node " << n << " not in the core's tree";
    }
    EXPECT_EQ(layout.width(n), tree.node(t).total) << layout.name(n);
    EXPECT_EQ(layout.self(n), tree.node(t).self) << layout.name(n);
  }
  size_t nonzero = 1;  // the core layout leaves out zero-total nodes
  for (Tree::NodeId t = 1; t < tree.size(); ++t) nonzero += tree.node(t).total != 0;
  EXPECT_EQ(layout.size(), nonzero);
}

TEST(SandwichLayoutsTest, NumbersEqualTheCoresSandwich) {
  Tree tree = TreeFromCollapsed(
      "main;handle;parse;lex 5\n"
      "main;handle;parse 2\n"
      "main;batch;parse;alloc 3\n"
      "main;other 100\n"
      "main;f;parse;g;parse 4\n");
  const SandwichView core = BuildSandwich(tree, "parse");
  SandwichLayouts s = BuildSandwichLayouts(tree, "parse");
  EXPECT_EQ(s.function_total, 14);
  EXPECT_EQ(s.function_total, core.callers.total());
  ExpectSameNumbers(s.callers, core.callers);
  ExpectSameNumbers(s.callees, core.callees);

  // Callers painted in flame orientation: the function at the bottom (above
  // the root), its callers growing upwards.
  RenderListBuilder builder;
  RenderList list;
  builder.Build(s.callers, Viewport::Full(s.callers, 1400, 80, Orientation::kFlame), {}, nullptr, &list);
  EXPECT_EQ(PrintRenderList(list, s.callers, false),
            "d0 x=0.0 w=1400.0 y=60.0 total \"total\"\n"
            "d1 x=0.0 w=1400.0 y=40.0 parse \"parse\"\n"
            "d2 x=0.0 w=300.0 y=20.0 batch \"batch\"\n"
            "d2 x=300.0 w=400.0 y=20.0 f \"f\"\n"
            "d2 x=700.0 w=700.0 y=20.0 handle \"handle\"\n"
            "d3 x=0.0 w=300.0 y=0.0 main \"main\"\n"
            "d3 x=300.0 w=400.0 y=0.0 main \"main\"\n"
            "d3 x=700.0 w=700.0 y=0.0 main \"main\"\n");
}

TEST(SandwichLayoutsTest, UnknownFunctionGivesEmptyLayouts) {
  Tree tree = TreeFromCollapsed("main 1\n");
  SandwichLayouts s = BuildSandwichLayouts(tree, "nope");
  EXPECT_EQ(s.function_total, 0);
  EXPECT_EQ(s.callers.total(), 0);
  EXPECT_EQ(s.callees.total(), 0);
}

}  // namespace
}  // namespace kiln::viewer
