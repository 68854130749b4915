// The speedscope importer on the shared corpus: speedscope's own sample
// files against speedscope's import (per-frame self and total weights from
// its Jest snapshots), its invalid files (which must fail, with a message
// that says why), Pyroscope's ingest fixtures against the trees Pyroscope's
// tests expect, and sniffing (every speedscope file and nothing else).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

#include "core/ingest/json/speedscope_snapshot.h"
#include "core/testing/corpus.h"
#include "kiln/export/collapsed_writer.h"
#include "kiln/ingest/speedscope_importer.h"
#include "kiln/query/tree_builder.h"

namespace kiln {
namespace {

std::string Collapsed(const Profile& p) { return WriteCollapsed(BuildTree(p, 0)); }

absl::StatusOr<std::vector<Profile>> ImportCorpusFile(const std::string& path) {
  return ParseSpeedscope(testing::ReadFileForTest(testing::CorpusPath(path)));
}

bool IsInvalidSample(const std::string& path) { return path.find("/invalid/") != std::string::npos; }

TEST(SpeedscopeCorpusTest, EveryValidFileImports) {
  KILN_SKIP_WITHOUT_CORPUS();
  int imported = 0;
  for (const std::string& path : testing::ListCorpusFiles("speedscope")) {
    if (IsInvalidSample(path)) continue;
    SCOPED_TRACE(path);
    auto profiles = ImportCorpusFile(path);
    ASSERT_TRUE(profiles.ok()) << profiles.status();
    ASSERT_FALSE(profiles->empty());
    for (const Profile& p : *profiles) {
      EXPECT_GT(p.Total(0), 0);
      EXPECT_FALSE(p.stats.HasDataLoss()) << p.stats.ToString();
    }
    ++imported;
  }
  EXPECT_GE(imported, 6);
}

// speedscope's expectImportFailure files: Kiln rejects them too, saying why.
TEST(SpeedscopeCorpusTest, SpeedscopesInvalidSamplesFailWithAClearError) {
  KILN_SKIP_WITHOUT_CORPUS();
  const std::map<std::string, std::string> kExpected = {
      {"speedscope/speedscope/invalid/incomplete-trace.json",
       "profiles[0].events: 1 frame(s) still open after the last event (innermost: frame 0 "
       "(\"A\"), opened by events[0])"},
      {"speedscope/speedscope/invalid/out-of-order-events.json",
       "profiles[0].events[6]: closes frame 1 (\"B\") but frame 0 (\"A\") (opened by "
       "events[3]) is on top: events must nest"},
  };
  int checked = 0;
  for (const std::string& path : testing::ListCorpusFiles("speedscope/speedscope/invalid")) {
    SCOPED_TRACE(path);
    auto it = kExpected.find(path);
    ASSERT_NE(it, kExpected.end()) << "new invalid sample: pin its error here";
    auto profiles = ImportCorpusFile(path);
    ASSERT_FALSE(profiles.ok());
    EXPECT_NE(profiles.status().message().find(it->second), std::string::npos)
        << profiles.status().message();
    ++checked;
  }
  EXPECT_EQ(checked, 2);
}

// Per frame (by name; names are unique in these files): self and total in
// the file's unit, as speedscope computed them.
TEST(SpeedscopeCorpusTest, FrameWeightsMatchSpeedscopesSnapshots) {
  KILN_SKIP_WITHOUT_CORPUS();
  int checked = 0;
  for (const std::string& path : testing::ListCorpusFiles("speedscope/speedscope")) {
    if (IsInvalidSample(path)) continue;
    const std::string snapshot = testing::ReadSpeedscopeSnapshot(path);
    if (snapshot.empty()) continue;
    SCOPED_TRACE(path);
    auto profiles = ImportCorpusFile(path);
    ASSERT_TRUE(profiles.ok()) << profiles.status();
    const Profile& p = (*profiles)[0];
    // Kiln stores time in nanoseconds; these samples are in seconds or "none".
    const double scale = p.sample_types[0].unit == "nanoseconds" ? 1e9 : 1;
    const auto weights = testing::ComputeFrameWeights(p, 0);
    std::map<std::string, std::pair<double, double>> ours;
    for (const auto& [key, w] : weights) {
      ours[std::get<0>(key)] = {w.self / scale, w.total / scale};
    }
    const auto frames = testing::ParseSnapshotFrames(snapshot);
    ASSERT_FALSE(frames.empty());
    double snapshot_total = 0;
    for (const auto& f : frames) {
      SCOPED_TRACE(f.name);
      ASSERT_TRUE(ours.count(f.name));
      EXPECT_DOUBLE_EQ(ours[f.name].first, f.self);
      EXPECT_DOUBLE_EQ(ours[f.name].second, f.total);
      snapshot_total += f.self;
    }
    EXPECT_EQ(ours.size(), frames.size());
    EXPECT_DOUBLE_EQ(p.Total(0) / scale, snapshot_total);
    ++checked;
  }
  EXPECT_EQ(checked, 3);
}

// MANIFEST `speedscope/pyroscope/`: Pyroscope's TestSpeedscope expects the
// tree a;b 500 / a;b;c 500 / a;b;d 400 in its fixed-point encoding (values
// x100 at a sample rate of 100 x the unit's rate). In Kiln's units that is
// 5/5/4 samples for "none", and 5/5/4 s in nanoseconds for "seconds".
TEST(SpeedscopeCorpusTest, PyroscopeFixturesGivePyroscopesTrees) {
  KILN_SKIP_WITHOUT_CORPUS();
  {
    auto profiles = ImportCorpusFile("speedscope/pyroscope/simple.speedscope.json");
    ASSERT_TRUE(profiles.ok()) << profiles.status();
    ASSERT_EQ(profiles->size(), 1u);
    const Profile& p = (*profiles)[0];
    EXPECT_EQ(p.sample_types[0], (ValueType{"samples", "count"}));
    ASSERT_EQ(p.labels.size(), 1u);
    EXPECT_EQ(p.labels[0].first, "profile_name");
    EXPECT_EQ(p.labels[0].second, "simple.txt");
    EXPECT_EQ(Collapsed(p), "a;b 5\na;b;c 5\na;b;d 4\n");
  }
  {
    auto profiles = ImportCorpusFile("speedscope/pyroscope/two-sampled.speedscope.json");
    ASSERT_TRUE(profiles.ok()) << profiles.status();
    ASSERT_EQ(profiles->size(), 2u);
    const char* kNames[] = {"one", "two"};
    for (size_t i = 0; i < 2; ++i) {
      const Profile& p = (*profiles)[i];
      EXPECT_EQ(p.sample_types[0], (ValueType{"cpu", "nanoseconds"}));
      EXPECT_EQ(p.labels[0].second, kNames[i]);
      EXPECT_EQ(Collapsed(p), "a;b 5000000000\na;b;c 5000000000\na;b;d 4000000000\n");
    }
  }
  {
    auto profiles = ImportCorpusFile("speedscope/pyroscope/two-sampled-bytes.speedscope.json");
    ASSERT_TRUE(profiles.ok()) << profiles.status();
    ASSERT_EQ(profiles->size(), 2u);
    for (const Profile& p : *profiles) {
      EXPECT_EQ(p.sample_types[0], (ValueType{"space", "bytes"}));
      EXPECT_EQ(Collapsed(p), "a;b 5\na;b;c 5\na;b;d 4\n");
    }
  }
}

// Same-named profiles merge (Pyroscope's duplicates.speedscope.json case):
// three copies of two-sampled's "one" give three times its tree.
TEST(SpeedscopeCorpusTest, DuplicatedProfilesMerge) {
  KILN_SKIP_WITHOUT_CORPUS();
  const std::string text = testing::ReadFileForTest(
      testing::CorpusPath("speedscope/pyroscope/two-sampled.speedscope.json"));
  // Rename "two" to "one": the file then has two profiles named "one".
  std::string renamed = text;
  const size_t at = renamed.find("\"name\": \"two\"");
  ASSERT_NE(at, std::string::npos);
  renamed.replace(at, 13, "\"name\": \"one\"");
  auto profiles = ParseSpeedscope(renamed);
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  ASSERT_EQ(profiles->size(), 1u);
  EXPECT_EQ(Collapsed((*profiles)[0]), "a;b 10000000000\na;b;c 10000000000\na;b;d 8000000000\n");
}

}  // namespace
}  // namespace kiln
