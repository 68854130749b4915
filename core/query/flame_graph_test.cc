#include "kiln/query/flame_graph.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

using Levels = std::vector<std::vector<int64_t>>;

void Add(Tree* t, std::initializer_list<std::string_view> stack, int64_t v) {
  std::vector<std::string_view> s(stack);
  t->AddStack(s, v);
}

// The example of shared/design/pyroscope-api.md §1.c, byte for byte.
TEST(FlameGraphTest, MatchesPyroscopeEncodingExample) {
  Tree t;
  Add(&t, {"main"}, 10);
  Add(&t, {"main", "a"}, 60);
  Add(&t, {"main", "b"}, 30);
  FlameGraph fg = BuildFlameGraph(t, 8192);
  EXPECT_EQ(fg.names, (std::vector<std::string>{"total", "main", "a", "b"}));
  EXPECT_EQ(fg.levels, (Levels{{0, 100, 0, 0}, {0, 100, 10, 1}, {10, 60, 60, 2, 0, 30, 30, 3}}));
  EXPECT_EQ(fg.total, 100);
  EXPECT_EQ(fg.max_self, 60);
}

TEST(FlameGraphTest, DeltaEncodesAcrossParents) {
  Tree t;
  Add(&t, {"a", "x"}, 5);
  Add(&t, {"b", "y"}, 7);
  Add(&t, {"b"}, 3);
  FlameGraph fg = BuildFlameGraph(t, 0);  // 0 = no truncation
  // Level 1: a at 0 (total 5), b at 5 (total 10). Level 2: x at 0; y at
  // b.x + b.self = 8, stored as 8 - (0 + 5) = 3.
  EXPECT_EQ(fg.levels[1], (std::vector<int64_t>{0, 5, 0, 1, 0, 10, 3, 3}));
  EXPECT_EQ(fg.levels[2], (std::vector<int64_t>{0, 5, 5, 2, 3, 7, 7, 4}));
}

TEST(FlameGraphTest, TruncatesSmallNodesIntoOther) {
  Tree t;
  Add(&t, {"main", "big"}, 100);
  Add(&t, {"main", "small1"}, 2);
  Add(&t, {"main", "small2"}, 1);
  // Node totals: main 103, big 100, small1 2, small2 1. With 2 nodes the
  // threshold is 100: both smalls fold into one "other" of 3.
  EXPECT_EQ(MinNodeValue(t, 2), 100);
  EXPECT_EQ(MinNodeValue(t, 10), 0);
  FlameGraph fg = BuildFlameGraph(t, 2);
  EXPECT_EQ(fg.names, (std::vector<std::string>{"total", "main", "big", "other"}));
  EXPECT_EQ(fg.levels[2], (std::vector<int64_t>{0, 100, 100, 2, 0, 3, 3, 3}));
  EXPECT_EQ(fg.total, 103);  // nothing is lost, only folded
}

TEST(FlameGraphTest, DiffAlignsByPathWithSevenTuples) {
  Tree left, right;
  Add(&left, {"main", "a"}, 10);
  Add(&left, {"main", "b"}, 5);
  Add(&right, {"main", "b"}, 20);
  Add(&right, {"main", "c"}, 1);
  FlameGraphDiff d = BuildFlameGraphDiff(left, right, 0);
  EXPECT_EQ(d.left_ticks, 15);
  EXPECT_EQ(d.right_ticks, 21);
  EXPECT_EQ(d.total, 36);
  EXPECT_EQ(d.names, (std::vector<std::string>{"total", "main", "a", "b", "c"}));
  EXPECT_EQ(d.levels[0], (std::vector<int64_t>{0, 15, 0, 0, 21, 0, 0}));
  EXPECT_EQ(d.levels[2], (std::vector<int64_t>{
                             0, 10, 10, 0, 0, 0, 2,   // a: left only
                             0, 5, 5, 0, 20, 20, 3,   // b: both
                             0, 0, 0, 0, 1, 1, 4}));  // c: right only
  EXPECT_EQ(d.max_self, 20);
}

TEST(NestedSetTest, PreOrderRowsWithRightColumnsForDiffs) {
  Tree t;
  Add(&t, {"main", "a", "x"}, 4);
  Add(&t, {"main", "b"}, 6);
  NestedSet ns = BuildNestedSet(LayoutFlameGraph(t, 0));
  EXPECT_EQ(ns.level, (std::vector<int64_t>{0, 1, 2, 3, 2}));
  EXPECT_EQ(ns.value, (std::vector<int64_t>{10, 10, 4, 4, 6}));
  EXPECT_EQ(ns.self, (std::vector<int64_t>{0, 0, 0, 4, 6}));
  std::vector<std::string> labels;
  for (uint32_t l : ns.label) labels.push_back(ns.labels[l]);
  EXPECT_EQ(labels, (std::vector<std::string>{"total", "main", "a", "x", "b"}));
  EXPECT_TRUE(ns.value_right.empty());

  Tree right;
  Add(&right, {"main", "b"}, 1);
  NestedSet diff = BuildNestedSet(LayoutFlameGraphDiff(t, right, 0));
  EXPECT_EQ(diff.value, (std::vector<int64_t>{10, 10, 4, 4, 6}));
  EXPECT_EQ(diff.value_right, (std::vector<int64_t>{1, 1, 0, 0, 1}));
  EXPECT_EQ(diff.self_right, (std::vector<int64_t>{0, 0, 0, 0, 1}));
}

}  // namespace
}  // namespace kiln
