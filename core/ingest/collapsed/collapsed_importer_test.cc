#include "kiln/ingest/collapsed_importer.h"

#include <gtest/gtest.h>

#include <string>

#include "core/ingest/collapsed/text_encoding.h"
#include "kiln/base/gzip.h"
#include "kiln/export/collapsed_writer.h"
#include "kiln/query/tree_builder.h"

namespace kiln {
namespace {

std::string Collapsed(const Profile& p) { return WriteCollapsed(BuildTree(p, 0)); }

Profile MustParse(std::string_view text, const ImportOptions& options = {}) {
  auto p = ParseCollapsed(text, options);
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? *std::move(p) : Profile();
}

// UTF-16 with a BOM, from ASCII-or-BMP text given as UTF-16 code units.
std::string Utf16(std::u16string_view units, bool big_endian) {
  std::string out = big_endian ? "\xFE\xFF" : "\xFF\xFE";
  for (char16_t u : units) {
    const char hi = static_cast<char>(u >> 8), lo = static_cast<char>(u & 0xFF);
    out += big_endian ? hi : lo;
    out += big_endian ? lo : hi;
  }
  return out;
}

TEST(CollapsedImporterTest, SumsRepeatedStacksAndKeepsOneSampleType) {
  Profile p = MustParse("a;b;c 1\na;b;c 1\na;b;d 4\na;b;c 3\na;b 5");
  ASSERT_EQ(p.sample_types.size(), 1u);
  EXPECT_EQ(p.sample_types[0], (ValueType{"samples", "count"}));
  EXPECT_TRUE(p.name.empty());
  EXPECT_EQ(p.num_samples(), 3u);  // one per distinct stack
  EXPECT_EQ(p.Total(0), 14);
  EXPECT_EQ(Collapsed(p), "a;b 5\na;b;c 5\na;b;d 4\n");
  EXPECT_TRUE(p.stats.Empty()) << p.stats.ToString();
}

TEST(CollapsedImporterTest, StacksAreRootFirst) {
  Profile p = MustParse("main;handler;leaf 2\n");
  std::vector<LocationId> leaf_first;
  p.stacks.Unwind(p.sample_stacks[0], &leaf_first);
  ASSERT_EQ(leaf_first.size(), 3u);
  auto name = [&](LocationId loc) {
    return p.symbols.FunctionName(p.symbols.lines(loc)[0].function_id);
  };
  EXPECT_EQ(name(leaf_first[0]), "leaf");
  EXPECT_EQ(name(leaf_first[2]), "main");
}

TEST(CollapsedImporterTest, SplitsAtTheLastSpaceSoNamesKeepTheirSpaces) {
  Profile p = MustParse(
      "main;(anonymous namespace)::run;std::vector<int, std::allocator<int> >::push_back(int const&) 7\n"
      "V8 WorkerThread;v8::internal::Heap::Scavenge() 3\n");
  EXPECT_EQ(Collapsed(p),
            "V8 WorkerThread;v8::internal::Heap::Scavenge() 3\n"
            "main;(anonymous namespace)::run;std::vector<int, std::allocator<int> >::push_back(int "
            "const&) 7\n");
}

TEST(CollapsedImporterTest, OnlyTheLastSeparatorGoes) {
  // stackcollapse-perf.pl writes a frame named " " for an empty perf symbol:
  // "…;write0;  3" is the frames "write0" and " ", then the count.
  Profile p = MustParse("java;write0;  3\n");
  std::vector<LocationId> leaf_first;
  p.stacks.Unwind(p.sample_stacks[0], &leaf_first);
  ASSERT_EQ(leaf_first.size(), 3u);
  EXPECT_EQ(p.symbols.FunctionName(p.symbols.lines(leaf_first[0])[0].function_id), " ");
  EXPECT_EQ(Collapsed(p), "java;write0;  3\n");
}

TEST(CollapsedImporterTest, KeepsStackcollapseAnnotationsInNames) {
  Profile p = MustParse("java;start_thread;Interpreter_[j];copy_user_[k] 4\nfoo;bar_[i] 1\n");
  EXPECT_EQ(Collapsed(p), "foo;bar_[i] 1\njava;start_thread;Interpreter_[j];copy_user_[k] 4\n");
}

TEST(CollapsedImporterTest, SkipsAndCountsCommentsAndGarbageWithLineNumbers) {
  Profile p = MustParse(
      "# comment that gives extra info\n"
      "// some other comment\n"
      "a;b;c 1\n"
      "\n"
      "   \n"
      "a;b 5\n"
      "invalid line\n"
      "a;b;d 4.5\n"
      " 3\n");
  EXPECT_EQ(p.Total(0), 6);
  EXPECT_EQ(p.stats.Get(ImportStat::records_skipped), 5);  // blank lines are not records
  const auto& notes = p.stats.notes();
  ASSERT_EQ(notes.size(), 5u);
  EXPECT_EQ(notes[0].rfind("line 1: comment", 0), 0u) << notes[0];
  EXPECT_EQ(notes[1].rfind("line 2: comment", 0), 0u) << notes[1];
  EXPECT_EQ(notes[2].rfind("line 7: ", 0), 0u) << notes[2];
  EXPECT_NE(notes[2].find("not an integer count"), std::string::npos) << notes[2];
  EXPECT_EQ(notes[3].rfind("line 8: ", 0), 0u) << notes[3];
  EXPECT_EQ(notes[4].rfind("line 9: a count with no stack", 0), 0u) << notes[4];
}

TEST(CollapsedImporterTest, ReadsCrlfTabsAndTrailingSpaces) {
  Profile p = MustParse("a;b;c 1\r\na;b;c\t2\r\na;b 5  \r\n");
  EXPECT_EQ(Collapsed(p), "a;b 5\na;b;c 3\n");
  EXPECT_TRUE(p.stats.Empty()) << p.stats.ToString();
}

TEST(CollapsedImporterTest, ReadsUtf8BomAndUtf16WithBom) {
  const std::string expected = "a;b 5\na;b;c\xC3\xA9 3\n";  // "cé"
  EXPECT_EQ(Collapsed(MustParse("\xEF\xBB\xBF" "a;b;c\xC3\xA9 3\na;b 5\n")), expected);
  const std::u16string_view units = u"a;b;c\u00e9 3\r\na;b 5\r\n";
  for (bool big_endian : {false, true}) {
    SCOPED_TRACE(big_endian ? "UTF-16 BE" : "UTF-16 LE");
    Profile p = MustParse(Utf16(units, big_endian));
    EXPECT_EQ(Collapsed(p), expected);
    EXPECT_TRUE(p.stats.Empty()) << p.stats.ToString();
  }
}

TEST(CollapsedImporterTest, Utf16SurrogatesAndBrokenUnits) {
  // U+1F600 as a surrogate pair, then a lone high surrogate.
  const std::u16string units = u"main;\U0001F600 1\nmain;x\xD800y 2\n";
  Profile p = MustParse(Utf16(units, false));
  EXPECT_EQ(Collapsed(p), "main;x\xEF\xBF\xBDy 2\nmain;\xF0\x9F\x98\x80 1\n");
  EXPECT_EQ(p.stats.Get(ImportStat::invalid_utf8), 1);
}

TEST(CollapsedImporterTest, GzippedInput) {
  Profile p = MustParse(Gzip("a;b 2\na;b 3\n"));
  EXPECT_EQ(Collapsed(p), "a;b 5\n");
}

TEST(CollapsedImporterTest, ZeroCountsAreDroppedAndCounted) {
  Profile p = MustParse("a;b 0\na;c 2\n");
  EXPECT_EQ(Collapsed(p), "a;c 2\n");
  EXPECT_EQ(p.stats.Get(ImportStat::zero_values_dropped), 1);
  EXPECT_FALSE(p.stats.HasDataLoss());
}

TEST(CollapsedImporterTest, CountsThatOverflowAreSkippedNotWrapped) {
  Profile p = MustParse("a 9223372036854775807\na 1\nb 99999999999999999999\nb 2\n");
  EXPECT_EQ(Collapsed(p), "a 9223372036854775807\nb 2\n");
  EXPECT_EQ(p.stats.Get(ImportStat::records_skipped), 2);
  EXPECT_NE(p.stats.notes()[0].find("line 2: adding 1 overflows"), std::string::npos)
      << p.stats.notes()[0];
  EXPECT_NE(p.stats.notes()[1].find("line 3: count does not fit"), std::string::npos)
      << p.stats.notes()[1];
}

TEST(CollapsedImporterTest, LimitsDepthNameLengthAndSamples) {
  ImportOptions options;
  options.max_stack_depth = 2;
  options.max_name_length = 4;
  Profile p = MustParse("root;middle;leaf 3\nroot;m 1\n", options);
  EXPECT_EQ(Collapsed(p), "root;m 1\nroot;midd 3\n");
  EXPECT_EQ(p.stats.Get(ImportStat::stacks_truncated), 1);
  EXPECT_EQ(p.stats.Get(ImportStat::names_truncated), 1);

  options = ImportOptions();
  options.max_samples = 2;
  EXPECT_TRUE(ParseCollapsed("a 1\nb 1\na 4\n", options).ok());
  auto too_many = ParseCollapsed("a 1\nb 1\nc 1\n", options);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(too_many.status().message().find("line 3"), std::string::npos) << too_many.status();
}

TEST(CollapsedImporterTest, InputsWithoutStacksAreErrors) {
  auto empty = ParseCollapsed("");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("empty"), std::string::npos) << empty.status();

  auto garbage = ParseCollapsed("hello world\nnot a profile\n");
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.status().message().find("line 1:"), std::string::npos) << garbage.status();

  auto zeros = ParseCollapsed("a;b 0\n");
  ASSERT_FALSE(zeros.ok());
  EXPECT_NE(zeros.status().message().find("count of 0"), std::string::npos) << zeros.status();
}

TEST(CollapsedImporterTest, SniffIsWeakAndContentBased) {
  auto importer = NewCollapsedImporter();
  EXPECT_EQ(importer->format(), "collapsed");
  const int score = importer->Sniff("main;a;b 12\nmain;a;c 3\nmain;d 1\n");
  EXPECT_GE(score, 20);
  EXPECT_LE(score, 40);
  EXPECT_GT(importer->Sniff("# header\na;b 1\n"), 0);
  EXPECT_GT(importer->Sniff(Utf16(u"a;b 1\r\n", true)), 0);
  EXPECT_GT(importer->Sniff("\xEF\xBB\xBF" "a;b 1\n"), 0);
  // A long file whose sniff window ends mid-line still sniffs.
  std::string big;
  while (big.size() < 10000) big += "main;worker;compute 1\n";
  EXPECT_GT(importer->Sniff(big), 0);

  // Not collapsed: JSON, perf script, binary protobuf, gzip, prose, empty.
  EXPECT_EQ(importer->Sniff("{\"a\": 1}"), 0);
  EXPECT_EQ(importer->Sniff("[\n  1,\n  2\n]\n"), 0);
  EXPECT_EQ(importer->Sniff("{\n  \"samples\": 12\n}\n"), 0);
  EXPECT_EQ(importer->Sniff("dd 29776 666709.771979:   10101010 cpu-clock: \n"
                            "\t          414b3b fsnotify (/lib/vmlinux)\n"
                            "\t           e5f70 read (/lib/libc-2.15.so)\n\n"),
            0);
  constexpr char kPprofBytes[] = "\x0a\x02\x08\x01\x32\x00\x32\x07samples";
  EXPECT_EQ(importer->Sniff(std::string(kPprofBytes, sizeof(kPprofBytes) - 1)), 0);
  EXPECT_EQ(importer->Sniff(Gzip("a;b 1\n")), 0);
  EXPECT_EQ(importer->Sniff("goroutine profile: total 11\n10 @ 0x43 0x44\n1 @ 0x45\n"), 0);
  EXPECT_EQ(importer->Sniff(""), 0);
  EXPECT_EQ(importer->Sniff("\n\n# only comments\n"), 0);
}

TEST(TextEncodingTest, DetectsBoms) {
  EXPECT_EQ(DetectTextEncoding("abc"), TextEncoding::kUtf8);
  EXPECT_EQ(DetectTextEncoding("\xEF\xBB\xBF" "abc"), TextEncoding::kUtf8Bom);
  EXPECT_EQ(DetectTextEncoding("\xFF\xFE" "a"), TextEncoding::kUtf16Le);
  EXPECT_EQ(DetectTextEncoding("\xFE\xFF" "a"), TextEncoding::kUtf16Be);
  std::string storage;
  int64_t replaced = 0;
  EXPECT_EQ(DecodeTextToUtf8(std::string("\xFF\xFE" "a\0b", 5), &storage, &replaced), "a\xEF\xBF\xBD");
  EXPECT_EQ(replaced, 1);  // the odd trailing byte
}

}  // namespace
}  // namespace kiln
