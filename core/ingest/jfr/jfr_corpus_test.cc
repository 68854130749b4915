// The JFR importer against real recordings in the shared corpus and three
// independent readings of them:
//  - OpenJDK's `jfr summary` (oracles/<file>.jfr-summary.txt): the number of
//    events of every type, and the number of samples of each profile kind;
//  - `jfr print --json` leaf/total frame counts of jdk.ExecutionSample
//    (facts.json, execution_samples);
//  - grafana/jfr-parser's expected conversions (<jfr>_<i>_<metric>_expected_
//    collapsed.txt.gz) and Pyroscope's ingest goldens (<jfr>.<metric>.
//    17241709254077376921.pb.gz): the same stacks, lines and values.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/ingest/jfr/jfr_test_support.h"
#include "core/testing/corpus.h"
#include "kiln/base/gzip.h"
#include "kiln/export/collapsed_writer.h"
#include "kiln/ingest/jfr_importer.h"
#include "kiln/ingest/pprof_importer.h"
#include "kiln/query/tree_builder.h"

namespace kiln {
namespace {

bool IsJfrFile(const std::string& path) {
  return path.ends_with(".jfr") || path.ends_with(".jfr.gz");
}

// Every corpus JFR file imports; none is expected to fail. (A file that must
// fail would be listed here with a substring of its error.)
const std::map<std::string, std::string>& ExpectedFailures() {
  static const auto* failures = new std::map<std::string, std::string>{};
  return *failures;
}

int64_t Get(const std::map<std::string, int64_t>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? 0 : it->second;
}

// Pyroscope rewrites generated class names (grafana/jfr-parser
// parser/symbols.go) so that they do not multiply series; Kiln keeps the
// names as recorded. The comparison applies the same rewrite to Kiln's side.
std::string MergeGeneratedName(const std::string& symbol) {
  static const std::regex kAccessor("^(jdk/internal/reflect/GeneratedMethodAccessor)(\\d+)$");
  static const std::regex kLambda("^(.+\\$\\$Lambda)(\\$?\\d*[./](0x)?[\\da-f]+|\\d+)$");
  static const std::regex kCglib("^(.+\\$\\$EnhancerBySpringCGLIB\\$\\$)(.*)$");
  std::string s = std::regex_replace(symbol, kAccessor, "$1_");
  s = std::regex_replace(s, kLambda, "$1_");
  return std::regex_replace(s, kCglib, "$1_");
}

std::string NormalizeKilnFrame(const std::string& frame) {
  // Method names never contain '.', so the last one separates the class.
  const size_t dot = frame.rfind('.');
  if (dot == std::string::npos) return MergeGeneratedName(frame);
  return MergeGeneratedName(frame.substr(0, dot)) + "." + MergeGeneratedName(frame.substr(dot + 1));
}

// Pyroscope names a frame whose class has no name ".method"; Kiln "method".
// Pyroscope writes line -1 (no line) as its uint32 4294967295; Kiln 0.
std::string NormalizePyroscopeFrame(const std::string& frame) {
  std::string out = frame.starts_with(".") ? frame.substr(1) : frame;
  if (out.ends_with(":4294967295")) out = out.substr(0, out.size() - 10) + "0";
  return out;
}

// Kiln keeps events without a stack under this frame; Pyroscope drops them.
constexpr std::string_view kNoStackTrace = "[no stack trace]";

// "frame:line;…" (root first) -> sum of values of |type| / |divisor|.
std::map<std::string, int64_t> CollapseWithLines(const Profile& p, size_t type, int64_t divisor,
                                                 bool with_lines = true) {
  std::map<std::string, int64_t> out;
  std::vector<LocationId> locs;
  for (size_t i = 0; i < p.num_samples(); ++i) {
    p.stacks.Unwind(p.sample_stacks[i], &locs);
    std::string key;
    for (size_t j = locs.size(); j-- > 0;) {
      for (const Line& line : p.symbols.lines(locs[j])) {
        if (!key.empty()) key += ';';
        key += NormalizeKilnFrame(std::string(p.symbols.FunctionName(line.function_id)));
        if (with_lines) key += ":" + std::to_string(line.line);
      }
    }
    if (key.starts_with(kNoStackTrace)) continue;
    out[key] += p.values(i)[type] / divisor;
  }
  return out;
}

TEST(JfrCorpusTest, EveryRecordingMatchesJfrSummary) {
  KILN_SKIP_WITHOUT_CORPUS();
  int checked = 0;
  for (const std::string& path : testing::ListCorpusFiles("jfr")) {
    if (!IsJfrFile(path)) continue;
    SCOPED_TRACE(path);
    auto r = ParseJfr(testing::ReadFileForTest(testing::CorpusPath(path)));
    if (auto pinned = ExpectedFailures().find(path); pinned != ExpectedFailures().end()) {
      ASSERT_FALSE(r.ok());
      EXPECT_NE(r.status().message().find(pinned->second), std::string::npos) << r.status();
      continue;
    }
    ASSERT_TRUE(r.ok()) << r.status();
    ++checked;

    // Every event type, as `jfr summary` counts it: the same multiset of
    // counts, and the same count for every name the summary uses once.
    const auto rows = testing::ParseJfrSummary(testing::ReadFileForTest(testing::CorpusPath("oracles/" + path + ".jfr-summary.txt")));
    ASSERT_FALSE(rows.empty());
    std::map<std::string, int64_t> summary;
    std::map<std::string, int> uses;
    std::multiset<int64_t> expected_counts, counts;
    for (const auto& [type, count] : rows) {
      summary[type] += count;
      ++uses[type];
      expected_counts.insert(count);
    }
    for (const auto& [type, count] : r->event_counts) counts.insert(count);
    EXPECT_EQ(counts, expected_counts);
    for (const auto& [type, count] : summary) {
      if (uses[type] == 1) {
        EXPECT_EQ(Get(r->event_counts, type), count) << type;
      }
    }
    const nlohmann::json& facts = testing::CorpusFacts()[path]["jfr_summary"];
    ASSERT_TRUE(facts.is_object());
    EXPECT_EQ(r->num_chunks, facts["chunks"].get<size_t>());

    // Samples per profile kind. async-profiler's wall-clock mode (a "wall"
    // profile fed by execution samples) turns every execution sample into a
    // wall sample and the running ones also into CPU samples. Samples of
    // sleeping threads are never CPU samples.
    const int64_t execution = Get(summary, "jdk.ExecutionSample");
    const int64_t wall_clock = Get(summary, "profiler.WallClockSample");
    const Profile* cpu = testing::FindJfrProfile(*r, "process_cpu", "samples");
    const Profile* wall = testing::FindJfrProfile(*r, "wall", "samples");
    const bool wall_mode = wall != nullptr && wall_clock == 0;
    if (wall_mode) {
      EXPECT_EQ(wall->Total(0), execution);
      ASSERT_NE(cpu, nullptr);
      EXPECT_LE(cpu->Total(0), execution);
      EXPECT_EQ(cpu->Total(0) + r->sleeping_execution_samples, execution);
    } else if (execution > 0) {
      ASSERT_NE(cpu, nullptr);
      EXPECT_EQ(cpu->Total(0) + r->sleeping_execution_samples, execution);
    }
    if (wall_clock > 0) {
      ASSERT_NE(wall, nullptr);
      EXPECT_GE(wall->Total(0), wall_clock);  // an event carries one or more samples
    }
    struct CountedKind {
      const char* event;
      const char* profile;
      const char* type;
    };
    for (const CountedKind& k : {
             CountedKind{"jdk.NativeMethodSample", "native", "samples"},
             CountedKind{"jdk.ObjectAllocationInNewTLAB", "memory", "alloc_in_new_tlab_objects"},
             CountedKind{"jdk.ObjectAllocationOutsideTLAB", "memory", "alloc_outside_tlab_objects"},
             CountedKind{"jdk.ObjectAllocationSample", "memory", "alloc_sample_objects"},
             CountedKind{"jdk.JavaMonitorEnter", "mutex", "contentions"},
             CountedKind{"jdk.ThreadPark", "block", "contentions"},
             CountedKind{"profiler.LiveObject", "memory", "live"},
         }) {
      const int64_t events = Get(summary, k.event);
      const Profile* p = testing::FindJfrProfile(*r, k.profile, k.type);
      if (events == 0) {
        EXPECT_EQ(p, nullptr) << k.event;
        continue;
      }
      ASSERT_NE(p, nullptr) << k.event;
      EXPECT_EQ(p->Total(p->FindSampleType(k.type)), events) << k.event;
      ASSERT_EQ(p->labels.size(), 1u);
      EXPECT_EQ(p->labels[0].second, k.event);
    }

    for (const Profile& p : r->profiles) {
      SCOPED_TRACE(p.name + " " + p.sample_types.back().type);
      // Upstream converts these files with zero unresolved references.
      EXPECT_EQ(p.stats.Get(ImportStat::invalid_references), 0) << p.stats.ToString();
      EXPECT_EQ(p.stats.Get(ImportStat::records_skipped), 0) << p.stats.ToString();
      // The stack tree holds every sample's value: collapsed lines sum to the total.
      for (size_t t = 0; t < p.num_types(); ++t) {
        std::istringstream lines(WriteCollapsed(BuildTree(p, t)));
        std::string line;
        int64_t sum = 0;
        while (std::getline(lines, line)) sum += std::stoll(line.substr(line.rfind(' ') + 1));
        EXPECT_EQ(sum, p.Total(t)) << p.sample_types[t].type;
      }
    }
  }
  EXPECT_GE(checked, 15);
}

TEST(JfrCorpusTest, Jdk17ExecutionSamplesMatchJfrPrint) {
  KILN_SKIP_WITHOUT_CORPUS();
  const std::string path = "jfr/generated-jdk17/jdk17-workload-profile.jfr";
  auto r = ParseJfr(testing::ReadFileForTest(testing::CorpusPath(path)));
  ASSERT_TRUE(r.ok()) << r.status();
  const Profile* cpu = testing::FindJfrProfile(*r, "process_cpu", "samples");
  ASSERT_NE(cpu, nullptr);
  EXPECT_EQ(cpu->period, 5'000'000);  // the recording's "period" = "5 ms"
  EXPECT_EQ(cpu->Total(1), cpu->Total(0) * 5'000'000);

  // `jfr print` shows the 5 leaf-most frames of a stack, so the oracle's
  // "total" counts a function when it is among them.
  constexpr size_t kPrintedFrames = 5;
  std::map<std::string, int64_t> self, total;
  std::vector<LocationId> locs;
  for (size_t i = 0; i < cpu->num_samples(); ++i) {
    cpu->stacks.Unwind(cpu->sample_stacks[i], &locs);
    ASSERT_FALSE(locs.empty());
    std::set<std::string> seen;
    if (locs.size() > kPrintedFrames) locs.resize(kPrintedFrames);
    for (LocationId loc : locs) {
      seen.insert(std::string(cpu->symbols.FunctionName(cpu->symbols.lines(loc)[0].function_id)));
    }
    self[std::string(cpu->symbols.FunctionName(cpu->symbols.lines(locs[0])[0].function_id))] +=
        cpu->values(i)[0];
    for (const std::string& name : seen) total[name] += cpu->values(i)[0];
  }
  const nlohmann::json& oracle = testing::CorpusFacts()[path]["execution_samples"];
  ASSERT_TRUE(oracle.is_object());
  EXPECT_EQ(cpu->Total(0), oracle["events"].get<int64_t>());
  for (const auto& row : oracle["top_leaf"]) {
    EXPECT_EQ(self[row[0].get<std::string>()], row[1].get<int64_t>()) << row[0];
  }
  for (const auto& row : oracle["top_total"]) {
    EXPECT_EQ(total[row[0].get<std::string>()], row[1].get<int64_t>()) << row[0];
  }
}

// grafana/jfr-parser's expected conversions: <jfr>_<i>_<name>_<types>_expected_collapsed.
TEST(JfrCorpusTest, StacksMatchJfrParserExpectedConversions) {
  KILN_SKIP_WITHOUT_CORPUS();
  int compared = 0;
  for (const std::string& path : testing::ListCorpusFiles("jfr/jfr-parser")) {
    const std::string suffix = "_expected_collapsed.txt.gz";
    if (!path.ends_with(suffix)) continue;
    SCOPED_TRACE(path);
    // "<dir>/<jfr>_<i>_<metric>_expected_collapsed.txt.gz"
    static const std::regex kName("^(.*)_(\\d+)_(process_cpu|wall|memory|mutex|block)_([a-z_]+?)__([a-z]+)( .*)?_expected_collapsed\\.txt\\.gz$");
    std::smatch m;
    ASSERT_TRUE(std::regex_match(path, m, kName));
    const std::string jfr = m[1].str() + ".jfr.gz";
    const std::string name = m[3], type = m[4];
    auto r = ParseJfr(testing::ReadFileForTest(testing::CorpusPath(jfr)));
    ASSERT_TRUE(r.ok()) << r.status();
    const Profile* p = testing::FindJfrProfile(*r, name, type);
    ASSERT_NE(p, nullptr) << name << " " << type;

    // The expected values are counts x 10 ms (sample rate 100 Hz) for CPU
    // and wall; allocation counts and bytes as recorded; lock delays in raw
    // ticks (Kiln converts them to nanoseconds), so only their counts compare.
    const bool periodic = name == "process_cpu" || name == "wall";
    const bool lock = name == "mutex" || name == "block";
    auto plain = Gunzip(testing::ReadFileForTest(testing::CorpusPath(path)), 1 << 28);
    ASSERT_TRUE(plain.ok());
    std::map<std::string, int64_t> expected_first, expected_second;
    std::istringstream in(*plain);
    std::string line;
    while (std::getline(in, line)) {
      const size_t open = line.rfind(" [");
      ASSERT_NE(open, std::string::npos) << line;
      std::string stack;
      std::istringstream frames(line.substr(0, open));
      std::string frame;
      while (std::getline(frames, frame, ';')) {
        // Frame names may contain ';' inside "(deleted)" library names; only
        // a trailing ":<line>" marks the end of a frame.
        if (!stack.empty() && !std::regex_search(stack, std::regex(":\\d+$"))) {
          stack += ";" + frame;
          continue;
        }
        if (!stack.empty()) stack += ";";
        stack += NormalizePyroscopeFrame(frame);
      }
      std::istringstream values(line.substr(open + 2));
      int64_t v1 = 0, v2 = 0;
      values >> v1 >> v2;
      expected_first[stack] += periodic ? v1 / 10'000'000 : v1;
      expected_second[stack] += v2;
    }
    testing::ExpectSameStacks(expected_first, CollapseWithLines(*p, 0, 1), path + " [first value]", true);
    if (!periodic && !lock && p->num_types() > 1) {
      testing::ExpectSameStacks(expected_second, CollapseWithLines(*p, 1, 1), path + " [second value]", true);
    }
    ++compared;
  }
  EXPECT_GE(compared, 25);
}

// Pyroscope's ingest goldens for its JFR fixtures (whole-application series).
TEST(JfrCorpusTest, StacksMatchPyroscopeIngestGoldens) {
  KILN_SKIP_WITHOUT_CORPUS();
  int compared = 0;
  for (const std::string& path : testing::ListCorpusFiles("jfr/pyroscope")) {
    const std::string all_series = ".17241709254077376921.pb.gz";
    if (!path.ends_with(all_series)) continue;
    SCOPED_TRACE(path);
    const size_t jfr_end = path.find(".jfr.gz.") + 7;
    const std::string jfr = path.substr(0, jfr_end);
    const std::string metric = path.substr(jfr_end + 1, path.size() - all_series.size() - jfr_end - 1);
    auto r = ParseJfr(testing::ReadFileForTest(testing::CorpusPath(jfr)));
    ASSERT_TRUE(r.ok()) << r.status();
    auto golden = ParsePprof(testing::ReadFileForTest(testing::CorpusPath(path)));
    ASSERT_TRUE(golden.ok()) << golden.status();
    ASSERT_EQ(golden->num_types(), 1u);
    const std::string type = golden->sample_types[0].type;
    const Profile* p = nullptr;
    for (const Profile& candidate : r->profiles) {
      if (metric.starts_with(candidate.name + "_" + type + "_") && candidate.FindSampleType(type) >= 0) {
        p = &candidate;
      }
    }
    ASSERT_NE(p, nullptr) << metric;
    const bool periodic = type == "cpu" || type == "wall";
    const bool delay = type == "delay";
    const size_t kiln_type = periodic ? 0 : static_cast<size_t>(p->FindSampleType(type));
    std::map<std::string, int64_t> expected;
    std::vector<LocationId> locs;
    for (size_t i = 0; i < golden->num_samples(); ++i) {
      golden->stacks.Unwind(golden->sample_stacks[i], &locs);
      std::string key;
      for (size_t j = locs.size(); j-- > 0;) {
        for (const Line& line : golden->symbols.lines(locs[j])) {
          if (!key.empty()) key += ';';
          key += NormalizePyroscopeFrame(std::string(golden->symbols.FunctionName(line.function_id)));
        }
      }
      // Pyroscope's delay is in ticks; compare the stacks it lands on only.
      const int64_t v = golden->values(i)[0];
      expected[key] += delay ? 1 : (periodic ? v / 10'000'000 : v);
    }
    std::map<std::string, int64_t> actual = CollapseWithLines(*p, kiln_type, 1, false);
    if (delay) {
      for (auto& [stack, v] : actual) v = 1;
      for (auto& [stack, v] : expected) v = 1;
    }
    testing::ExpectSameStacks(expected, actual, path, true);
    ++compared;
  }
  EXPECT_GE(compared, 10);
}

}  // namespace
}  // namespace kiln
