// Every importer's fuzz seeds (core/ingest/<format>/fuzz_seeds/) are real
// inputs, read here by their directory's importer (the one the fuzzer
// drives; <format> with '_' as '-'): each imports, except those
// named as broken (bad-*, broken-*, cycle*, *-error*), which fail with a
// message or, where the format skips bad records, import with a data-loss
// note. So the seeds stay valid starting points for the fuzzers, and
// the broken ones stay broken for the reason their name gives.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>

#include "core/testing/corpus.h"
#include "kiln/ingest/importer_registry.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

bool NamedBroken(const std::string& name) {
  return name.starts_with("bad-") || name.starts_with("broken-") || name.starts_with("cycle") ||
         name.find("-error") != std::string::npos;
}

TEST(FuzzSeedsTest, EverySeedImportsOrFailsAsItsNameSays) {
  int formats = 0, seeds = 0;
  for (const auto& dir : fs::directory_iterator(fs::path(KILN_SOURCE_DIR) / "core/ingest")) {
    const fs::path seed_dir = dir.path() / "fuzz_seeds";
    if (!fs::is_directory(seed_dir)) continue;
    ++formats;
    std::string format = dir.path().filename().string();
    std::replace(format.begin(), format.end(), '_', '-');
    ASSERT_NE(ImporterRegistry::Default().Find(format), nullptr) << format;
    int in_dir = 0;
    for (const auto& entry : fs::directory_iterator(seed_dir)) {
      const std::string name = entry.path().filename().string();
      SCOPED_TRACE(entry.path().string());
      const std::string data = testing::ReadFileForTest(entry.path().string());
      auto result = ImporterRegistry::Default().Import(data, name, format);
      if (NamedBroken(name) && result.ok()) {
        // Formats that skip bad records import what is left, and say so.
        bool reported = false;
        for (const Profile& p : *result) reported |= p.stats.HasDataLoss();
        EXPECT_TRUE(reported) << "a seed named as broken imports without a data-loss note";
      } else if (NamedBroken(name)) {
        EXPECT_FALSE(result.status().message().empty());
      } else {
        EXPECT_TRUE(result.ok()) << result.status();
      }
      ++in_dir;
    }
    EXPECT_GE(in_dir, 3) << seed_dir << ": a fuzzer needs a few seeds";
    seeds += in_dir;
  }
  EXPECT_GE(formats, 10);
  std::cout << seeds << " seeds of " << formats << " importers checked\n";
}

}  // namespace
}  // namespace kiln
