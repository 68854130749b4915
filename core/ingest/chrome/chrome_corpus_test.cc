// The Chrome importer on the shared corpus: every .cpuprofile/.heapprofile
// imports; sample counts, CPU time and the top self functions match the
// MANIFEST facts and an independent reading of each file; per-frame self
// and total weights match speedscope's import (its Jest snapshots); and
// sniffing claims these files and no other.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "core/ingest/json/speedscope_snapshot.h"
#include "core/testing/corpus.h"
#include "kiln/ingest/chrome_importer.h"
#include "kiln/ingest/importer_registry.h"
#include "kiln/query/top_table.h"
#include "kiln/query/tree_builder.h"
#include "nlohmann/json.hpp"

namespace kiln {
namespace {

absl::StatusOr<std::vector<Profile>> ImportCorpusFile(const std::string& path) {
  return ParseChromeProfile(testing::ReadFileForTest(testing::CorpusPath(path)));
}

TEST(ChromeCorpusTest, EveryFileImportsAndIsDetectedAsChrome) {
  KILN_SKIP_WITHOUT_CORPUS();
  int imported = 0;
  for (const std::string& path : testing::ListCorpusFiles("chrome-cpuprofile")) {
    SCOPED_TRACE(path);
    const std::string data = testing::ReadFileForTest(testing::CorpusPath(path));
    auto profiles = ParseChromeProfile(data);
    ASSERT_TRUE(profiles.ok()) << profiles.status();
    ASSERT_EQ(profiles->size(), 1u);
    EXPECT_FALSE((*profiles)[0].stats.HasDataLoss()) << (*profiles)[0].stats.ToString();
    const Importer* detected = ImporterRegistry::Default().Detect(data, path);
    ASSERT_NE(detected, nullptr);
    EXPECT_EQ(detected->format(), "chrome");
    ++imported;
  }
  EXPECT_EQ(imported, 6);
}

// MANIFEST: sample counts and the top self functions by samples; CPU time
// equals the span of the (never decreasing) sample times, read here from
// the raw file.
TEST(ChromeCorpusTest, CpuProfilesMatchManifestFacts) {
  KILN_SKIP_WITHOUT_CORPUS();
  struct Case {
    std::string path;
    int64_t samples;
    std::vector<std::pair<std::string, int64_t>> top_self;
  };
  const Case kCases[] = {
      {"chrome-cpuprofile/generated-node/node-workload.cpuprofile", 4374,
       {{"sortNumbers", 1332}, {"(garbage collector)", 1109}, {"buildRecords", 646}}},
      {"chrome-cpuprofile/speedscope/Chrome-65/simple.cpuprofile", 29,
       {{"d", 28}, {"(anonymous)", 1}}},
      {"chrome-cpuprofile/speedscope/Chrome-65/sucrase.cpuprofile", 17138,
       {{"(garbage collector)", 2717}, {"Object.keys.forEach", 2602}, {"processRegion", 1206}}},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.path);
    const std::string data = testing::ReadFileForTest(testing::CorpusPath(c.path));
    auto profiles = ParseChromeProfile(data);
    ASSERT_TRUE(profiles.ok()) << profiles.status();
    const Profile& p = (*profiles)[0];
    EXPECT_EQ(p.Total(0), c.samples);
    const TopTable top = ComputeTopTable(BuildTree(p, 0));
    ASSERT_GE(top.rows.size(), c.top_self.size());
    for (size_t i = 0; i < c.top_self.size(); ++i) {
      EXPECT_EQ(top.rows[i].name, c.top_self[i].first);
      EXPECT_EQ(top.rows[i].flat, c.top_self[i].second);
    }
    const auto raw = nlohmann::json::parse(data);
    double elapsed = 0, first = 0, last = 0;
    const auto& deltas = raw["timeDeltas"];
    for (size_t i = 0; i < deltas.size(); ++i) {
      elapsed += deltas[i].get<double>();
      if (i == 0) first = last = elapsed;
      last = std::max(last, elapsed);
    }
    EXPECT_EQ(p.Total(1), static_cast<int64_t>((last - first) * 1000));
    const auto& facts = testing::CorpusFacts()[c.path]["cpuprofile"];
    EXPECT_EQ(facts["samples"].get<int64_t>(), c.samples);
    EXPECT_LE(p.Total(1), facts["sum_timeDeltas_us"].get<int64_t>() * 1000);
    EXPECT_EQ(p.duration_nanos, facts["duration_us"].get<int64_t>() * 1000);
  }
}

TEST(ChromeCorpusTest, HeapProfilesMatchManifestFacts) {
  KILN_SKIP_WITHOUT_CORPUS();
  const std::map<std::string, int64_t> kSelfSizes = {
      {"chrome-cpuprofile/generated-node/node-workload.heapprofile", 37'759'912},
      {"chrome-cpuprofile/speedscope/Chrome-69/Heap-20181005T144546.heapprofile", 10'030'888},
      {"chrome-cpuprofile/speedscope/node-10.11.0/Heap-20181003T105432.heapprofile", 525'704},
  };
  for (const auto& [path, bytes] : kSelfSizes) {
    SCOPED_TRACE(path);
    auto profiles = ImportCorpusFile(path);
    ASSERT_TRUE(profiles.ok()) << profiles.status();
    const Profile& p = (*profiles)[0];
    EXPECT_EQ(p.sample_types[0], (ValueType{"space", "bytes"}));
    EXPECT_EQ(p.Total(0), bytes);
  }
}

// speedscope names an anonymous function "(anonymous file.js:line)"; Kiln
// names it "(anonymous)" (file and line are kept apart).
std::string KilnName(const std::string& speedscope_name) {
  return speedscope_name.starts_with("(anonymous") ? "(anonymous)" : speedscope_name;
}

// Every frame speedscope shows, with its self and total weight, is a frame
// of Kiln's import with the same weights (CPU in microseconds there,
// nanoseconds here). speedscope keeps V8's "(root)" frame in heap profiles;
// Kiln leaves it out, so its total must be Kiln's whole total.
TEST(ChromeCorpusTest, FrameWeightsMatchSpeedscopesSnapshots) {
  KILN_SKIP_WITHOUT_CORPUS();
  int checked = 0;
  for (const std::string& path : testing::ListCorpusFiles("chrome-cpuprofile")) {
    const std::string snapshot = testing::ReadSpeedscopeSnapshot(path);
    if (snapshot.empty()) continue;
    SCOPED_TRACE(path);
    const bool heap = path.ends_with(".heapprofile");
    auto profiles = ImportCorpusFile(path);
    ASSERT_TRUE(profiles.ok()) << profiles.status();
    const Profile& p = (*profiles)[0];
    const size_t type = heap ? 0 : 1;
    const double scale = heap ? 1 : 1000;
    const auto ours = testing::ComputeFrameWeights(p, type);
    size_t matched = 0;
    for (const testing::SnapshotFrame& f : testing::ParseSnapshotFrames(snapshot)) {
      SCOPED_TRACE(f.name);
      if (heap && f.name == "(root)") {
        EXPECT_DOUBLE_EQ(f.total, p.Total(type) / scale);
        continue;
      }
      // speedscope makes CPU profile positions 1-based and leaves heap
      // profile positions as V8 wrote them (0-based).
      auto position = [&](std::optional<int64_t> v) -> int64_t {
        if (!v || *v < 0) return 0;
        return heap ? *v + 1 : *v;
      };
      const testing::FrameKey key{KilnName(f.name), f.file, position(f.line), position(f.col)};
      auto it = ours.find(key);
      ASSERT_NE(it, ours.end());
      EXPECT_DOUBLE_EQ(it->second.self / scale, f.self);
      EXPECT_DOUBLE_EQ(it->second.total / scale, f.total);
      ++matched;
    }
    EXPECT_EQ(matched, ours.size());
    ++checked;
  }
  EXPECT_EQ(checked, 3);
}

}  // namespace
}  // namespace kiln
