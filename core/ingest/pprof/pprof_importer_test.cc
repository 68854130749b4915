#include "kiln/ingest/pprof_importer.h"

#include <gtest/gtest.h>

#include "kiln/base/gzip.h"
#include "kiln/export/pprof_writer.h"
#include "perftools/profiles/profile.pb.h"

namespace kiln {
namespace {

namespace pb = perftools::profiles;

// A small pprof written field by field, so the test does not depend on our writer.
pb::Profile SmallProfile() {
  pb::Profile p;
  for (const char* s : {"", "samples", "count", "cpu", "nanoseconds", "main", "fib", "main.go",
                        "handler", "checkout", "/bin/app"}) {
    p.add_string_table(s);
  }
  auto* st = p.add_sample_type();
  st->set_type(1);
  st->set_unit(2);
  st = p.add_sample_type();
  st->set_type(3);
  st->set_unit(4);
  p.mutable_period_type()->set_type(3);
  p.mutable_period_type()->set_unit(4);
  p.set_period(10000000);
  auto* m = p.add_mapping();
  m->set_id(1);
  m->set_filename(10);
  m->set_memory_start(0x400000);
  for (int id : {1, 2}) {
    auto* f = p.add_function();
    f->set_id(id);
    f->set_name(id == 1 ? 5 : 6);
    f->set_filename(7);
  }
  for (int id : {1, 2}) {
    auto* l = p.add_location();
    l->set_id(id);
    l->set_mapping_id(1);
    l->set_address(0x401000 + id);
    auto* line = l->add_line();
    line->set_function_id(id);
    line->set_line(10 * id);
  }
  auto* s = p.add_sample();
  s->add_location_id(2);  // fib (leaf)
  s->add_location_id(1);  // main
  s->add_value(3);
  s->add_value(30000000);
  auto* label = s->add_label();
  label->set_key(8);
  label->set_str(9);
  s = p.add_sample();
  s->add_location_id(1);
  s->add_value(1);
  s->add_value(10000000);
  return p;
}

TEST(PprofImporterTest, ReadsSymbolsSamplesAndLabels) {
  std::string raw = SmallProfile().SerializeAsString();
  for (const std::string& bytes : {raw, Gzip(raw)}) {
    auto p = ParsePprof(bytes);
    ASSERT_TRUE(p.ok()) << p.status();
    ASSERT_EQ(p->sample_types.size(), 2u);
    EXPECT_EQ(p->sample_types[1], (ValueType{"cpu", "nanoseconds"}));
    EXPECT_EQ(p->period, 10000000);
    EXPECT_EQ(p->period_type.type, "cpu");
    EXPECT_EQ(p->num_samples(), 2u);
    EXPECT_EQ(p->Total(0), 4);
    EXPECT_EQ(p->Total(1), 40000000);
    std::vector<LocationId> stack;
    p->stacks.Unwind(p->sample_stacks[0], &stack);
    ASSERT_EQ(stack.size(), 2u);
    EXPECT_EQ(p->symbols.FunctionName(p->symbols.lines(stack[0])[0].function_id), "fib");
    EXPECT_EQ(p->symbols.lines(stack[0])[0].line, 20);
    EXPECT_EQ(p->symbols.String(p->symbols.mapping(p->symbols.location(stack[0]).mapping_id).filename),
              "/bin/app");
    const auto& labels = p->label_sets[p->sample_label_sets[0]];
    ASSERT_EQ(labels.size(), 1u);
    EXPECT_EQ(p->symbols.String(labels[0].key), "handler");
    EXPECT_EQ(p->symbols.String(labels[0].str), "checkout");
    EXPECT_TRUE(p->stats.Empty()) << p->stats.ToString();
  }
}

TEST(PprofImporterTest, WriterRoundTripsEverything) {
  auto first = ParsePprof(SmallProfile().SerializeAsString());
  ASSERT_TRUE(first.ok());
  auto written = WritePprof(*first);
  ASSERT_TRUE(written.ok());
  auto second = ParsePprof(*written);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->sample_types, first->sample_types);
  EXPECT_EQ(second->Total(0), first->Total(0));
  EXPECT_EQ(second->Total(1), first->Total(1));
  EXPECT_EQ(second->symbols.num_locations(), first->symbols.num_locations());
  EXPECT_EQ(second->label_sets.size(), first->label_sets.size());
  // Writing again gives identical bytes: nothing drifts through a round trip.
  EXPECT_EQ(*WritePprof(*second, {.gzip = false}), *WritePprof(*first, {.gzip = false}));

  auto only_cpu = WritePprof(*first, {.gzip = true, .sample_type_index = 1});
  ASSERT_TRUE(only_cpu.ok());
  auto third = ParsePprof(*only_cpu);
  ASSERT_TRUE(third.ok());
  ASSERT_EQ(third->sample_types.size(), 1u);
  EXPECT_EQ(third->Total(0), 40000000);
  EXPECT_FALSE(WritePprof(*first, {.gzip = true, .sample_type_index = 2}).ok());
}

TEST(PprofImporterTest, BadReferencesAreCountedAndSkipped) {
  pb::Profile p = SmallProfile();
  p.mutable_sample(1)->set_location_id(0, 99);
  p.mutable_location(0)->mutable_line(0)->set_function_id(42);
  auto got = ParsePprof(p.SerializeAsString());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->num_samples(), 1u);
  EXPECT_EQ(got->stats.Get(ImportStat::invalid_references), 2);
  EXPECT_TRUE(got->stats.HasDataLoss());
  EXPECT_NE(got->stats.ToString().find("location id 99 does not exist"), std::string::npos);
}

TEST(PprofImporterTest, BrokenFilesFailWithClearErrors) {
  struct Case {
    std::string bytes;
    std::string expect;
  };
  pb::Profile bad_string = SmallProfile();
  bad_string.mutable_function(0)->set_name(1000);
  pb::Profile first_not_empty = SmallProfile();
  first_not_empty.set_string_table(0, "oops");
  pb::Profile dup = SmallProfile();
  dup.mutable_location(1)->set_id(1);
  std::string gz = Gzip(SmallProfile().SerializeAsString());
  const Case cases[] = {
      {bad_string.SerializeAsString(), "function[0].name: string index 1000 out of range"},
      {first_not_empty.SerializeAsString(), "string_table[0] must be \"\""},
      {dup.SerializeAsString(), "location[1]: duplicate id 1"},
      {"\x0a\xff\xff\xff\xff\x0f", "not a valid pprof protobuf message"},
      {gz.substr(0, gz.size() / 2), "gzip"},
      {"", "string_table is empty"},
  };
  for (const Case& c : cases) {
    auto got = ParsePprof(c.bytes);
    ASSERT_FALSE(got.ok()) << c.expect;
    EXPECT_NE(got.status().message().find(c.expect), std::string::npos) << got.status().message();
  }
}

TEST(PprofImporterTest, LimitsAreEnforced) {
  std::string raw = SmallProfile().SerializeAsString();
  ImportOptions few_samples;
  few_samples.max_samples = 1;
  auto a = ParsePprof(raw, few_samples);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), absl::StatusCode::kResourceExhausted);
  ImportOptions shallow;
  shallow.max_stack_depth = 1;
  auto b = ParsePprof(raw, shallow);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->stats.Get(ImportStat::stacks_truncated), 1);
  EXPECT_EQ(b->stacks.Depth(b->sample_stacks[0]), 1u);
  ImportOptions tiny;
  tiny.max_decompressed_bytes = 10;
  EXPECT_EQ(ParsePprof(Gzip(raw), tiny).status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(PprofImporterTest, SniffsByContent) {
  auto importer = NewPprofImporter();
  EXPECT_EQ(importer->Sniff(SmallProfile().SerializeAsString()), 90);
  EXPECT_EQ(importer->Sniff("main;foo 12\n"), 0);
  EXPECT_EQ(importer->Sniff("{\"nodes\": []}"), 0);
  EXPECT_GT(importer->Sniff(Gzip("x")), 0);
}

}  // namespace
}  // namespace kiln
