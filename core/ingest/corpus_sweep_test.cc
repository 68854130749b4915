// Every profile file in the shared corpus either imports through format
// detection, or fails with the error pinned for it below. A truncated copy
// of every file imports or fails cleanly (never a crash).
#include <gtest/gtest.h>

#include <map>

#include "core/testing/corpus.h"
#include "kiln/base/gzip.h"
#include "kiln/ingest/importer_registry.h"

namespace kiln {
namespace {

// Files in the profile folders that are oracles or request metadata, not
// profiles: expected outputs, pprof's .string dumps, FlameGraph results,
// captured request headers, Pyroscope's strprofile JSON, its JFR ingest
// expectations (collapsed stacks as JSON) and the labels form part that
// accompanies a JFR upload.
bool IsProfileFile(const std::string& path) {
  static const char* const kNotProfiles[] = {
      "_expected", ".string", "/results/", ".fixed", ".st.json", ".request.json", ".out.json",
      "flamebearer-convert/profile.json", "go_type_parameters", ".labels.gz", ".pb.json",
      ".labels.pb.gz",
  };
  if (path.starts_with("jfr/") && path.ends_with(".json.gz")) return false;
  if (path.starts_with("oracles/") || path.find('/') == std::string::npos) return false;
  for (const char* marker : kNotProfiles) {
    if (path.find(marker) != std::string::npos) return false;
  }
  return true;
}

// path -> a substring of the error it must fail with.
const std::map<std::string, std::string>& ExpectedFailures() {
  static const auto* failures = new std::map<std::string, std::string>{
      // go tool pprof rejects both too ("second value must be non-zero";
      // "found function with reserved ID=0").
      {"pprof-legacy/google-pprof/fuzz/7e3c92482f6f39fc502b822ded792c589849cca8",
       "second value must be non-zero"},
      {"pprof/pyroscope/og-convert-pprof/dotnet-pprof-3.pb.gz", "function[1]: duplicate id 0"},
      // speedscope's own importer rejects both (expectImportFailure).
      {"speedscope/speedscope/invalid/incomplete-trace.json", "1 frame(s) still open after the last event"},
      {"speedscope/speedscope/invalid/out-of-order-events.json", "closes frame 1 (\"B\") but frame 0 (\"A\")"},
  };
  return *failures;
}

TEST(CorpusSweepTest, EveryFileImportsOrFailsAsPinned) {
  KILN_SKIP_WITHOUT_CORPUS();
  int imported = 0, failed_as_pinned = 0;
  for (const std::string& path : testing::ListCorpusFiles("")) {
    if (!IsProfileFile(path)) continue;
    SCOPED_TRACE(path);
    const std::string data = testing::ReadFileForTest(testing::CorpusPath(path));
    auto result = ImporterRegistry::Default().Import(data, path);
    auto pinned = ExpectedFailures().find(path);
    if (pinned == ExpectedFailures().end()) {
      EXPECT_TRUE(result.ok()) << "unexpected failure: " << result.status();
      if (result.ok()) {
        EXPECT_FALSE(result->empty());
        ++imported;
      }
    } else {
      ASSERT_FALSE(result.ok()) << "expected to fail with: " << pinned->second;
      EXPECT_NE(result.status().message().find(pinned->second), std::string::npos)
          << result.status().message();
      ++failed_as_pinned;
    }
  }
  EXPECT_GT(imported, 150);
  std::cout << "corpus sweep: " << imported << " imported, " << failed_as_pinned
            << " failed as pinned\n";
}

// The JSON formats are told apart by their keys alone: each JSON importer
// claims every file of its corpus folder and no other corpus file.
TEST(CorpusSweepTest, JsonSniffersClaimTheirOwnFilesOnly) {
  KILN_SKIP_WITHOUT_CORPUS();
  struct Claim {
    std::string_view format, folder;
    int min_score;
  };
  constexpr Claim kClaims[] = {
      {"chrome", "chrome-cpuprofile/", 90},
      {"speedscope", "speedscope/", 100},
      {"firefox", "firefox/", 90},
      {"stackprof", "stackprof/", 90},
  };
  int others = 0;
  for (const std::string& path : testing::ListCorpusFiles("")) {
    if (path.starts_with("oracles/") || path.find('/') == std::string::npos) continue;
    std::string data = testing::ReadFileForTest(testing::CorpusPath(path));
    if (IsGzip(data)) {
      auto plain = Gunzip(data, size_t{1} << 30);
      if (!plain.ok()) continue;
      data = *std::move(plain);
    }
    bool own = false;
    for (const Claim& c : kClaims) {
      const int score = ImporterRegistry::Default().Find(c.format)->Sniff(data);
      if (path.starts_with(c.folder)) {
        EXPECT_GE(score, c.min_score) << c.format << " on " << path;
        own = true;
      } else {
        EXPECT_EQ(score, 0) << c.format << " on " << path;
      }
    }
    if (!own) ++others;
  }
  EXPECT_GT(others, 100);
}

TEST(CorpusSweepTest, TruncatedFilesNeverCrash) {
  KILN_SKIP_WITHOUT_CORPUS();
  int errors = 0, oks = 0;
  for (const std::string& path : testing::ListCorpusFiles("")) {
    if (!IsProfileFile(path)) continue;
    std::string data = testing::ReadFileForTest(testing::CorpusPath(path));
    if (IsGzip(data)) {
      auto plain = Gunzip(data, size_t{1} << 30);
      if (!plain.ok()) continue;
      data = *std::move(plain);
    }
    for (size_t cut : {data.size() / 2, data.size() * 9 / 10}) {
      auto result = ImporterRegistry::Default().Import(std::string_view(data).substr(0, cut), path);
      if (result.ok()) {
        ++oks;
      } else {
        ++errors;
        EXPECT_FALSE(result.status().message().empty()) << path;
      }
    }
  }
  EXPECT_GT(errors + oks, 300);
}

}  // namespace
}  // namespace kiln
