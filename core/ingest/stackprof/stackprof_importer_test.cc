// stackprof dumps written here (cpu, wall, object and custom modes; broken
// raw records) and the two in the shared corpus against speedscope's import.
#include "kiln/ingest/stackprof_importer.h"

#include <gtest/gtest.h>

#include <string>

#include "core/ingest/json/speedscope_snapshot.h"
#include "core/testing/corpus.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/export/collapsed_writer.h"
#include "kiln/ingest/importer_registry.h"
#include "kiln/query/tree_builder.h"

namespace kiln {
namespace {

std::string Collapsed(const Profile& p, size_t type) { return WriteCollapsed(BuildTree(p, type)); }

// <main> -> a -> b (2 samples), <main> -> a (1), <main> -> c (3).
std::string Dump(std::string_view mode, std::string_view extra = "",
                 std::string_view raw = "[3, 10, 11, 12, 2, 2, 10, 11, 1, 2, 10, 13, 3]") {
  return fmt::format(R"({{"version": 1.2, "mode": "{}", "interval": 1000, "samples": 6,
    "frames": {{"10": {{"name": "<main>", "file": "app.rb"}},
               "11": {{"name": "Object#a", "file": "app.rb", "line": 3}},
               "12": {{"name": "Object#b", "file": "app.rb", "line": 9, "total_samples": 2}},
               "13": {{"file": "<cfunc>"}}}},
    "raw": {}{}}})",
                     mode, raw, extra);
}

std::string ImportError(std::string_view data) {
  auto result = ParseStackprof(data);
  if (result.ok()) return "(imported)";
  return std::string(result.status().message());
}

TEST(StackprofImporterTest, CpuModeWeighsSamplesByInterval) {
  auto p = ParseStackprof(Dump("cpu"));
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->sample_types.size(), 2u);
  EXPECT_EQ(p->sample_types[1], (ValueType{"cpu", "nanoseconds"}));
  EXPECT_EQ(p->period, 1'000'000);
  EXPECT_EQ(Collapsed(*p, 0), "<main>;(unknown) 3\n<main>;Object#a 1\n<main>;Object#a;Object#b 2\n");
  EXPECT_EQ(Collapsed(*p, 1),
            "<main>;(unknown) 3000000\n<main>;Object#a 1000000\n<main>;Object#a;Object#b 2000000\n");
}

TEST(StackprofImporterTest, WallModeUsesTimestampDeltas) {
  auto p = ParseStackprof(Dump("wall", R"(, "raw_timestamp_deltas": [5, 7, 100, 1, 1, 2])"));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->sample_types[1], (ValueType{"wall", "nanoseconds"}));
  EXPECT_EQ(Collapsed(*p, 1), "<main>;(unknown) 4000\n<main>;Object#a 100000\n<main>;Object#a;Object#b 12000\n");
  EXPECT_EQ(ImportError(Dump("wall", R"(, "raw_timestamp_deltas": [5, 7])")),
            "raw[5]: raw has more samples than raw_timestamp_deltas has deltas (2)");
}

TEST(StackprofImporterTest, ObjectAndCustomModes) {
  auto object = ParseStackprof(Dump("object"));
  ASSERT_TRUE(object.ok()) << object.status();
  EXPECT_EQ(object->sample_types[1], (ValueType{"alloc_objects", "count"}));
  EXPECT_EQ(object->Total(1), 6000);
  auto custom = ParseStackprof(Dump("custom"));
  ASSERT_TRUE(custom.ok()) << custom.status();
  ASSERT_EQ(custom->sample_types.size(), 1u);
  EXPECT_EQ(custom->Total(0), 6);
}

TEST(StackprofImporterTest, FramesKeepFileAndLine) {
  auto p = ParseStackprof(Dump("cpu"));
  ASSERT_TRUE(p.ok());
  const auto weights = testing::ComputeFrameWeights(*p, 0);
  const testing::FrameKey b{"Object#b", "app.rb", 9, 0};
  ASSERT_TRUE(weights.count(b));
  EXPECT_EQ(weights.at(b).self, 2);
}

TEST(StackprofImporterTest, BrokenRawRecordsAreErrors) {
  EXPECT_EQ(ImportError(Dump("cpu", "", "[3, 10, 11]")),
            "raw[0]: a stack of 3 frames and its count do not fit in the 2 values left");
  EXPECT_EQ(ImportError(Dump("cpu", "", "[1, 99, 1]")), "raw[1]: frame id 99 is not in frames");
  EXPECT_EQ(ImportError(Dump("cpu", "", "[1, 10, -1]")), "raw[2]: negative sample count -1");
  EXPECT_EQ(ImportError(Dump("cpu", "", "[1, \"10\", 1]")),
            "raw[1]: expected an integer, got a string");
  EXPECT_EQ(ImportError(Dump("cpu", "", "[-1]")),
            "raw[0]: a stack of -1 frames and its count do not fit in the 0 values left");
  EXPECT_EQ(ImportError(Dump("cpu", "", "[]")), "raw: no samples (0 values)");
  EXPECT_EQ(ImportError(R"({"mode": "cpu", "frames": {"x": {}}, "raw": []})"),
            "frames: frame key \"x\" is not an integer id");
  EXPECT_EQ(ImportError(R"({"mode": 1, "frames": {}, "raw": []})"),
            "mode: expected a string, got a number");
  EXPECT_EQ(ImportError(R"({"frames": {}, "raw": []})"), "mode: missing required field");
  EXPECT_NE(ImportError(Dump("cpu", "", "[1, 10, 1e300]")).find("raw[2]: expected an integer"),
            std::string::npos);
  EXPECT_TRUE(ImportError(Dump("cpu").substr(0, 40)).starts_with("invalid JSON at line 1"));
}

TEST(StackprofImporterTest, EmptyStacksAreSkippedAndNoted) {
  auto p = ParseStackprof(Dump("cpu", "", "[0, 4, 1, 10, 1]"));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->Total(0), 1);
  EXPECT_EQ(p->stats.Get(ImportStat::records_skipped), 1);
}

TEST(StackprofImporterTest, SniffAndDetect) {
  auto importer = NewStackprofImporter();
  EXPECT_EQ(importer->Sniff(Dump("cpu")), 90);
  EXPECT_EQ(importer->Sniff(R"({"mode": "cpu"})"), 0);
  EXPECT_EQ(importer->Sniff("[]"), 0);
  const Importer* detected = ImporterRegistry::Default().Detect(Dump("wall"));
  ASSERT_NE(detected, nullptr);
  EXPECT_EQ(detected->format(), "stackprof");
}

// speedscope's stackprof samples: per frame self and total as speedscope
// computed them (cpu: microseconds; object: sample counts).
TEST(StackprofCorpusTest, FrameWeightsMatchSpeedscopesSnapshots) {
  KILN_SKIP_WITHOUT_CORPUS();
  int checked = 0;
  for (const std::string& path : testing::ListCorpusFiles("stackprof")) {
    SCOPED_TRACE(path);
    auto p = ParseStackprof(testing::ReadFileForTest(testing::CorpusPath(path)));
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_FALSE(p->stats.HasDataLoss()) << p->stats.ToString();
    const std::string snapshot = testing::ReadSpeedscopeSnapshot(path);
    if (snapshot.empty()) continue;
    const bool cpu = p->sample_types[1].type == "cpu";
    const size_t type = cpu ? 1 : 0;
    const double scale = cpu ? 1000 : 1;
    const auto ours = testing::ComputeFrameWeights(*p, type);
    size_t matched = 0;
    for (const testing::SnapshotFrame& f : testing::ParseSnapshotFrames(snapshot)) {
      SCOPED_TRACE(f.name);
      const testing::FrameKey key{f.name, f.file, f.line.value_or(0), 0};
      auto it = ours.find(key);
      ASSERT_NE(it, ours.end());
      EXPECT_DOUBLE_EQ(it->second.self / scale, f.self);
      EXPECT_DOUBLE_EQ(it->second.total / scale, f.total);
      ++matched;
    }
    EXPECT_EQ(matched, ours.size());
    ++checked;
  }
  EXPECT_EQ(checked, 2);
}

}  // namespace
}  // namespace kiln
