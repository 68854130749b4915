// End to end against the JDK's own reader: a Java program (tests/java/
// JfrWorkload.java) runs here under Flight Recorder, then the JDK's `jfr`
// tool (`jfr summary`, `jfr print --json`) and Kiln's importer read the same
// recording. For every event type the counts agree; for execution samples,
// allocation samples, monitor enters and thread parks the stacks (root
// first, with line numbers) and their values agree sample for sample.
// Skips when java or jfr is not installed (Debian: openjdk-17-jdk-headless).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "core/ingest/jfr/jfr_test_support.h"
#include "core/testing/corpus.h"
#include "kiln/ingest/jfr_importer.h"
#include "nlohmann/json.hpp"
#include "tests/scratch_dir.h"
#include "tests/subprocess.h"

namespace kiln::testing {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// "frame:line;…" root first -> summed value.
using Collapsed = std::map<std::string, int64_t>;

// ISO-8601 durations as `jfr print --json` writes them: "PT0.020113786S",
// "PT1M2.5S", "PT1H".
int64_t ParseDurationNanos(const std::string& text) {
  static const std::regex kDuration(R"(^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d{1,9}))?S)?$)");
  std::smatch m;
  if (!std::regex_match(text, m, kDuration)) {
    ADD_FAILURE() << "unexpected duration " << text;
    return 0;
  }
  int64_t ns = 0;
  if (m[1].matched) ns += std::stoll(m[1]) * 3'600'000'000'000;
  if (m[2].matched) ns += std::stoll(m[2]) * 60'000'000'000;
  if (m[3].matched) ns += std::stoll(m[3]) * 1'000'000'000;
  if (m[4].matched) {
    std::string frac = m[4].str();
    frac.resize(9, '0');
    ns += std::stoll(frac);
  }
  return ns;
}

// The stack of one `jfr print --json` event, root first, named as Kiln names
// frames ("pkg/Class.method:line", line 0 when unknown). Kiln keeps events
// recorded without a stack, or with a stack of no frames (the JVM records a
// few allocations so), under one "[no stack trace]" frame.
std::string StackOf(const Json& event) {
  const Json& trace = event["values"]["stackTrace"];
  if (!trace.is_object() || !trace["frames"].is_array() || trace["frames"].empty()) return "[no stack trace]:0";
  const Json& frames = trace["frames"];
  std::string key;
  for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
    const Json& method = (*it)["method"];
    if (!key.empty()) key += ';';
    key += method["type"]["name"].get<std::string>() + "." + method["name"].get<std::string>() +
           ":" + std::to_string(std::max<int64_t>((*it)["lineNumber"].get<int64_t>(), 0));
  }
  return key;
}

Collapsed CollapseKiln(const Profile& p, size_t type) {
  Collapsed out;
  std::vector<LocationId> locs;
  for (size_t i = 0; i < p.num_samples(); ++i) {
    p.stacks.Unwind(p.sample_stacks[i], &locs);
    std::string key;
    for (size_t j = locs.size(); j-- > 0;) {
      for (const Line& line : p.symbols.lines(locs[j])) {
        if (!key.empty()) key += ';';
        key += std::string(p.symbols.FunctionName(line.function_id)) + ":" +
               std::to_string(line.line);
      }
    }
    out[key] += p.values(i)[type];
  }
  return out;
}

class JfrJavaOracleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    java_ = FindOnPath("java");
    jfr_ = FindOnPath("jfr");
    if (java_.empty() || jfr_.empty()) {
      GTEST_SKIP() << "java and jfr are not installed (Debian: openjdk-17-jdk-headless); "
                      "scripts/install-deps installs them";
    }
    ASSERT_FALSE(scratch_.path().empty());
    recording_ = (scratch_.path() / "workload.jfr").string();
    // settings=profile: execution samples every 10 ms (20 ms by default),
    // allocation samples, monitor enters and parks above 10 ms.
    ProcessResult run = RunProcess(
        {java_, "-XX:StartFlightRecording=settings=profile,filename=" + recording_,
         (fs::path(KILN_SOURCE_DIR) / "tests/java/JfrWorkload.java").string()},
        {}, scratch_.path().string());
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    std::ifstream in(recording_, std::ios::binary);
    bytes_.assign(std::istreambuf_iterator<char>(in), {});
    ASSERT_FALSE(bytes_.empty());
  }

  Json PrintEvents(const std::string& type) {
    // --stack-depth: jfr prints the 5 leaf-most frames unless told.
    ProcessResult print = RunProcess(
        {jfr_, "print", "--json", "--stack-depth", "10000", "--events", type, recording_});
    EXPECT_EQ(print.exit_code, 0) << print.err;
    Json doc = Json::parse(print.out, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(doc.is_discarded()) << "jfr print --json printed no JSON";
    if (doc.is_discarded() || !doc["recording"]["events"].is_array()) return Json::array();
    return doc["recording"]["events"];
  }

  ScratchDir scratch_{"kiln_jfr_oracle"};
  std::string java_, jfr_, recording_, bytes_;
};

TEST_F(JfrJavaOracleTest, RecordingOfAJavaProgram) {
  auto r = ParseJfr(bytes_);
  ASSERT_TRUE(r.ok()) << r.status();

  // Every event type, counted as `jfr summary` counts it.
  ProcessResult summary = RunProcess({jfr_, "summary", recording_});
  ASSERT_EQ(summary.exit_code, 0) << summary.err;
  std::map<std::string, int64_t> counts;
  for (const auto& [type, count] : ParseJfrSummary(summary.out)) counts[type] = count;
  ASSERT_GT(counts.size(), 10u) << summary.out;
  for (const auto& [type, count] : counts) {
    auto it = r->event_counts.find(type);
    EXPECT_EQ(it == r->event_counts.end() ? 0 : it->second, count) << type;
  }
  for (const char* type : {"jdk.ExecutionSample", "jdk.ObjectAllocationSample",
                           "jdk.JavaMonitorEnter", "jdk.ThreadPark"}) {
    EXPECT_GT(counts.contains(type) ? counts.at(type) : 0, 0)
        << "the workload recorded no " << type << " events";
  }

  // CPU: one sample per execution sample (the JDK samples running threads
  // only), on the same stacks, the workload's hot loop on top.
  {
    const Profile* cpu = FindJfrProfile(*r, "process_cpu", "samples");
    ASSERT_NE(cpu, nullptr);
    EXPECT_EQ(cpu->period, 10'000'000) << "the profile settings' 10 ms period";
    Collapsed expected;
    std::map<std::string, int64_t> self;
    for (const Json& e : PrintEvents("jdk.ExecutionSample")) {
      expected[StackOf(e)] += 1;
    }
    ExpectSameStacks(expected, CollapseKiln(*cpu, 0), "execution samples");
    std::string top;
    int64_t top_value = 0;
    for (const auto& [stack, v] : CollapseKiln(*cpu, 0)) {
      const std::string leaf = stack.substr(stack.rfind(';') + 1);
      self[leaf.substr(0, leaf.rfind(':'))] += v;
    }
    for (const auto& [fn, v] : self) {
      if (v > top_value) top = fn, top_value = v;
    }
    EXPECT_EQ(top, "JfrWorkload.burnCpu");
  }

  // Allocation samples: objects and the sampled weight in bytes.
  {
    const Profile* memory = FindJfrProfile(*r, "memory", "alloc_sample_objects");
    ASSERT_NE(memory, nullptr);
    const int bytes_type = memory->FindSampleType("alloc_sample_bytes");
    ASSERT_GE(bytes_type, 0);
    Collapsed objects, bytes;
    for (const Json& e : PrintEvents("jdk.ObjectAllocationSample")) {
      objects[StackOf(e)] += 1;
      bytes[StackOf(e)] += e["values"]["weight"].get<int64_t>();
    }
    ExpectSameStacks(objects, CollapseKiln(*memory, memory->FindSampleType("alloc_sample_objects")),
                     "allocation samples (objects)");
    ExpectSameStacks(bytes, CollapseKiln(*memory, bytes_type), "allocation samples (bytes)");
  }

  // Monitor enters and parks: contentions and their delay. Kiln converts
  // ticks to nanoseconds itself, so each event may differ from jfr's by 1 ns.
  for (const auto& [event, profile] : {std::pair{"jdk.JavaMonitorEnter", "mutex"},
                                       std::pair{"jdk.ThreadPark", "block"}}) {
    SCOPED_TRACE(event);
    const Profile* p = FindJfrProfile(*r, profile, "contentions");
    ASSERT_NE(p, nullptr);
    const int delay_type = p->FindSampleType("delay");
    ASSERT_GE(delay_type, 0);
    Collapsed contentions, delay;
    int64_t events = 0;
    for (const Json& e : PrintEvents(event)) {
      contentions[StackOf(e)] += 1;
      delay[StackOf(e)] += ParseDurationNanos(e["values"]["duration"].get<std::string>());
      ++events;
    }
    ExpectSameStacks(contentions, CollapseKiln(*p, 0), std::string(event) + " (contentions)");
    const Collapsed kiln_delay = CollapseKiln(*p, delay_type);
    for (const auto& [stack, ns] : delay) {
      auto it = kiln_delay.find(stack);
      ASSERT_NE(it, kiln_delay.end()) << stack;
      EXPECT_NEAR(it->second, ns, contentions[stack]) << stack;
    }
    // Every recorded wait is above the settings' 10 ms threshold.
    EXPECT_GE(p->Total(delay_type), events * 10'000'000);
  }
}

TEST_F(JfrJavaOracleTest, DamagedCopiesFailClearly) {
  // The first byte zeroed: not a JFR file any more.
  std::string zeroed = bytes_;
  zeroed[0] = 0;
  EXPECT_EQ(NewJfrImporter()->Sniff(zeroed), 0);
  auto bad_magic = ParseJfr(zeroed);
  ASSERT_FALSE(bad_magic.ok());
  EXPECT_NE(bad_magic.status().message().find("byte 0"), std::string::npos) << bad_magic.status();

  // Cut short anywhere: an error that names the chunk and what is missing,
  // never a profile with part of the samples.
  for (size_t cut : {size_t{10}, size_t{68}, bytes_.size() / 3, bytes_.size() / 2, bytes_.size() - 1}) {
    auto r = ParseJfr(std::string_view(bytes_).substr(0, cut));
    ASSERT_FALSE(r.ok()) << "cut at " << cut;
    EXPECT_NE(r.status().message().find("chunk"), std::string::npos) << r.status();
  }
}

}  // namespace
}  // namespace kiln::testing
