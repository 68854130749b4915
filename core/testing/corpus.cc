#include "core/testing/corpus.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace kiln::testing {

namespace fs = std::filesystem;

std::string CorpusDir() {
  if (const char* env = std::getenv("KILN_CORPUS_DIR"); env != nullptr && *env != '\0') return env;
  return KILN_CORPUS_DIR;
}

bool HaveCorpus() { return fs::exists(fs::path(CorpusDir()) / "MANIFEST.md"); }

std::string CorpusPath(std::string_view relative) {
  return (fs::path(CorpusDir()) / relative).string();
}

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

const nlohmann::json& CorpusFacts() {
  static const nlohmann::json* facts = [] {
    auto* j = new nlohmann::json(nlohmann::json::object());
    std::ifstream in(CorpusPath("oracles/facts.json"));
    if (in) {
      auto parsed = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
      if (!parsed.is_discarded()) *j = std::move(parsed);
    }
    return j;
  }();
  return *facts;
}

std::string ReadFileForTest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    return {};
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace kiln::testing
