#include "bench/corpus_files.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace kiln::bench {

namespace fs = std::filesystem;

std::string CorpusDir() {
  if (const char* env = std::getenv("KILN_CORPUS_DIR"); env != nullptr && *env != '\0') return env;
  return KILN_CORPUS_DIR;
}

bool HaveCorpus() { return fs::exists(fs::path(CorpusDir()) / "MANIFEST.md"); }

std::vector<std::string> ListCorpusFiles(std::string_view subdir) {
  std::vector<std::string> out;
  const fs::path root(CorpusDir());
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root / subdir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file()) out.push_back(fs::relative(it->path(), root).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<std::string> ReadCorpusFile(std::string_view relative) {
  std::ifstream in(fs::path(CorpusDir()) / relative, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  if (!in && !in.eof()) return std::nullopt;
  return std::move(ss).str();
}

}  // namespace kiln::bench
