#include "core/ingest/perf_script/frame_naming.h"

#include <algorithm>

#include "core/ingest/perf_script/symbol_demangler.h"

namespace kiln {
namespace {

// Go method names keep their parentheses: "pkg.(*T).Method".
bool LooksLikeGoMethod(std::string_view name) {
  const size_t open = name.find(".(");
  return open != std::string_view::npos && name.find(").", open + 2) != std::string_view::npos;
}

// Position of the first '(' that is not "(anonymous namespace)".
size_t ArgumentListStart(std::string_view name) {
  constexpr std::string_view kAnonymous = "(anonymous namespace)";
  for (size_t i = name.find('('); i != std::string_view::npos; i = name.find('(', i + 1)) {
    if (!name.substr(i).starts_with(kAnonymous)) return i;
  }
  return std::string_view::npos;
}

}  // namespace

std::string PerfFrameName(std::string_view symbol, std::string_view dso, bool java_process,
                          bool demangle) {
  std::string name;
  if (symbol == "[unknown]") {
    if (dso.empty() || dso == "[unknown]") {
      name = "[unknown]";
    } else {
      const size_t slash = dso.rfind('/');
      name = "[" + std::string(slash == std::string_view::npos ? dso : dso.substr(slash + 1)) + "]";
    }
  } else if (auto demangled = demangle ? DemangleSymbol(symbol) : std::nullopt) {
    std::replace(demangled->begin(), demangled->end(), ';', ':');
    return *std::move(demangled);
  } else {
    name = std::string(symbol);
  }

  if (!LooksLikeGoMethod(name)) {
    if (size_t args = ArgumentListStart(name); args != std::string::npos) name.resize(args);
  }
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (c == ';') {
      out.push_back(':');
    } else if (c != '"' && c != '\'') {
      out.push_back(c);
    }
  }
  if (java_process && out.starts_with('L') && out.find('/') != std::string::npos) out.erase(0, 1);
  return out;
}

std::string PerfProcessFrameName(std::string_view comm) {
  std::string out(comm);
  for (char& c : out) {
    if (c == ' ') c = '_';
  }
  return out;
}

}  // namespace kiln
