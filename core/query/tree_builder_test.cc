#include "kiln/query/tree_builder.h"

#include <gtest/gtest.h>

#include "kiln/export/collapsed_writer.h"

namespace kiln {
namespace {

TEST(TreeBuilderTest, ExpandsInlinedFramesAndNamesUnsymbolized) {
  Profile p;
  p.sample_types = {{"samples", "count"}, {"cpu", "nanoseconds"}};
  SymbolTable& s = p.symbols;
  Function inner{s.InternString("inner"), 0, 0, 0};
  Function outer{s.InternString("outer"), 0, 0, 0};
  Line inlined[] = {{s.InternFunction(inner), 5, 0}, {s.InternFunction(outer), 9, 0}};
  const LocationId loc_inlined = s.InternLocation(0, 0x10, inlined);
  const LocationId loc_main = s.InternFrame("main", "main.go", 3);
  Mapping m;
  m.filename = s.InternString("/usr/lib/libc.so.6");
  const LocationId loc_raw = s.InternLocation(s.InternMapping(m), 0x7f00, {});

  const LocationId st1[] = {loc_inlined, loc_main};  // leaf first
  const LocationId st2[] = {loc_raw, loc_main};
  const int64_t v1[] = {1, 10};
  const int64_t v2[] = {2, 20};
  const int64_t zero[] = {0, 0};
  p.AddSample(p.stacks.InternLeafFirst(st1), v1);
  p.AddSample(p.stacks.InternLeafFirst(st2), v2);
  p.AddSample(p.stacks.InternLeafFirst(st1), v1);
  p.AddSample(p.stacks.InternLeafFirst(st2), zero);

  Tree cpu = BuildTree(p, 1);
  EXPECT_EQ(WriteCollapsed(cpu), "main;libc.so.6 0x7f00 20\nmain;outer;inner 20\n");
  EXPECT_EQ(cpu.total(), p.Total(1));
  Tree samples = BuildTree(p, 0, TreeOptions{FrameNaming::kFunctionAndLine});
  EXPECT_EQ(WriteCollapsed(samples), "main:3;libc.so.6 0x7f00 2\nmain:3;outer:9;inner:5 2\n");
}

}  // namespace
}  // namespace kiln
