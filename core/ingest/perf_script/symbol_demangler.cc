#include "core/ingest/perf_script/symbol_demangler.h"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>

#include "core/ingest/perf_script/rust_v0_demangler.h"

namespace kiln {
namespace {

// Longer names are left alone: the C++ demangler's work grows with them and
// nothing readable comes out of a 4 KB mangled name anyway.
constexpr size_t kMaxMangledLength = 4096;

bool IsHexDigit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

std::optional<std::string> DemangleItanium(const std::string& mangled) {
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> result(
      abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status), &std::free);
  if (status != 0 || result == nullptr) return std::nullopt;
  return std::string(result.get());
}

// Legacy Rust names demangle as Itanium ones ending in "::h<16 hex>"; the
// hash goes, and the "$LT$"-style escapes and ".." (for "::") are decoded.
bool CleanLegacyRust(std::string* name) {
  constexpr size_t kHashSuffix = 3 + 16;  // "::h" + 16 hex digits
  if (name->size() <= kHashSuffix) return false;
  const std::string_view tail = std::string_view(*name).substr(name->size() - kHashSuffix);
  if (!tail.starts_with("::h")) return false;
  for (char c : tail.substr(3)) {
    if (!IsHexDigit(c)) return false;
  }
  std::string_view in = std::string_view(*name).substr(0, name->size() - kHashSuffix);
  std::string out;
  out.reserve(in.size());
  // A leading "_$" escapes a '$' that starts an identifier.
  for (size_t i = 0; i < in.size();) {
    if (in[i] == '$') {
      const size_t end = in.find('$', i + 1);
      if (end == std::string_view::npos) return false;
      const std::string_view code = in.substr(i + 1, end - i - 1);
      static constexpr std::pair<std::string_view, std::string_view> kEscapes[] = {
          {"SP", "@"}, {"BP", "*"}, {"RF", "&"}, {"LT", "<"}, {"GT", ">"},
          {"LP", "("}, {"RP", ")"}, {"C", ","},
      };
      bool known = false;
      for (const auto& [from, to] : kEscapes) {
        if (code == from) {
          out += to;
          known = true;
          break;
        }
      }
      if (!known) {
        // "$u7e$" is a code point in hex; only ASCII appears in practice.
        if (code.size() < 2 || code.size() > 3 || code[0] != 'u') return false;
        unsigned v = 0;
        for (char c : code.substr(1)) {
          if (!IsHexDigit(c)) return false;
          v = v * 16 + static_cast<unsigned>(c <= '9' ? c - '0' : 10 + (c - 'a'));
        }
        if (v < 0x20 || v > 0x7E) return false;
        out += static_cast<char>(v);
      }
      i = end + 1;
    } else if (in.substr(i).starts_with("..")) {
      out += "::";
      i += 2;
    } else if (in.substr(i).starts_with("_$") && (i == 0 || (i >= 2 && in.substr(i - 2, 2) == "::"))) {
      ++i;
    } else {
      out += in[i++];
    }
  }
  *name = std::move(out);
  return true;
}

// "ns::Foo<int>::bar(int, char const*) const [clone .cold]" -> "ns::Foo<int>::bar".
void DropParameterList(std::string* name) {
  std::string_view n = *name;
  bool changed = true;
  while (changed) {
    changed = false;
    if (n.ends_with("]")) {
      if (size_t clone = n.rfind(" [clone "); clone != std::string_view::npos) {
        n = n.substr(0, clone);
        changed = true;
      }
    }
    for (std::string_view q : {" const", " volatile", " &&", " &"}) {
      if (n.ends_with(q)) {
        n.remove_suffix(q.size());
        changed = true;
      }
    }
  }
  if (!n.ends_with(')')) return;
  int depth = 0;
  for (size_t i = n.size(); i-- > 0;) {
    if (n[i] == ')') {
      ++depth;
    } else if (n[i] == '(' && --depth == 0) {
      if (i > 0) name->resize(i);
      return;
    }
  }
}

}  // namespace

std::optional<std::string> DemangleSymbol(std::string_view symbol) {
  if (symbol.size() > kMaxMangledLength) return std::nullopt;
  if (symbol.starts_with("_R") || symbol.starts_with("__R")) return DemangleRustV0(symbol);
  std::string mangled(symbol);
  // Mach-O symbols carry one more leading underscore.
  if (mangled.starts_with("__Z")) mangled.erase(0, 1);
  if (!mangled.starts_with("_Z")) return std::nullopt;
  // Compiler clones ("_Z3foov.cold") demangle with a "[clone .cold]" suffix.
  auto demangled = DemangleItanium(mangled);
  if (!demangled) return std::nullopt;
  if (!(mangled.starts_with("_ZN") && CleanLegacyRust(&*demangled))) DropParameterList(&*demangled);
  return demangled;
}

}  // namespace kiln
