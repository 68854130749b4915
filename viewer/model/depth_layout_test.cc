#include "kiln/viewer/depth_layout.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fmt/format.h"
#include "kiln/query/flame_graph.h"
#include "kiln/query/top_table.h"
#include "kiln/viewer/diff_color.h"
#include "viewer/model/tree_from_collapsed.h"

namespace kiln::viewer {
namespace {

using testing::TreeFromCollapsed;

// Each depth as "name[start,end)" items, one line per depth.
std::string Levels(const DepthLayout& layout) {
  std::string out;
  for (size_t d = 0; d < layout.depth_count(); ++d) {
    const auto& level = layout.level(d);
    out += fmt::format("{}:", d);
    for (size_t i = 0; i < level.size(); ++i) {
      out += fmt::format(" {}[{},{})", layout.name(level.node[i]), level.start[i], level.end(i));
    }
    out += '\n';
  }
  return out;
}

TEST(DepthLayoutTest, PerDepthArraysInTicks) {
  Tree tree = TreeFromCollapsed("main;a;x 30\nmain;a 10\nmain;b 40\nmain;c 15\nother 5\n");
  DepthLayout layout = DepthLayout::Build(tree);
  EXPECT_EQ(Levels(layout),
            "0: total[0,100)\n"
            "1: main[0,95) other[95,100)\n"
            "2: a[0,40) b[40,80) c[80,95)\n"
            "3: x[10,40)\n");
  EXPECT_FALSE(layout.is_diff());
  EXPECT_EQ(layout.total(), 100);
  EXPECT_EQ(layout.size(), 7u);
  const NodeId x = layout.level(3).node[0];
  const NodeId a = layout.parent(x);
  EXPECT_EQ(layout.name(a), "a");
  EXPECT_EQ(layout.self(a), 10);
  EXPECT_EQ(layout.total(a, 0), 40);
  EXPECT_EQ(layout.total(a, 1), 0);
  EXPECT_EQ(layout.depth(x), 3u);
  EXPECT_EQ(layout.parent(kRootNode), kNoNode);
  EXPECT_EQ(layout.level(1).ValueOf(0, 2), 100);
  // NodeAt: a's self area at depth 3 has no node.
  EXPECT_EQ(layout.NodeAt(3, 5), kNoNode);
  EXPECT_EQ(layout.NodeAt(3, 10), x);
  EXPECT_EQ(layout.NodeAt(3, 39), x);
  EXPECT_EQ(layout.NodeAt(3, 40), kNoNode);
  EXPECT_EQ(layout.name(layout.NodeAt(1, 97)), "other");
  EXPECT_EQ(layout.NodeAt(9, 0), kNoNode);
  EXPECT_GT(layout.MemoryBytes(), 7 * (8 + 8 + 4 + 8));
}

TEST(DepthLayoutTest, InvariantsHoldOnAGeneratedTree) {
  std::string text;
  for (int i = 0; i < 300; ++i) {
    text += fmt::format("root;f{};g{};h{} {}\n", i % 7, i % 13, i % 29, 1 + i % 5);
    text += fmt::format("root;f{} {}\n", i % 11, i % 3);
  }
  Tree tree = TreeFromCollapsed(text);
  DepthLayout layout = DepthLayout::Build(tree);
  EXPECT_EQ(layout.total(), tree.total());
  for (size_t d = 0; d < layout.depth_count(); ++d) {
    const auto& level = layout.level(d);
    for (size_t i = 0; i < level.size(); ++i) {
      const NodeId n = level.node[i];
      EXPECT_GT(level.width[i], 0);
      if (i + 1 < level.size()) {
        EXPECT_LE(level.end(i), level.start[i + 1]);
      }
      EXPECT_EQ(layout.index_in_level(n), i);
      if (d == 0) continue;
      const NodeId p = layout.parent(n);
      EXPECT_LT(p, n);
      EXPECT_EQ(layout.depth(p), d - 1);
      EXPECT_GE(level.start[i], layout.start(p) + layout.self(p));
      EXPECT_LE(level.end(i), layout.end(p));
    }
  }
  // total = self + children's widths, at every node.
  std::vector<int64_t> child_sum(layout.size(), 0);
  for (NodeId n = 1; n < layout.size(); ++n) child_sum[layout.parent(n)] += layout.width(n);
  for (NodeId n = 0; n < layout.size(); ++n) EXPECT_EQ(layout.width(n), layout.self(n) + child_sum[n]);
}

// The diff layout carries exactly the core's diff flame graph numbers.
TEST(DepthLayoutTest, DiffNumbersEqualTheCoresDiffFlameGraph) {
  Tree base = TreeFromCollapsed("main;a 10\nmain;b 5\nmain;b;y 3\nmain 2\nold;z 4\n");
  Tree next = TreeFromCollapsed("main;b 20\nmain;b;y 1\nmain;c 1\nnew;w 9\n");
  DepthLayout layout = DepthLayout::BuildDiff(base, next);
  const FlameGraphDiff core = BuildFlameGraphDiff(base, next, /*max_nodes=*/0);
  ASSERT_TRUE(layout.is_diff());
  ASSERT_EQ(layout.depth_count(), core.levels.size());
  EXPECT_EQ(layout.side_total(0), core.left_ticks);
  EXPECT_EQ(layout.side_total(1), core.right_ticks);
  EXPECT_EQ(layout.total(), core.total);
  for (size_t d = 0; d < core.levels.size(); ++d) {
    const std::vector<int64_t>& row = core.levels[d];
    const auto& level = layout.level(d);
    ASSERT_EQ(row.size(), level.size() * 7) << "depth " << d;
    int64_t x_left = 0, x_right = 0;  // decode the per-side delta encoding
    for (size_t i = 0; i < level.size(); ++i) {
      const int64_t* t = &row[i * 7];
      x_left += t[0];
      x_right += t[3];
      const NodeId n = level.node[i];
      EXPECT_EQ(layout.total(n, 0), t[1]);
      EXPECT_EQ(layout.self(n, 0), t[2]);
      EXPECT_EQ(layout.total(n, 1), t[4]);
      EXPECT_EQ(layout.self(n, 1), t[5]);
      EXPECT_EQ(layout.name(n), core.names[t[6]]);
      EXPECT_EQ(level.start[i], x_left + x_right);
      EXPECT_EQ(level.width[i], t[1] + t[4]);
      x_left += t[1];
      x_right += t[4];
    }
  }
}

// For a function on one path, the node's diff change is the change of the
// function's cumulative share in the core's `kiln diff` table.
TEST(DepthLayoutTest, DiffChangeAgreesWithTheCoresShareComparison) {
  Tree base = TreeFromCollapsed("main;a 10\nmain;b 5\nmain;c 85\n");
  Tree next = TreeFromCollapsed("main;a 12\nmain;b 30\nmain;c 58\nmain;d 20\n");
  DepthLayout layout = DepthLayout::BuildDiff(base, next);
  const auto changes = CompareShares(ComputeTopTable(base), ComputeTopTable(next));
  int checked = 0;
  for (const ShareChange& change : changes) {
    const auto& level = layout.level(2);
    for (size_t i = 0; i < level.size(); ++i) {
      const NodeId n = level.node[i];
      if (layout.name(n) != change.name) continue;
      const double expected =
          change.base_cum_pct == 0
              ? (change.new_cum_pct > 0 ? 100.0 : 0.0)
              : std::clamp((change.new_cum_pct - change.base_cum_pct) / change.base_cum_pct * 100, -100.0, 100.0);
      EXPECT_NEAR(DiffChangePercent(layout.total(n, 0), layout.side_total(0), layout.total(n, 1),
                                    layout.side_total(1)),
                  expected, 1e-9)
          << change.name;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 4);
}

}  // namespace
}  // namespace kiln::viewer
