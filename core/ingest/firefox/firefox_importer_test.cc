// Gecko profiles written here (stacks with prefixes, JS and native frame
// locations, samples without stacks, sub-processes, threads as strings,
// Firefox DevTools' wrapper) and the corpus sample against speedscope.
#include "kiln/ingest/firefox_importer.h"

#include <gtest/gtest.h>

#include <string>

#include "core/ingest/firefox/gecko_thread_reader.h"
#include "core/ingest/json/speedscope_snapshot.h"
#include "core/testing/corpus.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/export/collapsed_writer.h"
#include "kiln/ingest/importer_registry.h"
#include "kiln/query/tree_builder.h"
#include "nlohmann/json.hpp"

namespace kiln {
namespace {

std::string Collapsed(const Profile& p, size_t type) { return WriteCollapsed(BuildTree(p, type)); }

// (root) -> main (native) -> a (JS) -> b (JS); samples at 0, 1, 3, 6, 10 ms.
std::string Thread(std::string_view name = "GeckoMain",
                   std::string_view samples = "[[2, 0.0], [3, 1.0], [null, 3.0], [3, 6.0], [1, 10.0]]",
                   std::string_view stacks = "[[null, 0], [0, 1], [1, 2], [2, 3]]") {
  return fmt::format(R"j({{"name": "{}", "tid": 1, "pid": 2,
    "samples": {{"schema": {{"stack": 0, "time": 1, "responsiveness": 2}}, "data": {}}},
    "stackTable": {{"schema": {{"prefix": 0, "frame": 1}}, "data": {}}},
    "frameTable": {{"schema": {{"location": 0, "implementation": 1, "optimizations": 2,
                                "line": 3, "category": 4}},
                    "data": [[0], [1, null, null, 77, 16], [2, null, null, null, 64], [3]]}},
    "stringTable": ["(root)", "XRE_Main", "a (file:///app/x.js:4:2)",
                    "b (resource://gre/b.jsm -> file:///app/y.js:9)"]}})j",
                     name, samples, stacks);
}

std::string Gecko(std::string_view threads, std::string_view processes = "[]") {
  return fmt::format(R"({{"meta": {{"version": 9, "interval": 1, "startTime": 100}},
    "libs": [], "threads": [{}], "processes": {}}})",
                     threads, processes);
}

std::string ImportError(std::string_view data) {
  auto result = ParseFirefoxProfile(data);
  if (result.ok()) return "(imported)";
  return std::string(result.status().message());
}

TEST(FirefoxImporterTest, ParsesLocations) {
  auto js = firefox::ParseGeckoLocation("a (file:///app/x.js:4:2)");
  EXPECT_EQ(js.name, "a");
  EXPECT_EQ(js.file, "file:///app/x.js");
  EXPECT_EQ(js.line, 4);
  EXPECT_EQ(js.column, 3);
  auto nested = firefox::ParseGeckoLocation("emit (resource://a.js -> resource://b.js:254)");
  EXPECT_EQ(nested.name, "emit");
  EXPECT_EQ(nested.file, "resource://a.js -> resource://b.js");
  EXPECT_EQ(nested.line, 254);
  EXPECT_EQ(nested.column, 0);
  auto native = firefox::ParseGeckoLocation("nsAppShell::ProcessGeckoEvents");
  EXPECT_EQ(native.name, "nsAppShell::ProcessGeckoEvents");
  EXPECT_EQ(native.file, "");
  EXPECT_EQ(firefox::ParseGeckoLocation("(root)").name, "(root)");
  EXPECT_EQ(firefox::ParseGeckoLocation("f (anonymous)").file, "anonymous");
}

TEST(FirefoxImporterTest, EachSampleWeighsTheTimeUntilTheNext) {
  auto profiles = ParseFirefoxProfile(Gecko(Thread()));
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  ASSERT_EQ(profiles->size(), 1u);
  const Profile& p = (*profiles)[0];
  EXPECT_EQ(p.sample_types[1], (ValueType{"wall", "nanoseconds"}));
  EXPECT_EQ(p.period, 1'000'000);
  // a@0 -> 1 ms, b@1 -> 2 ms (until the stackless sample), b@6 -> 4 ms, main@10 -> 0.
  EXPECT_EQ(Collapsed(p, 1), "XRE_Main;a 1000000\nXRE_Main;a;b 6000000\n");
  EXPECT_EQ(Collapsed(p, 0), "XRE_Main 1\nXRE_Main;a 1\nXRE_Main;a;b 2\n");
  EXPECT_EQ(p.stats.Get(ImportStat::records_skipped), 1);
  ASSERT_EQ(p.labels.size(), 1u);
  EXPECT_EQ(p.labels[0].second, "GeckoMain");
  // Frames: JS locations split, native ones whole; the frameTable line
  // fills in a location without one.
  const auto weights = testing::ComputeFrameWeights(p, 0);
  EXPECT_TRUE(weights.count({"a", "file:///app/x.js", 4, 3}));
  EXPECT_TRUE(weights.count({"b", "resource://gre/b.jsm -> file:///app/y.js", 9, 0}));
  EXPECT_TRUE(weights.count({"XRE_Main", "", 77, 0}));
}

TEST(FirefoxImporterTest, ThreadsProcessesAndWrappers) {
  const std::string child = Gecko(Thread("Child"));
  std::string quoted_thread = Thread("AsString");
  std::string escaped;
  for (char c : quoted_thread) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c == '\n' ? ' ' : c;
  }
  const std::string doc = Gecko(Thread("GeckoMain") + ", \"" + escaped + "\"", "[" + child + "]");
  for (const std::string& data : {doc, R"({"fileType": "profile", "profile": )" + doc + "}"}) {
    auto profiles = ParseFirefoxProfile(data);
    ASSERT_TRUE(profiles.ok()) << profiles.status();
    ASSERT_EQ(profiles->size(), 3u);
    EXPECT_EQ((*profiles)[0].labels[0].second, "GeckoMain");
    EXPECT_EQ((*profiles)[1].labels[0].second, "AsString");
    EXPECT_EQ((*profiles)[2].labels[0].second, "Child");
  }
}

TEST(FirefoxImporterTest, BadTablesAreErrorsWithPaths) {
  EXPECT_EQ(ImportError(Gecko(Thread("T", "[[0, 0]]", "[[1, 0], [0, 1]]"))),
            "threads[0].stackTable.data[0][0]: 1 is not an index into the stacks before it (0 "
            "entries)");
  EXPECT_EQ(ImportError(Gecko(Thread("T", "[[0, 0]]", "[[null, 9]]"))),
            "threads[0].stackTable.data[0][1]: 9 is not an index into frameTable (4 entries)");
  EXPECT_EQ(ImportError(Gecko(Thread("T", "[[5, 0]]"))),
            "threads[0].samples.data[0][0]: 5 is not an index into stackTable (4 entries)");
  EXPECT_EQ(ImportError(Gecko(Thread("T", "[[1, \"soon\"]]"))),
            "threads[0].samples.data[0][1]: expected a number, got a string");
  EXPECT_EQ(ImportError(Gecko(Thread("T", "[[1]]"))), "threads[0].samples.data[0]: no time");
  EXPECT_EQ(ImportError(Gecko(Thread("T", "[[null, 1]]"))),
            "no samples: none of the 1 thread(s) has a sample with a stack");
  EXPECT_EQ(ImportError(R"({"meta": {}, "threads": [{"stringTable": []}]})"),
            "threads[0].frameTable: missing required field");
  EXPECT_EQ(ImportError(R"({"meta": {"preprocessedProfileVersion": 47}, "threads": []})"),
            "meta.preprocessedProfileVersion: a profile processed by profiler.firefox.com "
            "(preprocessedProfileVersion); Kiln reads the Gecko profiler's raw format only");
  EXPECT_EQ(ImportError(R"({"meta": {}, "threads": ["{\"bad"]})"),
            "threads[0] (a JSON string): invalid JSON at line 1, column 6 (byte 5): syntax error "
            "while parsing object key - invalid string: missing closing quote; last read: "
            "'\"bad'; expected string literal");
  EXPECT_TRUE(ImportError(Gecko(Thread()).substr(0, 100)).starts_with("invalid JSON at line "));
}

TEST(FirefoxImporterTest, SniffAndDetect) {
  auto importer = NewFirefoxImporter();
  EXPECT_EQ(importer->Sniff(Gecko(Thread())), 90);
  EXPECT_EQ(importer->Sniff(R"({"meta": {}})"), 0);
  const Importer* detected = ImporterRegistry::Default().Detect(Gecko(Thread()));
  ASSERT_NE(detected, nullptr);
  EXPECT_EQ(detected->format(), "firefox");
}

// speedscope keeps only JavaScript frames outside Firefox's own code
// (resource:, self-hosted); Kiln keeps every frame. The time each of
// speedscope's frames was on the stack (its total) must agree.
TEST(FirefoxCorpusTest, FrameTotalsMatchSpeedscopesSnapshot) {
  KILN_SKIP_WITHOUT_CORPUS();
  const std::string path = "firefox/speedscope/Firefox-59/simple-firefox.json";
  const std::string data = testing::ReadFileForTest(testing::CorpusPath(path));
  auto profiles = ParseFirefoxProfile(data);
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  ASSERT_EQ(profiles->size(), 1u);
  const Profile& p = (*profiles)[0];
  const auto raw = nlohmann::json::parse(data);
  EXPECT_EQ(p.Total(0),
            static_cast<int64_t>(raw["profile"]["threads"][0]["samples"]["data"].size()));
  const auto ours = testing::ComputeFrameWeights(p, 1);
  const auto frames = testing::ParseSnapshotFrames(testing::ReadSpeedscopeSnapshot(path));
  ASSERT_EQ(frames.size(), 4u);
  for (const testing::SnapshotFrame& f : frames) {
    SCOPED_TRACE(f.name);
    auto it = ours.find({f.name, f.file, f.line.value_or(0), f.col.value_or(0)});
    ASSERT_NE(it, ours.end());
    // Milliseconds there, nanoseconds rounded once per stack here.
    EXPECT_NEAR(it->second.total / 1e6, f.total, 1e-4);
  }
}

}  // namespace
}  // namespace kiln
