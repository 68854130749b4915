#include "kiln/query/sandwich.h"

#include <gtest/gtest.h>

#include "kiln/export/collapsed_writer.h"

namespace kiln {
namespace {

void Add(Tree* t, std::initializer_list<std::string_view> stack, int64_t v) {
  std::vector<std::string_view> s(stack);
  t->AddStack(s, v);
}

TEST(SandwichTest, CallersAndCalleesOfOneFunction) {
  Tree t;
  Add(&t, {"main", "handle", "parse", "lex"}, 5);
  Add(&t, {"main", "handle", "parse"}, 2);
  Add(&t, {"main", "batch", "parse", "alloc"}, 3);
  Add(&t, {"main", "other"}, 100);
  SandwichView v = BuildSandwich(t, "parse");
  EXPECT_EQ(WriteCollapsed(v.callees), "parse 2\nparse;alloc 3\nparse;lex 5\n");
  EXPECT_EQ(v.callers.total(), 10);
  EXPECT_EQ(WriteCollapsed(v.callers), "parse;batch;main 3\nparse;handle;main 7\n");
}

TEST(SandwichTest, RecursionIsCountedOnce) {
  Tree t;
  Add(&t, {"main", "f", "g", "f", "h"}, 4);
  SandwichView v = BuildSandwich(t, "f");
  EXPECT_EQ(v.callers.total(), 4);  // not 8
  EXPECT_EQ(v.callees.total(), 4);
  EXPECT_EQ(WriteCollapsed(v.callees), "f;g;f;h 4\n");
  EXPECT_EQ(WriteCollapsed(v.callers), "f;main 4\n");
}

TEST(SandwichTest, UnknownFunctionGivesEmptyViews) {
  Tree t;
  Add(&t, {"main"}, 1);
  SandwichView v = BuildSandwich(t, "nope");
  EXPECT_EQ(v.callers.total(), 0);
  EXPECT_EQ(v.callees.total(), 0);
}

}  // namespace
}  // namespace kiln
