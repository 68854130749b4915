// Chrome/V8 profiles written here: .cpuprofile (flat nodes with children or
// parent links, the older "head" tree, hit counts only), trace events,
// .heapprofile, and broken call trees (each error names the node).
#include "kiln/ingest/chrome_importer.h"

#include <gtest/gtest.h>

#include <string>

#include "core/testing/corpus.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/export/collapsed_writer.h"
#include "kiln/ingest/importer_registry.h"
#include "kiln/query/tree_builder.h"

namespace kiln {
namespace {

std::string Collapsed(const Profile& p, size_t type) { return WriteCollapsed(BuildTree(p, type)); }

std::string Frame(std::string_view name, int line = -1, int column = -1,
                  std::string_view url = "file:///app/main.js") {
  return fmt::format(R"({{"functionName": "{}", "scriptId": "7", "url": "{}", "lineNumber": {},
                         "columnNumber": {}}})",
                     name, url, line, column);
}

// (root) -> main -> {hot, cold}; samples hot hot cold main hot, 10/20/30/40 us apart.
std::string FlatProfile(std::string_view samples = "[3, 3, 4, 2, 3]",
                        std::string_view deltas = "[100, 10, 20, 30, 40]") {
  return fmt::format(R"({{"nodes": [
      {{"id": 1, "callFrame": {}, "hitCount": 0, "children": [2]}},
      {{"id": 2, "callFrame": {}, "hitCount": 1, "children": [3, 4]}},
      {{"id": 3, "callFrame": {}, "hitCount": 3}},
      {{"id": 4, "callFrame": {}, "hitCount": 1, "children": []}}],
    "startTime": 1000, "endTime": 1300, "samples": {}, "timeDeltas": {}}})",
                     Frame("(root)", -1, -1, ""), Frame("main", 0, 0), Frame("hot", 9, 14),
                     Frame("cold", 19, 2), samples, deltas);
}

std::string ImportError(std::string_view data) {
  auto result = ParseChromeProfile(data);
  if (result.ok()) return "(imported)";
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << result.status();
  return std::string(result.status().message());
}

TEST(ChromeImporterTest, EachSampleWeighsTheTimeUntilTheNext) {
  auto profiles = ParseChromeProfile(FlatProfile());
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  ASSERT_EQ(profiles->size(), 1u);
  const Profile& p = (*profiles)[0];
  ASSERT_EQ(p.sample_types.size(), 2u);
  EXPECT_EQ(p.sample_types[0], (ValueType{"samples", "count"}));
  EXPECT_EQ(p.sample_types[1], (ValueType{"cpu", "nanoseconds"}));
  EXPECT_EQ(p.DefaultTypeIndex(), 1u);
  EXPECT_EQ(Collapsed(p, 0), "main 1\nmain;cold 1\nmain;hot 3\n");
  // hot: 10 + 20 + 0 (the last sample has no next one); cold 30; main 40.
  EXPECT_EQ(Collapsed(p, 1), "main 40000\nmain;cold 30000\nmain;hot 30000\n");
  EXPECT_EQ(p.Total(1), 100'000);
  EXPECT_EQ(p.period, 25'000);  // (1200 - 1100) us / 4 intervals
  EXPECT_EQ(p.duration_nanos, 300'000);
  EXPECT_TRUE(p.stats.Empty()) << p.stats.ToString();
}

TEST(ChromeImporterTest, FramesAreOneBasedAndAnonymousIsNamed) {
  auto profiles = ParseChromeProfile(fmt::format(
      R"({{"nodes": [{{"id": 1, "callFrame": {}, "children": [2]}},
                     {{"id": 2, "callFrame": {}}}], "samples": [2], "timeDeltas": [0]}})",
      Frame("(root)"), Frame("", 4, 0, "https://x.test/app.js")));
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  const Profile& p = (*profiles)[0];
  EXPECT_EQ(Collapsed(p, 0), "(anonymous) 1\n");
  std::vector<LocationId> stack;
  p.stacks.Unwind(p.sample_stacks[0], &stack);
  ASSERT_EQ(stack.size(), 1u);
  const Line& line = p.symbols.lines(stack[0])[0];
  const Function& f = p.symbols.function(line.function_id);
  EXPECT_EQ(p.symbols.String(f.filename), "https://x.test/app.js");
  EXPECT_EQ(line.line, 5);
  EXPECT_EQ(line.column, 1);
  EXPECT_EQ(f.start_line, 5);
}

TEST(ChromeImporterTest, NegativeDeltasDoNotMoveTimeBackwards) {
  // Times 1100, 1110, 1105 (held at 1110), 1150: weights 10, 0, 40, 0.
  auto profiles = ParseChromeProfile(FlatProfile("[3, 4, 2, 3]", "[100, 10, -5, 45]"));
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  EXPECT_EQ(Collapsed((*profiles)[0], 1), "main 40000\nmain;hot 10000\n");
  EXPECT_EQ(Collapsed((*profiles)[0], 0), "main 1\nmain;cold 1\nmain;hot 2\n");
}

TEST(ChromeImporterTest, ParentLinksWorkLikeChildLists) {
  auto profiles = ParseChromeProfile(fmt::format(R"({{"nodes": [
      {{"id": 3, "callFrame": {}, "parent": 2}}, {{"id": 1, "callFrame": {}}},
      {{"id": 2, "callFrame": {}, "parent": 1, "children": [3]}}],
      "samples": [3, 2], "timeDeltas": [5, 7]}})",
                                                 Frame("leaf"), Frame("(root)"), Frame("mid")));
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  EXPECT_EQ(Collapsed((*profiles)[0], 1), "mid;leaf 7000\n");
  EXPECT_EQ(Collapsed((*profiles)[0], 0), "mid 1\nmid;leaf 1\n");
}

TEST(ChromeImporterTest, SamplesOnTheRootKeepARootFrame) {
  auto profiles = ParseChromeProfile(FlatProfile("[1, 3]", "[0, 8]"));
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  EXPECT_EQ(Collapsed((*profiles)[0], 1), "(root) 8000\n");
  EXPECT_EQ(Collapsed((*profiles)[0], 0), "(root) 1\nmain;hot 1\n");
}

TEST(ChromeImporterTest, WithoutSamplesHitCountsShareTheTime) {
  auto profiles = ParseChromeProfile(FlatProfile("[]", "[]"));
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  // 5 hits over 300 us: 60 us each.
  EXPECT_EQ(Collapsed((*profiles)[0], 0), "main 1\nmain;cold 1\nmain;hot 3\n");
  EXPECT_EQ(Collapsed((*profiles)[0], 1), "main 60000\nmain;cold 60000\nmain;hot 180000\n");
}

TEST(ChromeImporterTest, OlderHeadTreeWithTimestamps) {
  // Chrome < 60: nested nodes, frame fields on the node, start/end in seconds.
  auto profiles = ParseChromeProfile(R"j({"head": {"functionName": "(root)", "url": "",
      "lineNumber": 0, "id": 1, "hitCount": 0, "children": [
        {"functionName": "main", "url": "a.js", "lineNumber": 1, "id": 2, "hitCount": 1,
         "children": [{"functionName": "hot", "url": "a.js", "lineNumber": 3, "id": 3,
                       "hitCount": 2, "children": []}]}]},
      "startTime": 10.0, "endTime": 10.5, "samples": [3, 3, 2],
      "timestamps": [10000000, 10000250, 10000400]})j");
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  EXPECT_EQ(Collapsed((*profiles)[0], 0), "main 1\nmain;hot 2\n");
  EXPECT_EQ(Collapsed((*profiles)[0], 1), "main;hot 400000\n");
  EXPECT_EQ((*profiles)[0].duration_nanos, 500'000'000);
}

TEST(ChromeImporterTest, HeapProfileWeighsEachNodeBySelfSize) {
  auto profiles = ParseChromeProfile(fmt::format(R"({{"head": {{"callFrame": {}, "selfSize": 0,
      "id": 1, "children": [
        {{"callFrame": {}, "selfSize": 100, "id": 2, "children": [
          {{"callFrame": {}, "selfSize": 4096, "id": 3, "children": []}}]}},
        {{"callFrame": {}, "selfSize": 0, "id": 4, "children": []}}]}},
      "samples": [{{"size": 64, "nodeId": 3, "ordinal": 1}}]}})",
                                                 Frame("(root)"), Frame("main", 1),
                                                 Frame("alloc", 9), Frame("idle", 3)));
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  const Profile& p = (*profiles)[0];
  ASSERT_EQ(p.sample_types.size(), 1u);
  EXPECT_EQ(p.sample_types[0], (ValueType{"space", "bytes"}));
  EXPECT_EQ(Collapsed(p, 0), "main 100\nmain;alloc 4096\n");
}

TEST(ChromeImporterTest, DeepHeapTreesNeitherRecurseNorKeepTooManyFrames) {
  constexpr int kDepth = 100000;
  std::string deep;
  for (int i = 0; i < kDepth; ++i) {
    deep += fmt::format(R"({{"callFrame": {{"functionName": "f{}"}}, "selfSize": {},
                           "children": [)",
                        i % 10, i == kDepth - 1 ? 8 : 0);
  }
  for (int i = 0; i < kDepth; ++i) deep += "]}";
  ImportOptions options;
  options.max_stack_depth = 3;
  auto profiles = ParseChromeProfile(R"({"head": )" + deep + "}", options);
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  EXPECT_EQ(Collapsed((*profiles)[0], 0), "f0;f1;f2 8\n");
  EXPECT_EQ((*profiles)[0].stats.Get(ImportStat::stacks_truncated), 1);
}

TEST(ChromeImporterTest, TraceEventsJoinChunksPerProfileId) {
  const std::string data = fmt::format(R"([
    {{"name": "thread_name", "ph": "M", "pid": 7, "tid": 1, "args": {{"name": "CrRendererMain"}}}},
    {{"name": "ProfileChunk", "ph": "P", "pid": 7, "tid": 1, "ts": 30, "id": "0x1",
      "args": {{"data": {{"cpuProfile": {{"samples": [3, 2]}}, "timeDeltas": [20, 30]}}}}}},
    {{"name": "Profile", "ph": "P", "pid": 7, "tid": 1, "ts": 10, "id": "0x1",
      "args": {{"data": {{"startTime": 500}}}}}},
    {{"name": "ProfileChunk", "ph": "P", "pid": 7, "tid": 1, "ts": 20, "id": "0x1",
      "args": {{"data": {{"cpuProfile": {{"nodes": [
        {{"id": 1, "callFrame": {}}}, {{"id": 2, "callFrame": {}, "parent": 1}},
        {{"id": 3, "callFrame": {}, "parent": 2}}], "samples": [2, 3]}},
        "timeDeltas": [0, 10]}}}}}},
    {{"name": "ProfileChunk", "ph": "P", "pid": 7, "tid": 1, "ts": 40, "id": "0x1",
      "args": null}},
    {{"name": "RunTask", "ph": "X", "pid": 7, "tid": 1, "ts": 15, "dur": 3}}])",
                                       Frame("(root)"), Frame("main"), Frame("hot"));
  for (const std::string& doc : {data, R"({"traceEvents": )" + data + "}"}) {
    auto profiles = ParseChromeProfile(doc);
    ASSERT_TRUE(profiles.ok()) << profiles.status();
    ASSERT_EQ(profiles->size(), 1u);
    const Profile& p = (*profiles)[0];
    // Samples main@500 hot@510 hot@530 main@560.
    EXPECT_EQ(Collapsed(p, 0), "main 2\nmain;hot 2\n");
    EXPECT_EQ(Collapsed(p, 1), "main 10000\nmain;hot 50000\n");
    ASSERT_EQ(p.labels.size(), 1u);
    EXPECT_EQ(p.labels[0].second, "CrRendererMain");
  }
  EXPECT_EQ(ImportError(R"([{"name": "RunTask", "ph": "X", "ts": 1}])"),
            "(top level): no CPU profile in the trace (no \"Profile\", \"ProfileChunk\" or "
            "\"CpuProfile\" event with data)");
  EXPECT_EQ(ImportError(R"([{"name": "Profile", "ph": "P", "id": "0x2", "ts": 1,
                            "args": {"data": {"startTime": 5}}}])"),
            "the CPU profile that starts at [0] (its events joined): (top level): no samples: "
            "\"samples\" is empty and every node's hitCount is 0");
}

TEST(ChromeImporterTest, BrokenCallTreesNameTheNode) {
  auto nodes = [](std::string_view body) {
    return fmt::format(R"({{"nodes": [{}], "samples": [1], "timeDeltas": [0]}})", body);
  };
  EXPECT_EQ(ImportError(nodes(R"({"id": 1, "children": [2]})")),
            "nodes[0].children[0]: node id 1 names child id 2, which no node has");
  EXPECT_EQ(ImportError(nodes(R"({"id": 1, "parent": 9})")),
            "nodes[0].parent: node id 1 names parent id 9, which no node has");
  EXPECT_EQ(ImportError(nodes(R"({"id": 1}, {"id": 1})")),
            "nodes[1]: id 1 is also the id of nodes[0]");
  EXPECT_EQ(ImportError(nodes(R"({"id": 1, "children": [3]}, {"id": 2, "children": [3]},
                                 {"id": 3})")),
            "nodes[1].children[0]: node id 3 has two parents, ids 1 and 2");
  EXPECT_EQ(ImportError(nodes(R"({"id": 1, "children": [2]}, {"id": 2, "children": [3]},
                                 {"id": 3, "children": [2]})")),
            "nodes[2].children[0]: node id 2 has two parents, ids 1 and 3");
  EXPECT_EQ(ImportError(nodes(R"({"id": 1, "children": [2]}, {"id": 2, "children": [1]})")),
            "nodes[0]: node id 1 is its own ancestor (the parent links form a cycle)");
  EXPECT_EQ(ImportError(nodes(R"({"callFrame": {}})")), "nodes[0].id: missing required field");
  EXPECT_EQ(ImportError(nodes(R"({"id": 1, "callFrame": {"functionName": 5}})")),
            "nodes[0].callFrame.functionName: expected a string, got a number");
  EXPECT_EQ(ImportError(nodes(R"({"id": 1, "callFrame": []})")),
            "nodes[0].callFrame: expected an object, got an array");
  EXPECT_EQ(ImportError(nodes(R"({"id": 1, "hitCount": -2})")),
            "nodes[0].hitCount: negative hitCount -2");
}

TEST(ChromeImporterTest, BadSamplesAreErrors) {
  EXPECT_EQ(ImportError(FlatProfile("[3, 99]", "[0, 1]")), "samples[1]: no node has id 99");
  EXPECT_EQ(ImportError(FlatProfile("[3, 3]", "[0]")),
            "(top level): 2 samples but 1 timeDeltas; each sample needs one");
  EXPECT_EQ(ImportError(FlatProfile("[3, \"x\"]", "[0, 1]")),
            "samples[1]: expected an integer, got a string");
  EXPECT_EQ(ImportError(FlatProfile("[3, 3]", "[0, null]")),
            "timeDeltas[1]: expected a number, got null");
  EXPECT_EQ(ImportError(FlatProfile("{}", "[0]")), "samples: expected an array, got an object");
  EXPECT_NE(ImportError(FlatProfile("[3, 3]", "[0, 1e300]")).find("does not fit in 64 bits"),
            std::string::npos);
  EXPECT_EQ(ImportError(R"({"head": {"selfSize": -1}})"), "head.selfSize: negative size -1");
  EXPECT_EQ(ImportError(R"({"head": {"selfSize": 0, "children": [{"selfSize": "1"}]}})"),
            "head.children[0].selfSize: expected a number, got a string");
  EXPECT_EQ(ImportError(R"({"head": {"selfSize": 0}})"),
            "head: no samples: every node's selfSize is 0");
  EXPECT_EQ(ImportError(R"({"profile": {}})"),
            "(top level): not a V8 profile: no \"nodes\" (.cpuprofile), \"head\" (.heapprofile, "
            "older .cpuprofile) or \"traceEvents\" (Chrome trace)");
}

TEST(ChromeImporterTest, TruncatedJsonSaysLineAndColumn) {
  const std::string data = FlatProfile();
  const std::string error = ImportError(data.substr(0, data.size() / 2));
  EXPECT_TRUE(error.starts_with("invalid JSON at line ")) << error;
  EXPECT_NE(error.find("column"), std::string::npos) << error;
}

TEST(ChromeImporterTest, SniffsEachShapeByItsKeys) {
  auto importer = NewChromeImporter();
  EXPECT_EQ(importer->format(), "chrome");
  EXPECT_EQ(importer->Sniff(FlatProfile()), 95);
  EXPECT_EQ(importer->Sniff(R"({"head": {"callFrame": {}, "selfSize": 0}})"), 95);
  EXPECT_EQ(importer->Sniff(R"j({"head": {"functionName": "(root)", "hitCount": 0}})j"), 90);
  EXPECT_EQ(importer->Sniff(R"([{"ph": "P", "name": "ProfileChunk"}])"), 80);
  EXPECT_EQ(importer->Sniff(R"({"traceEvents": [{"ph": "P", "name": "ProfileChunk"}]})"), 80);
  EXPECT_EQ(importer->Sniff(R"({"traceEvents": [{"ph": "X", "name": "RunTask"}]})"), 0);
  EXPECT_EQ(importer->Sniff(R"({"$schema": "x", "profiles": [], "shared": {"frames": []}})"), 0);
  EXPECT_EQ(importer->Sniff(R"({"name": "nodes", "samples": []})"), 0);
  EXPECT_EQ(importer->Sniff("main;hot 1\n"), 0);
  auto detected = ImporterRegistry::Default().Detect(FlatProfile());
  ASSERT_NE(detected, nullptr);
  EXPECT_EQ(detected->format(), "chrome");
}

}  // namespace
}  // namespace kiln
