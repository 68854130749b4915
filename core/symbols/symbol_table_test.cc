#include "kiln/symbols/symbol_table.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

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
  // Views stay valid while the table grows past many chunks, for names
  // longer than a chunk, and when the table is moved.
  std::string_view view = t.Get(a);
  const std::string huge(200 << 10, 'x');
  const StringId h = t.Intern(huge);
  for (int i = 0; i < 10000; ++i) t.Intern("github.com/example/service/pkg.Function" + std::to_string(i));
  EXPECT_EQ(view, "main");
  EXPECT_EQ(t.Get(h), huge);
  EXPECT_EQ(t.Intern(huge), h);
  EXPECT_EQ(t.Find("github.com/example/service/pkg.Function9999"), static_cast<int64_t>(t.size() - 1));
  StringTable moved = std::move(t);
  EXPECT_EQ(view, "main");
  EXPECT_EQ(moved.Get(a), "main");
  EXPECT_EQ(moved.Intern("main"), a);
  EXPECT_EQ(moved.Get(h).size(), huge.size());
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

TEST(SymbolTableTest, LocationsStayDeduplicatedWhileTheIndexGrows) {
  // Enough locations to grow the index many times; the ones differing in a
  // single field (mapping, address, folded flag, a line's function, line or
  // column, or the number of lines) must all be distinct, and interning any
  // of them again, before and after growth, gives back its id.
  SymbolTable s;
  const FunctionId f1 = s.InternFunction({s.InternString("f1"), 0, 0, 0});
  const FunctionId f2 = s.InternFunction({s.InternString("f2"), 0, 0, 0});
  const MappingId m = s.InternMapping({.memory_start = 0x1000, .filename = s.InternString("/bin/app")});
  struct Key {
    MappingId mapping;
    uint64_t address;
    std::vector<Line> lines;
    bool folded;
  };
  std::vector<Key> keys;
  for (uint64_t i = 0; i < 5000; ++i) {
    keys.push_back({0, i, {{f1, 1, 0}}, false});
    keys.push_back({m, i, {{f1, 1, 0}}, false});
    keys.push_back({0, i, {{f1, 1, 0}}, true});
    keys.push_back({0, i, {{f2, 1, 0}}, false});
    keys.push_back({0, i, {{f1, 2, 0}}, false});
    keys.push_back({0, i, {{f1, 1, 3}}, false});
    keys.push_back({0, i, {{f1, 1, 0}, {f2, 7, 0}}, false});
  }
  keys.push_back({0, 0, {}, false});  // equal to the null location's fields, still a new location
  std::vector<LocationId> ids;
  for (const Key& k : keys) ids.push_back(s.InternLocation(k.mapping, k.address, k.lines, k.folded));
  EXPECT_EQ(s.num_locations(), keys.size() + 1);
  for (size_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(ids[i], i + 1);
    ASSERT_EQ(s.InternLocation(keys[i].mapping, keys[i].address, keys[i].lines, keys[i].folded), ids[i]) << i;
  }
  EXPECT_EQ(s.num_locations(), keys.size() + 1);
  EXPECT_EQ(s.lines(ids[6]).size(), 2u);
  EXPECT_EQ(s.location(ids[2]).is_folded, true);
}

}  // namespace
}  // namespace kiln
