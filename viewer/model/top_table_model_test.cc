#include "kiln/viewer/top_table_model.h"

#include <gtest/gtest.h>

#include <string>

#include "viewer/model/tree_from_collapsed.h"

namespace kiln::viewer {
namespace {

using testing::TreeFromCollapsed;

std::string Rows(const TopTableModel& m) {
  std::string out;
  for (const TopRow& r : m.rows()) out += r.name + ":" + std::to_string(r.flat) + "/" + std::to_string(r.cum) + " ";
  return out;
}

TEST(TopTableModelTest, CoreRowsSortedByAnyColumn) {
  Tree tree = TreeFromCollapsed("main;a 5\nmain;b 5\nmain;b;c 1\nmain 2\nmain;f;f 3\n");
  TopTableModel model(tree);
  const TopTable core = ComputeTopTable(tree);
  EXPECT_EQ(model.total(), core.total);
  ASSERT_EQ(model.rows().size(), core.rows.size());
  for (size_t i = 0; i < core.rows.size(); ++i) {  // the core's order to start with
    EXPECT_EQ(model.rows()[i].name, core.rows[i].name);
    EXPECT_EQ(model.rows()[i].flat, core.rows[i].flat);
    EXPECT_EQ(model.rows()[i].cum, core.rows[i].cum);
  }
  EXPECT_EQ(Rows(model), "b:5/6 a:5/5 f:3/3 main:2/16 c:1/1 ");
  model.Sort(TopColumn::kTotal, true);
  EXPECT_EQ(Rows(model), "main:2/16 b:5/6 a:5/5 f:3/3 c:1/1 ");
  model.Sort(TopColumn::kTotal, false);
  EXPECT_EQ(Rows(model), "c:1/1 f:3/3 a:5/5 b:5/6 main:2/16 ");
  model.Sort(TopColumn::kName, false);
  EXPECT_EQ(Rows(model), "a:5/5 b:5/6 c:1/1 f:3/3 main:2/16 ");
  model.Sort(TopColumn::kName, true);
  EXPECT_EQ(Rows(model), "main:2/16 f:3/3 c:1/1 b:5/6 a:5/5 ");
  model.Sort(TopColumn::kSelf, true);
  EXPECT_EQ(Rows(model), "b:5/6 a:5/5 f:3/3 main:2/16 c:1/1 ");
  EXPECT_EQ(model.sort_column(), TopColumn::kSelf);
  EXPECT_TRUE(model.descending());
}

}  // namespace
}  // namespace kiln::viewer
