// The legacy importer on the shared corpus (pprof-legacy/): every file is
// detected as pprof-legacy and reads as `go tool pprof` reads it (sample
// types, sample count and totals from oracles/facts.json), or fails with the
// error pinned below; and every sample — values, addresses, mappings, Java
// frames — equals google/pprof's golden profile.String() dump (X.string).
// Collapsed and perf-script files must still go to their own importers.
#include <gtest/gtest.h>

#include <charconv>
#include <map>
#include <string>
#include <vector>

#include "core/testing/corpus.h"
#include "fmt/format.h"
#include "kiln/base/gzip.h"
#include "kiln/ingest/importer_registry.h"
#include "kiln/ingest/pprof_legacy_importer.h"

namespace kiln {
namespace {

constexpr std::string_view kDir = "pprof-legacy";

bool IsGolden(const std::string& path) { return path.ends_with(".string"); }

// Files go tool pprof rejects: path -> what our error must contain.
const std::map<std::string, std::string>& PinnedFailures() {
  static const auto* failures = new std::map<std::string, std::string>{
      // "--- heapz 1 ---\n0 0 @ 0\n": a Java heap record with zero objects.
      {"pprof-legacy/google-pprof/fuzz/7e3c92482f6f39fc502b822ded792c589849cca8",
       "parsing sample 0 0 @ 0: second value must be non-zero"},
  };
  return *failures;
}

// Where facts.json is known to disagree with go tool pprof itself.
struct OracleCorrection {
  int64_t extra_samples = 0;
  std::map<std::string, int64_t> extra_totals;
};
const std::map<std::string, OracleCorrection>& OracleCorrections() {
  static const auto* corrections = new std::map<std::string, OracleCorrection>{
      // Record 12 ("1: 288 [2: 296] @" — an empty stack, scaled to 7085
      // objects / 1048724 B allocated, 1820 / 524432 B in use) is missing
      // from facts.json, but `go tool pprof -top` counts it: its total is
      // 7.36MB = 7721316 B, not the 6.86MB = 7196884 B of facts.json
      // (oracles/…/gobench.heap.go-pprof-top.txt). Kiln keeps the record.
      {"pprof-legacy/google-pprof/gobench.heap",
       {1,
        {{"alloc_objects/count", 7085},
         {"alloc_space/bytes", 1048724},
         {"inuse_objects/count", 1820},
         {"inuse_space/bytes", 524432}}}},
  };
  return *corrections;
}

TEST(PprofLegacyCorpusTest, EveryFileReadsAsGoToolPprofReadsIt) {
  KILN_SKIP_WITHOUT_CORPUS();
  int matched = 0, failed_as_pinned = 0;
  for (const std::string& path : testing::ListCorpusFiles(kDir)) {
    if (IsGolden(path)) continue;
    SCOPED_TRACE(path);
    const std::string data = testing::ReadFileForTest(testing::CorpusPath(path));
    const Importer* detected = ImporterRegistry::Default().Detect(data, path);
    ASSERT_NE(detected, nullptr);
    EXPECT_EQ(detected->format(), "pprof-legacy");
    auto result = ImporterRegistry::Default().Import(data, path);

    if (auto pinned = PinnedFailures().find(path); pinned != PinnedFailures().end()) {
      ASSERT_FALSE(result.ok());
      EXPECT_NE(result.status().message().find(pinned->second), std::string::npos)
          << result.status();
      ++failed_as_pinned;
      continue;
    }
    ASSERT_TRUE(result.ok()) << result.status();
    ASSERT_EQ(result->size(), 1u);
    const Profile& p = (*result)[0];
    const auto& facts = testing::CorpusFacts();
    ASSERT_TRUE(facts.contains(path) && facts[path].is_object() && facts[path]["pprof"].is_object())
        << "no facts for " << path;
    const auto& want = facts[path]["pprof"];
    OracleCorrection correction;
    if (auto c = OracleCorrections().find(path); c != OracleCorrections().end()) {
      correction = c->second;
    }

    std::vector<std::string> types;
    for (const ValueType& t : p.sample_types) types.push_back(t.type + "/" + t.unit);
    EXPECT_EQ(types, want["sample_types"].get<std::vector<std::string>>());
    EXPECT_EQ(static_cast<int64_t>(p.num_samples()),
              want["samples"].get<int64_t>() + correction.extra_samples);
    for (size_t t = 0; t < types.size(); ++t) {
      EXPECT_EQ(p.Total(t), want["totals"].value(types[t], int64_t{-1}) +
                                correction.extra_totals[types[t]])
          << types[t];
    }
    EXPECT_EQ(p.period, want["period"].get<int64_t>());
    EXPECT_EQ(p.period_type.type + " " + p.period_type.unit, want["period_type"].get<std::string>());
    ++matched;
  }
  EXPECT_EQ(matched, 18);
  EXPECT_EQ(failed_as_pinned, 1);
}

// A sample's identity for comparing with the golden dumps: per frame, the
// address and its mapping's file, or for Java frames (address 0) the
// function; then the "bytes" label.
using SampleKey = std::string;
using SampleSums = std::map<SampleKey, std::vector<int64_t>>;

void AddSample(SampleSums* sums, const SampleKey& key, const std::vector<int64_t>& values) {
  auto [it, inserted] = sums->try_emplace(key, values);
  if (!inserted) {
    for (size_t i = 0; i < values.size(); ++i) it->second[i] += values[i];
  }
}

void DropZeroSums(SampleSums* sums) {
  std::erase_if(*sums, [](const auto& kv) {
    for (int64_t v : kv.second) {
      if (v != 0) return false;
    }
    return true;
  });
}

std::string FrameKey(uint64_t address, std::string_view mapping_file, std::string_view function) {
  if (address == 0) return fmt::format("[{}]", function);
  return fmt::format("{:#x}@{}", address, mapping_file);
}

// Small std-only text helpers (Debian's absl::string_view is not std's).
std::vector<std::string_view> Fields(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t end = s.find(sep, i);
    if (end == std::string_view::npos) end = s.size();
    if (end > i) out.push_back(s.substr(i, end - i));
    i = end + 1;
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

template <typename T>
bool ToInt(std::string_view s, T* out, int base = 10) {
  s = Trim(s);
  if (base == 16 && s.starts_with("0x")) s.remove_prefix(2);
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out, base);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

// Parses google/pprof's Profile.String(): the Samples, Locations and
// Mappings sections.
SampleSums GoldenSamples(const std::string& text) {
  std::map<uint64_t, std::string> mapping_files;  // mapping id -> file
  struct GoldenLocation {
    uint64_t address = 0;
    uint64_t mapping = 0;
    std::string function;
  };
  std::map<uint64_t, GoldenLocation> locations;
  struct RawSample {
    std::vector<int64_t> values;
    std::vector<uint64_t> locations;
    std::string labels;
  };
  std::vector<RawSample> samples;
  std::string section;
  bool header_seen = false;
  for (std::string_view l : Fields(text, '\n')) {
    if (l == "Samples:" || l == "Locations" || l == "Mappings") {
      section = std::string(l);
      header_seen = false;
      continue;
    }
    if (section == "Samples:") {
      if (!header_seen) {
        header_seen = true;  // the "type/unit …" line
        continue;
      }
      const size_t colon = l.find(':');
      if (colon == std::string_view::npos) continue;
      std::vector<std::string_view> head = Fields(l.substr(0, colon), ' ');
      int64_t first;
      if (!head.empty() && ToInt(head[0], &first)) {
        RawSample s;
        for (std::string_view f : head) {
          int64_t v = 0;
          EXPECT_TRUE(ToInt(f, &v)) << l;
          s.values.push_back(v);
        }
        for (std::string_view f : Fields(l.substr(colon + 1), ' ')) {
          uint64_t id = 0;
          EXPECT_TRUE(ToInt(f, &id)) << l;
          s.locations.push_back(id);
        }
        samples.push_back(std::move(s));
      } else if (!samples.empty()) {
        samples.back().labels += std::string(Trim(l));  // "bytes:[9216]"
      }
    } else if (section == "Locations") {
      // "     1: 0x42ef04 M=1 " or "     3: 0x0 VM :0:0 s=0"
      const size_t colon = l.find(": 0x");
      uint64_t id = 0;
      if (colon == std::string_view::npos || !ToInt(l.substr(0, colon), &id)) continue;
      std::vector<std::string_view> f = Fields(l.substr(colon + 2), ' ');
      GoldenLocation& loc = locations[id];
      EXPECT_TRUE(ToInt(f[0], &loc.address, 16)) << l;
      if (f.size() > 1 && f[1].starts_with("M=")) {
        EXPECT_TRUE(ToInt(f[1].substr(2), &loc.mapping)) << l;
      } else {
        // "name file:line:col s=N"; names may contain spaces.
        for (size_t i = 1; i + 2 < f.size(); ++i) {
          if (!loc.function.empty()) loc.function += ' ';
          loc.function += f[i];
        }
      }
    } else if (section == "Mappings") {
      // "1: 0x400000/0xfcb000/0x0 cppbench_server_main  "
      const size_t colon = l.find(": 0x");
      uint64_t id = 0;
      if (colon == std::string_view::npos || !ToInt(l.substr(0, colon), &id)) continue;
      std::vector<std::string_view> f = Fields(l.substr(colon + 2), ' ');
      mapping_files[id] = f.size() > 1 ? std::string(f[1]) : "";
    }
  }
  SampleSums out;
  for (const RawSample& s : samples) {
    std::string key;
    for (uint64_t id : s.locations) {
      const GoldenLocation& loc = locations[id];
      key += FrameKey(loc.address, mapping_files[loc.mapping], loc.function) + " ";
    }
    key += s.labels;
    AddSample(&out, key, s.values);
  }
  DropZeroSums(&out);
  return out;
}

SampleSums OurSamples(const Profile& p) {
  SampleSums out;
  std::vector<LocationId> stack;
  const SymbolTable& sym = p.symbols;
  for (size_t i = 0; i < p.num_samples(); ++i) {
    p.stacks.Unwind(p.sample_stacks[i], &stack);
    std::string key;
    for (LocationId id : stack) {
      const Location& loc = sym.location(id);
      std::string function;
      for (const Line& line : sym.lines(id)) function += std::string(sym.FunctionName(line.function_id));
      key += FrameKey(loc.address, sym.String(sym.mapping(loc.mapping_id).filename), function) + " ";
    }
    for (const SampleLabel& l : p.label_sets[p.sample_label_sets[i]]) {
      key += fmt::format("{}:[{}]", sym.String(l.key), l.num);
    }
    auto v = p.values(i);
    AddSample(&out, key, std::vector<int64_t>(v.begin(), v.end()));
  }
  return out;
}

TEST(PprofLegacyCorpusTest, SamplesEqualGooglePprofGoldenDumps) {
  KILN_SKIP_WITHOUT_CORPUS();
  int compared = 0;
  for (const std::string& golden : testing::ListCorpusFiles(kDir)) {
    if (!IsGolden(golden)) continue;
    const std::string path = golden.substr(0, golden.size() - std::string_view(".string").size());
    SCOPED_TRACE(path);
    auto p = ParsePprofLegacy(testing::ReadFileForTest(testing::CorpusPath(path)));
    ASSERT_TRUE(p.ok()) << p.status();
    const SampleSums want = GoldenSamples(testing::ReadFileForTest(testing::CorpusPath(golden)));
    const SampleSums got = OurSamples(*p);
    EXPECT_EQ(got.size(), want.size());
    for (const auto& [key, values] : want) {
      auto it = got.find(key);
      if (it == got.end()) {
        ADD_FAILURE() << "missing sample " << key;
        continue;
      }
      EXPECT_EQ(it->second, values) << key;
    }
    for (const auto& [key, values] : got) {
      EXPECT_TRUE(want.contains(key)) << "unexpected sample " << key;
    }
    ++compared;
  }
  EXPECT_EQ(compared, 13);
}

// Go's debug=1 text names frames in comments: the heap profile's retained
// buffers must show up under main.retainBuffers, as in the protobuf form.
TEST(PprofLegacyCorpusTest, GoDebugTextFramesAreNamedFromComments) {
  KILN_SKIP_WITHOUT_CORPUS();
  auto p = ParsePprofLegacy(
      testing::ReadFileForTest(testing::CorpusPath("pprof-legacy/generated-go/heap.debug1.txt")));
  ASSERT_TRUE(p.ok()) << p.status();
  const int inuse = p->FindSampleType("inuse_space");
  ASSERT_GE(inuse, 0);
  int64_t under_retain = 0;
  std::vector<LocationId> stack;
  for (size_t i = 0; i < p->num_samples(); ++i) {
    p->stacks.Unwind(p->sample_stacks[i], &stack);
    for (LocationId id : stack) {
      bool hit = false;
      for (const Line& line : p->symbols.lines(id)) {
        hit = hit || p->symbols.FunctionName(line.function_id) == "main.retainBuffers";
      }
      if (hit) {
        under_retain += p->values(i)[inuse];
        break;
      }
    }
  }
  // heap.pb.gz of the same run: main.retainBuffers (inline) 15250.66kB flat.
  EXPECT_EQ(under_retain, 15616677);
}

// Other text formats keep their importers.
TEST(PprofLegacyCorpusTest, CollapsedAndPerfScriptFilesAreNotClaimed) {
  KILN_SKIP_WITHOUT_CORPUS();
  auto importer = NewPprofLegacyImporter();
  int checked = 0;
  for (std::string_view dir : {"collapsed", "perf-script"}) {
    for (const std::string& path : testing::ListCorpusFiles(dir)) {
      SCOPED_TRACE(path);
      std::string data = testing::ReadFileForTest(testing::CorpusPath(path));
      if (IsGzip(data)) {
        auto plain = Gunzip(data, size_t{1} << 30);
        ASSERT_TRUE(plain.ok()) << plain.status();
        data = *std::move(plain);
      }
      EXPECT_EQ(importer->Sniff(data), 0);
      // FlameGraph's results/ are collapsed output kept under perf-script/.
      if (path.find("/results/") != std::string::npos) continue;
      const Importer* detected = ImporterRegistry::Default().Detect(data, path);
      ASSERT_NE(detected, nullptr);
      EXPECT_EQ(detected->format(), dir == "collapsed" ? "collapsed" : "perf-script");
      ++checked;
    }
  }
  EXPECT_GT(checked, 10);
}

}  // namespace
}  // namespace kiln
