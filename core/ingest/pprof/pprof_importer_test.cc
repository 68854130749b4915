#include "kiln/ingest/pprof_importer.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

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
    // The ingest path's decoder checks the same things, with the same words.
    auto decoded = DecodedPprof::Decode(c.bytes);
    ASSERT_FALSE(decoded.ok()) << c.expect;
    EXPECT_EQ(decoded.status(), got.status());
  }
}

TEST(PprofImporterTest, DecodedStacksInternIntoOtherTablesOnceTheBytesAreGone) {
  pb::Profile with_unused = SmallProfile();
  with_unused.add_string_table("unused");  // index 11
  auto* f = with_unused.add_function();
  f->set_id(3);
  f->set_name(11);
  auto* l = with_unused.add_location();
  l->set_id(3);
  l->add_line()->set_function_id(3);
  std::string bytes = Gzip(with_unused.SerializeAsString());
  auto decoded = DecodedPprof::Decode(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  bytes.assign(bytes.size(), '\0');  // the decoder kept what it needs
  const Profile& header = (*decoded)->header();
  ASSERT_EQ(header.num_samples(), 2u);
  EXPECT_EQ(header.Total(1), 40000000);
  EXPECT_EQ(header.symbols.String(header.label_sets[header.sample_label_sets[0]][0].str), "checkout");

  // Into tables that already hold other symbols and stacks, as a dataset's do.
  SymbolTable symbols;
  StackTraceTree stacks;
  const LocationId other = symbols.InternFrame("other", "other.go", 1);
  stacks.InternLeafFirst(std::vector<LocationId>{other});
  std::vector<StackId> out(header.num_samples());
  (*decoded)->InternInto(symbols, stacks, out);
  auto frames = [&](StackId id) {
    std::vector<LocationId> leaf_first;
    stacks.Unwind(id, &leaf_first);
    std::string names;
    for (LocationId loc : leaf_first) {
      const Line& line = symbols.lines(loc)[0];
      names += std::string(symbols.FunctionName(line.function_id)) + ":" + std::to_string(line.line) + " ";
    }
    return names;
  };
  EXPECT_EQ(frames(out[0]), "fib:20 main:10 ");
  EXPECT_EQ(frames(out[1]), "main:10 ");
  EXPECT_EQ(symbols.String(symbols.mapping(symbols.location(stacks.node(out[0]).location).mapping_id).filename),
            "/bin/app");
  // The location no sample uses is not stored: "other", main and fib only.
  EXPECT_EQ(symbols.num_locations(), 4u);
  EXPECT_EQ(symbols.strings().Find("unused"), -1);
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

// Writes protobuf wire format field by field, for encodings protobuf's own
// serializer never produces but other writers do.
class WireWriter {
 public:
  WireWriter& Varint(uint32_t field, uint64_t v) {
    Out().WriteTag(field << 3);
    Out().WriteVarint64(v);
    return *this;
  }
  WireWriter& Bytes(uint32_t field, const std::string& bytes) {
    Out().WriteTag(field << 3 | 2);
    Out().WriteVarint32(static_cast<uint32_t>(bytes.size()));
    Out().WriteString(bytes);
    return *this;
  }
  WireWriter& Group(uint32_t field, const std::string& body) {
    Out().WriteTag(field << 3 | 3);
    Out().WriteString(body);
    Out().WriteTag(field << 3 | 4);
    return *this;
  }
  std::string Take() {
    out_.reset();
    stream_.reset();
    return std::move(bytes_);
  }

 private:
  google::protobuf::io::CodedOutputStream& Out() {
    if (!out_) {
      stream_ = std::make_unique<google::protobuf::io::StringOutputStream>(&bytes_);
      out_ = std::make_unique<google::protobuf::io::CodedOutputStream>(stream_.get());
    }
    return *out_;
  }
  std::string bytes_;
  std::unique_ptr<google::protobuf::io::StringOutputStream> stream_;
  std::unique_ptr<google::protobuf::io::CodedOutputStream> out_;
};

// Everything a reader can compare: totals, stacks as names, labels.
std::vector<std::string> Describe(const Profile& p) {
  std::vector<std::string> out;
  for (const ValueType& t : p.sample_types) out.push_back("type " + t.type + "/" + t.unit);
  out.push_back("period " + p.period_type.type + "/" + p.period_type.unit + " " + std::to_string(p.period));
  std::vector<LocationId> stack;
  for (size_t i = 0; i < p.num_samples(); ++i) {
    std::string line;
    p.stacks.Unwind(p.sample_stacks[i], &stack);
    for (LocationId loc : stack) {
      for (const Line& l : p.symbols.lines(loc)) line += std::string(p.symbols.FunctionName(l.function_id)) + ":" + std::to_string(l.line) + " ";
    }
    for (int64_t v : p.values(i)) line += std::to_string(v) + " ";
    for (const SampleLabel& l : p.label_sets[p.sample_label_sets[i]]) {
      line += std::string(p.symbols.String(l.key)) + "=" + std::string(p.symbols.String(l.str));
    }
    out.push_back(line);
  }
  return out;
}

TEST(PprofImporterTest, DecodesEveryLegalWireEncodingAlike) {
  // The same profile as SmallProfile, written as other writers may: fields
  // in reverse order (samples before the strings they use), repeated
  // scalars unpacked, a message split in two (protobuf merges them),
  // unknown fields of every wire type, and a group.
  const pb::Profile canonical = SmallProfile();
  WireWriter w;
  w.Varint(99, 7).Bytes(100, "unknown").Group(101, "");
  for (int i = canonical.sample_size() - 1; i >= 0; --i) {
    const pb::Sample& s = canonical.sample(i);
    WireWriter sample;
    for (const auto& label : s.label()) sample.Bytes(3, label.SerializeAsString());
    for (int64_t v : s.value()) sample.Varint(2, static_cast<uint64_t>(v));  // unpacked
    for (uint64_t id : s.location_id()) sample.Varint(1, id);                // unpacked
    sample.Varint(42, 1);                                                    // unknown
    w.Bytes(2, sample.Take());
  }
  for (const auto& l : canonical.location()) w.Bytes(4, l.SerializeAsString());
  for (const auto& f : canonical.function()) w.Bytes(5, f.SerializeAsString());
  for (const auto& m : canonical.mapping()) w.Bytes(3, m.SerializeAsString());
  w.Varint(12, static_cast<uint64_t>(canonical.period()));
  w.Bytes(11, WireWriter().Varint(1, canonical.period_type().type()).Take());  // split: type here,
  w.Bytes(11, WireWriter().Varint(2, canonical.period_type().unit()).Take());  // unit here
  for (const auto& st : canonical.sample_type()) w.Bytes(1, st.SerializeAsString());
  for (const std::string& str : canonical.string_table()) w.Bytes(6, str);
  auto reordered = ParsePprof(w.Take());
  ASSERT_TRUE(reordered.ok()) << reordered.status();
  auto expected = ParsePprof(canonical.SerializeAsString());
  ASSERT_TRUE(expected.ok());
  // Samples were written in reverse; compare as sets of lines.
  std::vector<std::string> a = Describe(*reordered), b = Describe(*expected);
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.size(), 5u);  // 2 types, period, 2 samples
  EXPECT_TRUE(reordered->stats.Empty()) << reordered->stats.ToString();
}

TEST(PprofImporterTest, ALineBeforeItsLocationsIdStillNamesTheLocation) {
  // Fields may come in any order: a bad function reference read before the
  // location's id must still be reported against that id.
  pb::Profile p = SmallProfile();
  p.clear_location();
  std::string bytes = p.SerializeAsString();
  const std::string line = WireWriter().Varint(1, 42).Varint(2, 7).Take();  // function 42 does not exist
  bytes += WireWriter().Bytes(4, WireWriter().Bytes(4, line).Varint(1, 1).Take()).Take();
  bytes += WireWriter().Bytes(4, WireWriter().Varint(1, 2).Bytes(4, WireWriter().Varint(1, 2).Take()).Take()).Take();
  auto got = ParsePprof(bytes);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_NE(got->stats.ToString().find("location 1: function id 42 does not exist"), std::string::npos)
      << got->stats.ToString();
  EXPECT_EQ(got->num_samples(), 2u);
}

TEST(PprofImporterTest, InvalidUtf8NamesAreKeptAndCounted) {
  pb::Profile p = SmallProfile();
  p.set_string_table(6, "fib\xff\xfe");
  auto got = ParsePprof(p.SerializePartialAsString());  // protobuf would refuse to serialize it checked
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->stats.Get(ImportStat::invalid_utf8), 1);
  EXPECT_EQ(got->symbols.FunctionName(got->symbols.lines(got->stacks.node(got->sample_stacks[0]).location)[0].function_id),
            "fib\xff\xfe");
}

TEST(PprofImporterTest, MalformedBytesAreReportedWithTheirOffset) {
  const std::string good = SmallProfile().SerializeAsString();
  // Cut inside the last field: a length that runs past the end.
  auto cut = ParsePprof(good.substr(0, good.size() - 1));
  ASSERT_FALSE(cut.ok());
  EXPECT_NE(cut.status().message().find("not a valid pprof protobuf message"), std::string::npos);
  EXPECT_NE(cut.status().message().find("at byte"), std::string::npos) << cut.status().message();
  // A sample whose packed location ids end in the middle of a varint: the
  // error names the message and the byte where the bad value starts (after
  // the sample's tag and length, and the location ids' tag).
  const std::string bad_sample = WireWriter().Bytes(1, "\x80").Take();
  std::string with_bad = good + WireWriter().Bytes(2, bad_sample).Take();
  auto bad = ParsePprof(with_bad);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("sample at byte " + std::to_string(good.size() + 3)), std::string::npos)
      << bad.status().message();
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
