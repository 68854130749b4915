// Where benchmarks find the shared corpus: $KILN_CORPUS_DIR, else the
// directory configured at build time. Benchmarks read files in place and
// run without them (the corpus is optional; the synthetic inputs are not).
// Separate from core/testing/corpus.h, which reports through GoogleTest.
#ifndef KILN_BENCH_CORPUS_FILES_H_
#define KILN_BENCH_CORPUS_FILES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiln::bench {

std::string CorpusDir();
bool HaveCorpus();
// Paths relative to the corpus of every regular file under |subdir|, sorted.
std::vector<std::string> ListCorpusFiles(std::string_view subdir);
// The whole file, or nullopt when it cannot be read.
std::optional<std::string> ReadCorpusFile(std::string_view relative);

}  // namespace kiln::bench

#endif  // KILN_BENCH_CORPUS_FILES_H_
