// Test-only access to the shared profile corpus (../shared/corpus): real
// files from real profilers, plus oracles/facts.json with independent
// readings (go tool pprof totals, stackcollapse output, jfr summaries).
// Tests read files in place and skip with a clear message when the corpus
// is absent; the corpus is never copied into the project.
#ifndef KILN_CORE_TESTING_CORPUS_H_
#define KILN_CORE_TESTING_CORPUS_H_

#include <string>
#include <string_view>
#include <vector>

#include "nlohmann/json.hpp"

namespace kiln::testing {

// $KILN_CORPUS_DIR if set, else the directory configured at build time.
std::string CorpusDir();
bool HaveCorpus();
// Absolute path of |relative| inside the corpus.
std::string CorpusPath(std::string_view relative);
// Paths relative to the corpus of every regular file under |subdir|, sorted.
std::vector<std::string> ListCorpusFiles(std::string_view subdir);
// oracles/facts.json (empty object when absent).
const nlohmann::json& CorpusFacts();
// The whole file; fails the calling test (ADD_FAILURE) and returns "" on error.
std::string ReadFileForTest(const std::string& path);

}  // namespace kiln::testing

#define KILN_SKIP_WITHOUT_CORPUS()                                                        \
  do {                                                                                    \
    if (!::kiln::testing::HaveCorpus()) {                                                 \
      GTEST_SKIP() << "shared corpus not found at " << ::kiln::testing::CorpusDir()       \
                   << " (set KILN_CORPUS_DIR to run the corpus tests)";                   \
    }                                                                                     \
  } while (0)

#endif  // KILN_CORE_TESTING_CORPUS_H_
