// End to end against an independent oracle: `go tool pprof` (Google's own
// parser, Debian's golang-go) reads the same files as the `kiln` binary.
// Inputs: the CPU and heap profiles of a Go program built and run here, and
// every pprof file of the shared corpus that go tool pprof accepts. For each:
//  1. `kiln convert --to collapsed --sample-type T`: the values sum, for
//     every sample type T, to go tool pprof -raw's total of T (only the
//     default type for inputs over 2 MB, to keep the test near a minute).
//  2. `kiln convert --to pprof`, then go tool pprof -raw on kiln's output:
//     the same sample types (and default type) and the same totals.
// The oracle's totals are computed in the same run, not read from a file.
// Skips when go is not installed.
#include <gtest/gtest.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "core/testing/corpus.h"
#include "tests/go_pprof_raw.h"
#include "tests/go_tool.h"
#include "tests/scratch_dir.h"
#include "tests/subprocess.h"

namespace kiln::testing {
namespace {

namespace fs = std::filesystem;

constexpr uintmax_t kLargeInputBytes = 2 << 20;

ProcessResult Kiln(std::vector<std::string> args) {
  args.insert(args.begin(), KILN_CLI_PATH);
  return RunProcess(args);
}

// Sum of the values of collapsed lines "a;b;c 123" (the value follows the
// last space; frame names may contain spaces).
bool SumCollapsed(const std::string& text, int64_t* sum) {
  *sum = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    const std::string_view line(text.data() + pos, eol - pos);
    pos = eol + 1;
    if (line.empty()) continue;
    const size_t space = line.rfind(' ');
    if (space == std::string_view::npos) return false;
    int64_t v = 0;
    auto [end, ec] = std::from_chars(line.data() + space + 1, line.data() + line.size(), v);
    if (ec != std::errc() || end != line.data() + line.size()) return false;
    *sum += v;
  }
  return true;
}

// Both checks of the file comment for one input; |oracle| is go tool pprof's
// reading of |path|. Returns the collapsed output of the default type.
std::string ExpectKilnAgreesWithGoPprof(const GoTool& go, const std::string& path, const GoPprofTotals& oracle,
                                        const fs::path& scratch) {
  SCOPED_TRACE(path);
  std::string default_collapsed;
  std::multiset<std::string> names(oracle.sample_types.begin(), oracle.sample_types.end());
  const bool large = fs::file_size(path) > kLargeInputBytes;
  // pprof tools show the marked default type, else the last one.
  const size_t default_index =
      oracle.default_type >= 0 ? static_cast<size_t>(oracle.default_type) : oracle.sample_types.size() - 1;
  for (size_t i = 0; i < oracle.sample_types.size(); ++i) {
    const std::string& type = oracle.sample_types[i];
    if (names.count(type) > 1) continue;  // "--sample-type T" would be ambiguous
    // Each conversion re-imports the file: on multi-megabyte inputs only the
    // default type is summed here (step 2 still compares every type's total).
    if (large && i != default_index) continue;
    ProcessResult r = Kiln({"convert", path, "--to", "collapsed", "--sample-type", type});
    EXPECT_EQ(r.exit_code, 0) << type << ": " << r.err;
    if (r.exit_code != 0) continue;
    int64_t sum = 0;
    EXPECT_TRUE(SumCollapsed(r.out, &sum)) << type << ": unreadable collapsed output";
    EXPECT_EQ(sum, oracle.totals[i]) << "collapsed total of " << type << " vs go tool pprof -raw";
    if (i == default_index) default_collapsed = r.out;
  }

  const std::string out = (scratch / "kiln_roundtrip.pb.gz").string();
  ProcessResult w = Kiln({"convert", path, "--to", "pprof", "-o", out});
  EXPECT_EQ(w.exit_code, 0) << w.err;
  if (w.exit_code != 0) return default_collapsed;
  auto written = go.Raw(out);
  EXPECT_TRUE(written.ok()) << "kiln's pprof output: " << written.status();
  if (!written.ok()) return default_collapsed;
  EXPECT_EQ(written->sample_types, oracle.sample_types) << "kiln's pprof output";
  EXPECT_EQ(written->default_type, oracle.default_type) << "kiln's pprof output: default sample type";
  EXPECT_EQ(written->totals, oracle.totals) << "kiln's pprof output: totals per sample type";
  return default_collapsed;
}

TEST(PprofGoOracleTest, ProfilesOfAGoProgram) {
  ScratchDir scratch("kiln_go_oracle");
  ASSERT_FALSE(scratch.path().empty());
  GoTool go(scratch.path());
  KILN_SKIP_WITHOUT_GO(go);

  auto fixture = go.RunPprofFixture(scratch.path());
  ASSERT_TRUE(fixture.ok()) << fixture.status();
  for (const std::string& path : {fixture->cpu, fixture->heap}) {
    const std::string name = fs::path(path).filename().string();
    auto oracle = go.Raw(path);
    ASSERT_TRUE(oracle.ok()) << name << ": " << oracle.status();
    ASSERT_GT(oracle->samples, 0) << name << ": the fixture recorded no samples";
    const std::string collapsed = ExpectKilnAgreesWithGoPprof(go, path, *oracle, scratch.path());
    // The Go program's own functions are in its profiles, named as Go names them.
    EXPECT_NE(collapsed.find(name == std::string("cpu.pb.gz") ? "main.fib" : "main.alloc"), std::string::npos)
        << name << ":\n" << collapsed.substr(0, 2000);
  }
}

TEST(PprofGoOracleTest, CorpusPprofFiles) {
  KILN_SKIP_WITHOUT_CORPUS();
  ScratchDir scratch("kiln_go_oracle");
  ASSERT_FALSE(scratch.path().empty());
  GoTool go(scratch.path());
  KILN_SKIP_WITHOUT_GO(go);

  int checked = 0;
  std::vector<std::string> refused;
  for (const std::string& relative : ListCorpusFiles("pprof")) {
    const std::string path = CorpusPath(relative);
    auto oracle = go.Raw(path);
    if (!oracle.ok()) {
      // Not pprof (JSON, text), or malformed by Google's rules: no oracle.
      refused.push_back(relative);
      continue;
    }
    ExpectKilnAgreesWithGoPprof(go, path, *oracle, scratch.path());
    ++checked;
  }
  std::string refused_list;
  for (const auto& r : refused) refused_list += "\n  " + r;
  std::cout << "checked " << checked << " corpus pprof files against go tool pprof; it refused "
            << refused.size() << ":" << refused_list << "\n";
  EXPECT_GE(checked, 50) << "expected most of the corpus's pprof files to be readable by go tool pprof";
}

}  // namespace
}  // namespace kiln::testing
