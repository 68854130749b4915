// The collapsed importer on the shared corpus: speedscope's collapsed-stack
// samples (plain, CRLF, UTF-16, invalid lines) against speedscope's own
// import, FlameGraph's golden stackcollapse outputs (which must read back
// byte for byte), totals from oracles/facts.json, and sniffing: every
// collapsed file sniffs as collapsed and no other profile does.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/testing/corpus.h"
#include "kiln/base/gzip.h"
#include "kiln/export/collapsed_writer.h"
#include "kiln/ingest/collapsed_importer.h"
#include "kiln/query/tree_builder.h"

namespace kiln {
namespace {

std::string Collapsed(const Profile& p) { return WriteCollapsed(BuildTree(p, 0)); }

std::vector<std::string> CollapsedCorpusFiles() {
  std::vector<std::string> out = testing::ListCorpusFiles("collapsed");
  for (const std::string& f : testing::ListCorpusFiles("perf-script/flamegraph/results")) {
    out.push_back(f);
  }
  return out;
}

// The "stacks" list of a speedscope Jest snapshot ("a;b;c 2" per sample run),
// summed per stack.
std::map<std::string, int64_t> SnapshotStacks(const std::string& snapshot) {
  std::map<std::string, int64_t> out;
  size_t pos = snapshot.find("\"stacks\": [");
  if (pos == std::string::npos) return out;
  pos = snapshot.find('\n', pos) + 1;
  while (pos < snapshot.size()) {
    size_t end = snapshot.find('\n', pos);
    std::string line = snapshot.substr(pos, end - pos);
    pos = end + 1;
    const size_t open = line.find('"'), close = line.rfind('"');
    if (open == std::string::npos || close <= open) break;
    line = line.substr(open + 1, close - open - 1);
    const size_t space = line.rfind(' ');
    out[line.substr(0, space)] += std::stoll(line.substr(space + 1));
  }
  return out;
}

std::map<std::string, int64_t> ParseCollapsedLines(const std::string& text) {
  std::map<std::string, int64_t> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    const size_t space = line.rfind(' ');
    out[line.substr(0, space)] += std::stoll(line.substr(space + 1));
  }
  return out;
}

TEST(CollapsedCorpusTest, TotalsAndSkippedLinesMatchFacts) {
  KILN_SKIP_WITHOUT_CORPUS();
  int checked = 0;
  for (const std::string& path : CollapsedCorpusFiles()) {
    SCOPED_TRACE(path);
    auto p = ParseCollapsed(testing::ReadFileForTest(testing::CorpusPath(path)));
    ASSERT_TRUE(p.ok()) << p.status();
    const auto& facts = testing::CorpusFacts();
    auto it = facts.find(path);
    if (it == facts.end() || !it->is_object() || !it->contains("collapsed")) continue;
    const auto& c = (*it)["collapsed"];
    EXPECT_EQ(p->Total(0), c.value("total", int64_t{-1}));
    EXPECT_EQ(p->stats.Get(ImportStat::records_skipped), c.value("unparseable_lines", int64_t{-1}))
        << p->stats.ToString();
    ++checked;
  }
  EXPECT_GE(checked, 50);
}

TEST(CollapsedCorpusTest, SpeedscopeSamplesMatchSpeedscopesImport) {
  KILN_SKIP_WITHOUT_CORPUS();
  const std::map<std::string, std::pair<int64_t, int64_t>> kExpected = {
      // file -> (total, lines skipped)
      {"simple.txt", {14, 0}},        {"simple-crlf.txt", {14, 0}},
      {"simple-utf16-le.txt", {14, 0}}, {"simple-with-invalids.txt", {14, 3}},
      {"recursion.txt", {10, 0}},     {"tall.txt", {1, 0}},
  };
  for (const auto& [name, expected] : kExpected) {
    const std::string path = "collapsed/speedscope/" + name;
    SCOPED_TRACE(path);
    auto p = ParseCollapsed(testing::ReadFileForTest(testing::CorpusPath(path)));
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(p->Total(0), expected.first);
    EXPECT_EQ(p->stats.Get(ImportStat::records_skipped), expected.second);
    const std::string snapshot_path =
        testing::CorpusPath("oracles/" + path + ".speedscope-snapshot.txt");
    if (!std::filesystem::exists(snapshot_path)) continue;
    EXPECT_EQ(ParseCollapsedLines(Collapsed(*p)),
              SnapshotStacks(testing::ReadFileForTest(snapshot_path)));
  }
}

TEST(CollapsedCorpusTest, StackcollapseGoldenOutputsReadBackByteForByte) {
  KILN_SKIP_WITHOUT_CORPUS();
  int checked = 0;
  for (const std::string& path : testing::ListCorpusFiles("perf-script/flamegraph/results")) {
    SCOPED_TRACE(path);
    const std::string text = testing::ReadFileForTest(testing::CorpusPath(path));
    auto p = ParseCollapsed(text);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_TRUE(p->stats.Empty()) << p->stats.ToString();
    // stackcollapse-perf.pl prints distinct stacks sorted bytewise, as Kiln does.
    EXPECT_EQ(Collapsed(*p), text);
    ++checked;
  }
  EXPECT_GE(checked, 50);
}

// Files of the corpus that are not profiles at all (oracles, metadata).
bool IsProfileFile(const std::string& path) {
  static const char* const kNotProfiles[] = {
      "_expected", ".string", "/results/", ".fixed", ".st.json", ".request.json", ".out.json",
      "flamebearer-convert/profile.json", "go_type_parameters", ".labels.gz", ".pb.json",
  };
  if (path.starts_with("oracles/") || path.find('/') == std::string::npos) return false;
  for (const char* marker : kNotProfiles) {
    if (path.find(marker) != std::string::npos) return false;
  }
  return true;
}

TEST(CollapsedCorpusTest, SniffClaimsCollapsedFilesAndNothingElse) {
  KILN_SKIP_WITHOUT_CORPUS();
  auto importer = NewCollapsedImporter();
  for (const std::string& path : CollapsedCorpusFiles()) {
    EXPECT_GT(importer->Sniff(testing::ReadFileForTest(testing::CorpusPath(path))), 0) << path;
  }
  int others = 0;
  for (const std::string& path : testing::ListCorpusFiles("")) {
    if (!IsProfileFile(path) || path.starts_with("collapsed/")) continue;
    std::string data = testing::ReadFileForTest(testing::CorpusPath(path));
    if (IsGzip(data)) {
      auto plain = Gunzip(data, size_t{1} << 30);
      if (!plain.ok()) continue;
      data = *std::move(plain);
    }
    EXPECT_EQ(importer->Sniff(data), 0) << path;
    ++others;
  }
  EXPECT_GT(others, 100);
}

}  // namespace
}  // namespace kiln
