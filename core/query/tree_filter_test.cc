#include "kiln/query/tree_filter.h"

#include <gtest/gtest.h>

#include "kiln/export/collapsed_writer.h"

namespace kiln {
namespace {

void Add(Tree* t, std::initializer_list<std::string_view> stack, int64_t v) {
  std::vector<std::string_view> s(stack);
  t->AddStack(s, v);
}

Tree Sample() {
  Tree t;
  Add(&t, {"main", "http.serve", "json.Marshal"}, 5);
  Add(&t, {"main", "http.serve", "db.Query"}, 7);
  Add(&t, {"main", "gc"}, 3);
  return t;
}

TEST(TreeFilterTest, FocusIgnoreHide) {
  auto focused = FilterTree(Sample(), {.focus = "json"});
  ASSERT_TRUE(focused.ok());
  EXPECT_EQ(WriteCollapsed(*focused), "main;http.serve;json.Marshal 5\n");

  auto ignored = FilterTree(Sample(), {.ignore = "^db\\."});
  ASSERT_TRUE(ignored.ok());
  EXPECT_EQ(ignored->total(), 8);

  auto hidden = FilterTree(Sample(), {.hide = "http"});
  ASSERT_TRUE(hidden.ok());
  EXPECT_EQ(WriteCollapsed(*hidden), "main;db.Query 7\nmain;gc 3\nmain;json.Marshal 5\n");

  auto none = FilterTree(Sample(), {});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(WriteCollapsed(*none), WriteCollapsed(Sample()));
}

TEST(TreeFilterTest, BadRegexNamesTheFilter) {
  auto bad = FilterTree(Sample(), {.hide = "("});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("hide regex '('"), std::string::npos);
}

}  // namespace
}  // namespace kiln
