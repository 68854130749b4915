#include "kiln/query/tree.h"

#include <gtest/gtest.h>

#include <limits>

#include "kiln/export/collapsed_writer.h"

namespace kiln {
namespace {

void Add(Tree* t, std::initializer_list<std::string_view> stack, int64_t v) {
  std::vector<std::string_view> s(stack);
  t->AddStack(s, v);
}

TEST(TreeTest, AddsStacksAndKeepsTotalsConsistent) {
  Tree t;
  Add(&t, {"main", "a", "b"}, 10);
  Add(&t, {"main", "a"}, 5);
  Add(&t, {"main", "c"}, 7);
  Add(&t, {"main", "a", "b"}, 1);
  EXPECT_EQ(t.total(), 23);
  const Tree::NodeId main = t.FindChild(Tree::kRoot, "main");
  ASSERT_NE(main, Tree::kNone);
  EXPECT_EQ(t.node(main).total, 23);
  EXPECT_EQ(t.node(main).self, 0);
  const Tree::NodeId a = t.FindChild(main, "a");
  EXPECT_EQ(t.node(a).total, 16);
  EXPECT_EQ(t.node(a).self, 5);
  EXPECT_EQ(t.node(a).depth, 2u);
  EXPECT_EQ(WriteCollapsed(t), "main;a 5\nmain;a;b 11\nmain;c 7\n");
  EXPECT_EQ(t.Path(t.FindChild(a, "b")), (std::vector<std::string_view>{"main", "a", "b"}));
  EXPECT_EQ(t.FindChild(main, "zzz"), Tree::kNone);
}

// Sums past 2^63 wrap as pprof's int64 arithmetic does, with no undefined
// behaviour (the sanitizer build fails this test if they overflow).
TEST(TreeTest, TotalsNearTheLimitWrapInsteadOfOverflowing) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  Tree tree;
  const std::string_view a[] = {"main", "a"};
  const std::string_view b[] = {"main", "b"};
  tree.AddStack(a, kMax);
  tree.AddStack(b, 2);
  EXPECT_EQ(tree.node(tree.FindChild(tree.FindChild(Tree::kRoot, "main"), "a")).self, kMax);
  EXPECT_EQ(tree.total(), std::numeric_limits<int64_t>::min() + 1);
  Tree copy = tree.Clone();
  tree.Merge(copy);
  EXPECT_EQ(tree.total(), 2);
}

TEST(TreeTest, MergeEqualsAddingEverything) {
  Tree left, right, both;
  Add(&left, {"main", "a"}, 3);
  Add(&left, {"main", "b", "x"}, 4);
  Add(&right, {"main", "b", "x"}, 6);
  Add(&right, {"other"}, 2);
  Add(&both, {"main", "a"}, 3);
  Add(&both, {"main", "b", "x"}, 10);
  Add(&both, {"other"}, 2);
  left.Merge(right);
  EXPECT_EQ(WriteCollapsed(left), WriteCollapsed(both));
  EXPECT_EQ(left.total(), 15);
  Tree clone = left.Clone();
  EXPECT_EQ(WriteCollapsed(clone), WriteCollapsed(both));
}

TEST(TreeTest, SortedChildrenAreByName) {
  Tree t;
  Add(&t, {"z"}, 1);
  Add(&t, {"a"}, 1);
  Add(&t, {"m"}, 1);
  std::vector<std::string_view> names;
  for (auto c : t.SortedChildren(Tree::kRoot)) names.push_back(t.name(c));
  EXPECT_EQ(names, (std::vector<std::string_view>{"a", "m", "z"}));
}

TEST(CollapsedWriterTest, ReplacesSeparatorsInsideNames) {
  Tree t;
  Add(&t, {"main", "operator;", "line\nbreak"}, 2);
  EXPECT_EQ(WriteCollapsed(t), "main;operator:;line break 2\n");
}

}  // namespace
}  // namespace kiln
