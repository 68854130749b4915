#include "kiln/symbols/symbol_table.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

TEST(StringTableTest, InternsOnceWithEmptyStringAtZero) {
  StringTable t;
  EXPECT_EQ(t.Get(0), "");
  EXPECT_EQ(t.Intern(""), 0u);
  StringId a = t.Intern("main");
  StringId b = t.Intern("fib");
  EXPECT_EQ(t.Intern("main"), a);
  EXPECT_NE(a, b);
  EXPECT_EQ(t.Get(b), "fib");
  EXPECT_EQ(t.Find("nope"), -1);
  // Views stay valid while the table grows (short strings live inside the
  // deque's elements, which never move).
  std::string_view view = t.Get(a);
  for (int i = 0; i < 10000; ++i) t.Intern("s" + std::to_string(i));
  EXPECT_EQ(view, "main");
  EXPECT_EQ(t.Find("s9999"), static_cast<int64_t>(t.size() - 1));
}

TEST(SymbolTableTest, DeduplicatesByValue) {
  SymbolTable s;
  LocationId a = s.InternFrame("main", "main.go", 10);
  LocationId b = s.InternFrame("main", "main.go", 10);
  LocationId c = s.InternFrame("main", "main.go", 11);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(a, 0u);  // id 0 is the null location
  EXPECT_EQ(s.num_functions(), 2u);  // null + main
  EXPECT_EQ(s.num_locations(), 3u);
  ASSERT_EQ(s.lines(c).size(), 1u);
  EXPECT_EQ(s.lines(c)[0].line, 11);
  EXPECT_EQ(s.FunctionName(s.lines(c)[0].function_id), "main");
}

TEST(SymbolTableTest, InlinedLinesStayInOrder) {
  SymbolTable s;
  Function inner{s.InternString("inner"), 0, 0, 0};
  Function outer{s.InternString("outer"), 0, 0, 0};
  Line lines[] = {{s.InternFunction(inner), 5, 0}, {s.InternFunction(outer), 9, 0}};
  Mapping m;
  m.filename = s.InternString("/bin/app");
  MappingId mid = s.InternMapping(m);
  EXPECT_EQ(s.InternMapping(m), mid);
  LocationId loc = s.InternLocation(mid, 0x1000, lines);
  EXPECT_EQ(s.InternLocation(mid, 0x1000, lines), loc);
  EXPECT_NE(s.InternLocation(mid, 0x1004, lines), loc);
  auto got = s.lines(loc);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(s.FunctionName(got[0].function_id), "inner");
  EXPECT_EQ(s.FunctionName(got[1].function_id), "outer");
  EXPECT_EQ(s.location(loc).mapping_id, mid);
}

}  // namespace
}  // namespace kiln
