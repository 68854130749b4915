// Every pprof-compatible file in the shared corpus imports, and the totals
// per sample type equal `go tool pprof -raw`'s (oracles/facts.json).
#include <gtest/gtest.h>

#include "core/testing/corpus.h"
#include "fmt/format.h"
#include "kiln/ingest/importer_registry.h"

namespace kiln {
namespace {

TEST(CorpusImportTest, PprofTotalsMatchGoToolPprof) {
  KILN_SKIP_WITHOUT_CORPUS();
  int checked = 0;
  for (const auto& [path, facts] : testing::CorpusFacts().items()) {
    if (!facts.contains("pprof") || !facts["pprof"].contains("totals")) continue;
    if (!path.starts_with("pprof/")) continue;  // other folders: their importers' tests
    SCOPED_TRACE(path);
    std::string data = testing::ReadFileForTest(testing::CorpusPath(path));
    auto profiles = ImporterRegistry::Default().Import(data, path);
    ASSERT_TRUE(profiles.ok()) << profiles.status();
    ASSERT_EQ(profiles->size(), 1u);
    const Profile& p = (*profiles)[0];
    for (const auto& [key, total] : facts["pprof"]["totals"].items()) {
      std::string type = key;
      if (type.ends_with("[dflt]")) type.resize(type.size() - 6);  // the oracle marks the default
      int index = -1;
      for (size_t i = 0; i < p.sample_types.size(); ++i) {
        if (fmt::format("{}/{}", p.sample_types[i].type, p.sample_types[i].unit) == type) {
          index = static_cast<int>(i);
        }
      }
      ASSERT_GE(index, 0) << "sample type " << type << " missing";
      EXPECT_EQ(p.Total(index), total.get<int64_t>()) << type;
    }
    ++checked;
  }
  EXPECT_GT(checked, 50) << "expected most of the corpus's pprof files to have oracle totals";
}

}  // namespace
}  // namespace kiln
