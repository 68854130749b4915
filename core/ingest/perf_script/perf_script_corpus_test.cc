// The perf script importer on the shared corpus (FlameGraph's regression
// inputs, speedscope's samples, and locally recorded C++/Python files):
//  - with demangling off, `kiln convert --to collapsed` output must equal
//    FlameGraph stackcollapse-perf.pl's (commit 41fee1f, no options) line
//    for line, after the two pinned differences below;
//  - per-event sample counts must equal the corpus facts;
//  - the distinct stacks must equal speedscope's own import.
//
// Pinned differences from stackcollapse-perf.pl, both deliberate:
//  1. A last block with no blank line after it is a sample for Kiln;
//     stackcollapse-perf.pl only emits a sample at a blank line, so it drops
//     it (7 files end that way). The oracle is compared with the file
//     minus that block, and the full import must have exactly one more sample.
//  2. stackcollapse-perf.pl drops every frame whose symbol starts with '('
//     (meant for process names), which loses real C++ frames such as
//     "(anonymous namespace)::spin_sort"; Kiln keeps them. Such frames are
//     removed from Kiln's output before comparing, and only the files listed
//     in kFilesWithParenFrames may have any.
//  3. perf-vertx-stacks-01 has a frame line with an empty symbol
//     ("7f1e2215d0c0  (/lib/x86_64-linux-gnu/libc-2.15.so)"), which
//     stackcollapse-perf.pl turns into a frame named " "; Kiln names it like
//     any unknown symbol, "[libc-2.15.so]". The oracle's " " frames are
//     renamed so before comparing, and only that file may have any.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/testing/corpus.h"
#include "kiln/base/gzip.h"
#include "kiln/export/collapsed_writer.h"
#include "kiln/ingest/perf_script_importer.h"
#include "kiln/query/tree_builder.h"

namespace kiln {
namespace {

const std::set<std::string> kFilesWithParenFrames = {
    "perf-script/generated/cpp-workload-fp.perf.txt",
};

const std::map<std::string, std::string> kEmptySymbolFrames = {
    {"perf-script/flamegraph/perf-vertx-stacks-01.txt", "[libc-2.15.so]"},
};

const std::set<std::string> kFilesEndingWithoutBlankLine = {
    "perf-script/flamegraph/perf-dd-stacks-01.txt",
    "perf-script/flamegraph/perf-iperf-stacks-pidtid-01.txt",
    "perf-script/flamegraph/perf-java-stacks-01.txt",
    "perf-script/flamegraph/perf-mirageos-stacks-01.txt",
    "perf-script/flamegraph/perf-vertx-stacks-01.txt",
    "perf-script/speedscope/one-sample.linux-perf.txt",
    "perf-script/speedscope/simple.linux-perf.txt",
};

std::string ReadPlain(const std::string& relative) {
  std::string data = testing::ReadFileForTest(testing::CorpusPath(relative));
  if (IsGzip(data)) {
    auto plain = Gunzip(data, size_t{1} << 30);
    EXPECT_TRUE(plain.ok()) << plain.status();
    if (plain.ok()) data = *std::move(plain);
  }
  return data;
}

std::vector<std::string> PerfScriptFiles() {
  std::vector<std::string> out;
  for (const std::string& f : testing::ListCorpusFiles("perf-script")) {
    if (f.find("/results/") == std::string::npos) out.push_back(f);
  }
  return out;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

// Collapsed lines, re-summed after dropping frames that start with '('.
std::vector<std::string> WithoutParenFrames(const std::vector<std::string>& lines, bool* changed) {
  std::map<std::string, int64_t> sums;
  for (const std::string& line : lines) {
    const size_t space = line.rfind(' ');
    std::string stack;
    size_t start = 0;
    const std::string frames = line.substr(0, space);
    while (start <= frames.size()) {
      size_t end = frames.find(';', start);
      if (end == std::string::npos) end = frames.size();
      const std::string frame = frames.substr(start, end - start);
      if (frame.starts_with('(')) {
        *changed = true;
      } else {
        if (!stack.empty()) stack += ';';
        stack += frame;
      }
      start = end + 1;
    }
    sums[stack] += std::stoll(line.substr(space + 1));
  }
  std::vector<std::string> out;
  for (const auto& [stack, v] : sums) out.push_back(stack + " " + std::to_string(v));
  return out;
}

// Oracle lines with frames named " " renamed to |name|.
std::vector<std::string> WithEmptySymbolFramesNamed(const std::vector<std::string>& lines,
                                                    const std::string& name, bool* changed) {
  std::vector<std::string> out;
  for (std::string line : lines) {
    for (size_t pos; (pos = line.find("; ;")) != std::string::npos ||
                     (pos = line.find(";  ")) != std::string::npos;) {
      line.replace(pos + 1, 1, name);
      *changed = true;
    }
    out.push_back(line);
  }
  return out;
}

// |text| without a last block that has no blank line after it.
std::string WithoutUnterminatedLastBlock(const std::string& text) {
  if (text.ends_with("\n\n")) return text;
  const size_t blank = text.rfind("\n\n");
  return blank == std::string::npos ? std::string() : text.substr(0, blank + 2);
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n  ";
  return out;
}

std::string DefaultCollapsed(const Profile& p) {
  return WriteCollapsed(BuildTree(p, p.DefaultTypeIndex()));
}

TEST(PerfScriptCorpusTest, CollapsedOutputEqualsStackcollapsePerf) {
  KILN_SKIP_WITHOUT_CORPUS();
  PerfScriptOptions no_demangling;
  no_demangling.demangle = false;
  int compared = 0;
  for (const std::string& path : PerfScriptFiles()) {
    std::string oracle_path = "oracles/" + path + ".stackcollapse-perf.txt";
    if (!std::filesystem::exists(testing::CorpusPath(oracle_path))) oracle_path += ".gz";
    if (!std::filesystem::exists(testing::CorpusPath(oracle_path))) continue;
    SCOPED_TRACE(path);
    std::vector<std::string> expected = SplitLines(ReadPlain(oracle_path));
    // Pin 3: empty symbols.
    bool renamed = false;
    auto empty_symbol = kEmptySymbolFrames.find(path);
    expected = WithEmptySymbolFramesNamed(
        expected, empty_symbol == kEmptySymbolFrames.end() ? "?" : empty_symbol->second, &renamed);
    EXPECT_EQ(renamed, empty_symbol != kEmptySymbolFrames.end());
    const std::string text = ReadPlain(path);

    // Pin 1: the unterminated last block.
    const std::string terminated = WithoutUnterminatedLastBlock(text);
    EXPECT_EQ(terminated != text, kFilesEndingWithoutBlankLine.count(path) == 1);
    auto full = ParsePerfScript(text, {}, no_demangling);
    ASSERT_TRUE(full.ok()) << full.status();
    if (terminated.empty()) {
      // Its only block is unterminated: stackcollapse-perf.pl prints nothing.
      EXPECT_TRUE(expected.empty());
      EXPECT_EQ((*full)[0].Total(0), 1);
      ++compared;
      continue;
    }
    auto profiles = ParsePerfScript(terminated, {}, no_demangling);
    ASSERT_TRUE(profiles.ok()) << profiles.status();
    EXPECT_EQ((*full)[0].Total(0) - (*profiles)[0].Total(0), terminated != text ? 1 : 0);

    // Pin 2: frames starting with '('.
    bool changed = false;
    std::vector<std::string> actual =
        WithoutParenFrames(SplitLines(DefaultCollapsed((*profiles)[0])), &changed);
    EXPECT_EQ(changed, kFilesWithParenFrames.count(path) == 1);
    std::sort(expected.begin(), expected.end());
    std::sort(actual.begin(), actual.end());
    std::vector<std::string> missing, extra;
    std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                        std::back_inserter(missing));
    std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                        std::back_inserter(extra));
    EXPECT_TRUE(missing.empty() && extra.empty())
        << "only in stackcollapse-perf.pl:\n  " << Join(missing) << "\nonly in Kiln:\n  " << Join(extra);
    ++compared;
  }
  EXPECT_EQ(compared, 21);
}

TEST(PerfScriptCorpusTest, SampleCountsPerEventMatchFacts) {
  KILN_SKIP_WITHOUT_CORPUS();
  int checked = 0;
  for (const std::string& path : PerfScriptFiles()) {
    const auto& facts = testing::CorpusFacts();
    auto it = facts.find(path);
    if (it == facts.end() || !it->is_object() || !it->contains("perf_script")) continue;
    SCOPED_TRACE(path);
    auto profiles = ParsePerfScript(ReadPlain(path));
    ASSERT_TRUE(profiles.ok()) << profiles.status();
    std::vector<std::pair<std::string, int64_t>> actual, expected;
    for (const Profile& p : *profiles) {
      ASSERT_EQ(p.labels.size(), 1u);
      actual.emplace_back(p.labels[0].second, p.Total(0));
      EXPECT_TRUE(p.stats.notes().empty()) << p.stats.ToString();
    }
    for (const auto& e : (*it)["perf_script"]["events"]) {
      expected.emplace_back(e[0].get<std::string>(), e[1].get<int64_t>());
    }
    // Profiles come in order of first appearance; the facts list events by name.
    std::sort(actual.begin(), actual.end());
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(actual, expected);
    ++checked;
  }
  EXPECT_EQ(checked, 21);
}

// speedscope names frames by their symbol without offset, "??? (dso)" when
// unknown, and has no process root frame.
std::set<std::string> SpeedscopeStyleStacks(const Profile& p) {
  std::set<std::string> out;
  std::vector<LocationId> leaf_first;
  for (size_t i = 0; i < p.num_samples(); ++i) {
    p.stacks.Unwind(p.sample_stacks[i], &leaf_first);
    leaf_first.pop_back();  // the process frame
    std::string stack;
    for (size_t j = leaf_first.size(); j-- > 0;) {
      const Location& loc = p.symbols.location(leaf_first[j]);
      const auto lines = p.symbols.lines(leaf_first[j]);
      for (size_t l = lines.size(); l-- > 0;) {
        std::string_view name = p.symbols.String(p.symbols.function(lines[l].function_id).system_name);
        std::string frame(name);
        if (name == "[unknown]") {
          std::string_view dso = p.symbols.String(p.symbols.mapping(loc.mapping_id).filename);
          frame = "??? (" + std::string(dso.empty() ? "[unknown]" : dso) + ")";
        }
        if (!stack.empty()) stack += ';';
        stack += frame;
      }
    }
    out.insert(stack);
  }
  return out;
}

std::set<std::string> SnapshotStacks(const std::string& snapshot) {
  std::set<std::string> out;
  for (size_t pos = snapshot.find("\"stacks\": ["); pos != std::string::npos;
       pos = snapshot.find("\"stacks\": [", pos)) {
    pos = snapshot.find('\n', pos) + 1;
    while (pos < snapshot.size()) {
      const size_t end = snapshot.find('\n', pos);
      const std::string line = snapshot.substr(pos, end - pos);
      pos = end + 1;
      const size_t open = line.find('"'), close = line.rfind('"');
      if (open == std::string::npos || close <= open) break;
      const std::string entry = line.substr(open + 1, close - open - 1);
      out.insert(entry.substr(0, entry.rfind(' ')));
    }
  }
  return out;
}

TEST(PerfScriptCorpusTest, DistinctStacksMatchSpeedscopesImport) {
  KILN_SKIP_WITHOUT_CORPUS();
  PerfScriptOptions no_demangling;
  no_demangling.demangle = false;
  int checked = 0;
  for (const std::string& path : PerfScriptFiles()) {
    const std::string snapshot = "oracles/" + path + ".speedscope-snapshot.txt";
    if (!std::filesystem::exists(testing::CorpusPath(snapshot))) continue;
    SCOPED_TRACE(path);
    auto profiles = ParsePerfScript(ReadPlain(path), {}, no_demangling);
    ASSERT_TRUE(profiles.ok()) << profiles.status();
    ASSERT_EQ(profiles->size(), 1u);
    // speedscope's snapshot lists runs of equal stacks with time weights,
    // so sample counts cannot be compared; the set of stacks can.
    EXPECT_EQ(SpeedscopeStyleStacks((*profiles)[0]),
              SnapshotStacks(testing::ReadFileForTest(testing::CorpusPath(snapshot))));
    ++checked;
  }
  EXPECT_EQ(checked, 5);
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

TEST(PerfScriptCorpusTest, SniffClaimsPerfScriptFilesAndNothingElse) {
  KILN_SKIP_WITHOUT_CORPUS();
  auto importer = NewPerfScriptImporter();
  for (const std::string& path : PerfScriptFiles()) {
    EXPECT_GE(importer->Sniff(ReadPlain(path)), 60) << path;
  }
  int others = 0;
  for (const std::string& path : testing::ListCorpusFiles("")) {
    if (!IsProfileFile(path) || path.starts_with("perf-script/")) continue;
    EXPECT_EQ(importer->Sniff(ReadPlain(path)), 0) << path;
    ++others;
  }
  EXPECT_GT(others, 100);
}

TEST(PerfScriptCorpusTest, DemanglesRustAndCppNames) {
  KILN_SKIP_WITHOUT_CORPUS();
  auto profiles = ParsePerfScript(ReadPlain("perf-script/speedscope/rust-mangled.linux-perf.txt"));
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  const std::string collapsed = DefaultCollapsed((*profiles)[0]);
  EXPECT_EQ(collapsed.find(";_R"), std::string::npos) << collapsed;  // no frame left mangled
  EXPECT_NE(collapsed.find(";<alloc::vec::Vec<f64> as core::ops::index::Index<usize>>::index"),
            std::string::npos)
      << collapsed;
  EXPECT_NE(collapsed.find(";trace::multiply_matrices"), std::string::npos) << collapsed;

  profiles = ParsePerfScript(ReadPlain("perf-script/speedscope/simple-with-header.linux-perf.txt"));
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  EXPECT_NE(DefaultCollapsed((*profiles)[0]).find(";main;beta "), std::string::npos)
      << DefaultCollapsed((*profiles)[0]);
}

}  // namespace
}  // namespace kiln
