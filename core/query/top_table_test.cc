#include "kiln/query/top_table.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

void Add(Tree* t, std::initializer_list<std::string_view> stack, int64_t v) {
  std::vector<std::string_view> s(stack);
  t->AddStack(s, v);
}

TEST(TopTableTest, FlatAndCumCountRecursionOnce) {
  Tree t;
  Add(&t, {"main", "fib", "fib", "fib"}, 6);
  Add(&t, {"main", "fib"}, 2);
  Add(&t, {"main", "work"}, 2);
  TopTable table = ComputeTopTable(t);
  EXPECT_EQ(table.total, 10);
  ASSERT_EQ(table.rows.size(), 3u);
  EXPECT_EQ(table.rows[0].name, "fib");
  EXPECT_EQ(table.rows[0].flat, 8);
  EXPECT_EQ(table.rows[0].cum, 8);  // not 6*3+2: each stack counts once
  EXPECT_EQ(table.rows[1].name, "work");
  EXPECT_EQ(table.rows[2].name, "main");
  EXPECT_EQ(table.rows[2].flat, 0);
  EXPECT_EQ(table.rows[2].cum, 10);
}

TEST(TopTableTest, CompareSharesSortsByLargestChange) {
  Tree base, next;
  Add(&base, {"main", "a"}, 50);
  Add(&base, {"main", "b"}, 50);
  Add(&next, {"main", "a"}, 20);
  Add(&next, {"main", "b"}, 60);
  Add(&next, {"main", "c"}, 20);
  auto changes = CompareShares(ComputeTopTable(base), ComputeTopTable(next));
  ASSERT_EQ(changes.size(), 4u);
  EXPECT_EQ(changes[0].name, "a");
  EXPECT_DOUBLE_EQ(changes[0].delta_flat_pct(), -30.0);
  EXPECT_EQ(changes[1].name, "c");
  EXPECT_DOUBLE_EQ(changes[1].delta_flat_pct(), 20.0);
  EXPECT_EQ(changes[2].name, "b");
  EXPECT_DOUBLE_EQ(changes[2].delta_flat_pct(), 10.0);
  EXPECT_EQ(changes[3].name, "main");
}

}  // namespace
}  // namespace kiln
