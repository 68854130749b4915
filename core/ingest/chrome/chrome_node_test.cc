// Profiles recorded here and now by the Node.js on this machine
// (node --cpu-prof / --heap-prof over a small script written below), read
// back and checked against the raw JSON: sample count, CPU time, and that
// the function written to burn CPU (or to allocate) is the top one.
// Skipped when node is not installed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/testing/corpus.h"
#include "fmt/format.h"
#include "kiln/ingest/chrome_importer.h"
#include "kiln/query/top_table.h"
#include "kiln/query/tree_builder.h"
#include "nlohmann/json.hpp"

namespace kiln {
namespace {

namespace fs = std::filesystem;

// $KILN_NODE, else /usr/bin/node; "" when neither exists.
std::string NodeBinary() {
  if (const char* env = std::getenv("KILN_NODE"); env != nullptr && fs::exists(env)) return env;
  return fs::exists("/usr/bin/node") ? "/usr/bin/node" : "";
}

#define SKIP_WITHOUT_NODE()                                                              \
  do {                                                                                   \
    if (NodeBinary().empty()) {                                                          \
      GTEST_SKIP() << "node not found (/usr/bin/node or $KILN_NODE): cannot record a " \
                      "V8 profile to import";                                            \
    }                                                                                    \
  } while (0)

// A fresh directory under the system temp dir, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "kiln-chrome-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Runs node with |flags| (which say where to write, using {dir}) on
// |script| and returns the one |extension| file it wrote into |dir| ("" on
// failure, with the test failed).
std::string RecordProfile(const TempDir& dir, const std::string& flags,
                          const std::string& script, const std::string& extension) {
  const std::string script_path = dir.path() + "/workload.js";
  {
    FILE* f = fopen(script_path.c_str(), "w");
    if (f == nullptr) return "";
    fputs(script.c_str(), f);
    fclose(f);
  }
  const std::string command =
      fmt::format("'{}' {} '{}' > /dev/null 2>&1", NodeBinary(),
                  fmt::format(fmt::runtime(flags), fmt::arg("dir", dir.path())), script_path);
  const int rc = std::system(command.c_str());
  EXPECT_EQ(rc, 0) << command;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    if (entry.path().extension() == extension) return entry.path().string();
  }
  ADD_FAILURE() << "node wrote no " << extension << " file in " << dir.path();
  return "";
}

// burnCpu does nearly all the work; lightWork a little; both are plain
// top-level functions so V8 names them in the profile.
constexpr const char* kCpuScript = R"(
function burnCpu(n) {
  let x = 0;
  for (let i = 0; i < n; i++) x += Math.sqrt(i) * Math.sin(i);
  return x;
}
function lightWork(n) {
  let s = 0;
  for (let i = 0; i < n; i++) s += i % 7;
  return s;
}
const end = Date.now() + 700;
let acc = 0;
while (Date.now() < end) {
  acc += burnCpu(300000);
  acc += lightWork(3000);
}
if (acc === 42) console.log(acc);
)";

// allocateBlocks keeps what it allocates alive, so the heap profile taken
// at exit holds it. |kept| must be a global: a module-level const is
// garbage once the script has run, before node writes the profile.
constexpr const char* kHeapScript = R"(
globalThis.kept = [];
function allocateBlocks(count) {
  for (let i = 0; i < count; i++) kept.push(new Array(256).fill(i));
}
function smallAllocation() {
  kept.push({tiny: true});
}
for (let round = 0; round < 50; round++) {
  allocateBlocks(400);
  smallAllocation();
}
)";

TEST(ChromeNodeTest, CpuProfileFromNodeMatchesTheRawFile) {
  SKIP_WITHOUT_NODE();
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string file = RecordProfile(
      dir, "--cpu-prof --cpu-prof-interval 500 --cpu-prof-dir='{dir}'", kCpuScript, ".cpuprofile");
  ASSERT_FALSE(file.empty());
  const std::string data = testing::ReadFileForTest(file);

  // What the file says, read independently of the importer.
  const auto raw = nlohmann::json::parse(data);
  const auto& samples = raw["samples"];
  const auto& deltas = raw["timeDeltas"];
  ASSERT_EQ(samples.size(), deltas.size());
  ASSERT_GT(samples.size(), 100u);
  // Sample times never go backwards; the weights add up to last - first.
  double t = 0, first = 0, last = 0;
  for (size_t i = 0; i < deltas.size(); ++i) {
    t += deltas[i].get<double>();
    last = i == 0 ? t : std::max(last, t);
    if (i == 0) first = t;
  }

  auto profiles = ParseChromeProfile(data);
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  ASSERT_EQ(profiles->size(), 1u);
  const Profile& p = (*profiles)[0];
  EXPECT_EQ(p.Total(0), static_cast<int64_t>(samples.size()));
  EXPECT_EQ(p.Total(1), static_cast<int64_t>((last - first) * 1000));
  EXPECT_FALSE(p.stats.HasDataLoss()) << p.stats.ToString();

  for (size_t type : {size_t{0}, size_t{1}}) {
    const TopTable top = ComputeTopTable(BuildTree(p, type));
    ASSERT_FALSE(top.rows.empty());
    EXPECT_EQ(top.rows[0].name, "burnCpu") << "sample type " << p.sample_types[type].type;
    // Most of the run is in burnCpu.
    EXPECT_GT(top.rows[0].flat * 2, top.total);
  }
}

TEST(ChromeNodeTest, HeapProfileFromNodeMatchesTheRawFile) {
  SKIP_WITHOUT_NODE();
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string file = RecordProfile(dir, "--heap-prof --heap-prof-dir='{dir}'", kHeapScript,
                                         ".heapprofile");
  ASSERT_FALSE(file.empty());
  const std::string data = testing::ReadFileForTest(file);

  // Sum of selfSize over the raw tree (walked with a stack).
  const auto raw = nlohmann::json::parse(data);
  int64_t total = 0;
  std::vector<const nlohmann::json*> todo = {&raw["head"]};
  while (!todo.empty()) {
    const nlohmann::json* n = todo.back();
    todo.pop_back();
    total += (*n)["selfSize"].get<int64_t>();
    for (const auto& c : (*n)["children"]) todo.push_back(&c);
  }
  ASSERT_GT(total, 0);

  auto profiles = ParseChromeProfile(data);
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  const Profile& p = (*profiles)[0];
  EXPECT_EQ(p.sample_types[0], (ValueType{"space", "bytes"}));
  EXPECT_EQ(p.Total(0), total);
  const TopTable top = ComputeTopTable(BuildTree(p, 0));
  ASSERT_FALSE(top.rows.empty());
  EXPECT_EQ(top.rows[0].name, "allocateBlocks");
}

}  // namespace
}  // namespace kiln
