#include "kiln/viewer/package_color.h"

#include <vector>

#include "kiln/viewer/color_key.h"
#include "kiln/viewer/name_shortener.h"

namespace kiln::viewer {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

// Byte offsets of depth-0 separators in a name whose parameter lists and
// template arguments are already collapsed ("()" and "<>" hold no
// separators, but receivers such as "(*T)" may: skip bracket groups).
struct Separators {
  std::vector<size_t> dots;       // '.' not before a digit
  std::vector<size_t> colons;     // first ':' of "::"
  std::vector<size_t> slashes;
};

Separators FindSeparators(std::string_view s) {
  Separators seps;
  int depth = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '(' || c == '[' || c == '{' || c == '<') {
      ++depth;
    } else if ((c == ')' || c == ']' || c == '}' || c == '>') && depth > 0) {
      --depth;
    } else if (depth == 0) {
      if (c == '.' && i + 1 < s.size() && !IsDigit(s[i + 1])) {
        seps.dots.push_back(i);
      } else if (c == ':' && i + 1 < s.size() && s[i + 1] == ':') {
        seps.colons.push_back(i);
        ++i;
      } else if (c == '/') {
        seps.slashes.push_back(i);
      }
    }
  }
  return seps;
}

}  // namespace

std::string PackageOf(std::string_view name) {
  const std::string s = DropTemplateArguments(DropParameterLists(name));
  const Separators seps = FindSeparators(s);
  if (!seps.slashes.empty() && seps.slashes.back() > 0) {
    // Go import path: up to the first '.' after the last '/'.
    for (size_t dot : seps.dots) {
      if (dot > seps.slashes.back()) return s.substr(0, dot);
    }
    return s.substr(0, seps.slashes.back());
  }
  if (!seps.colons.empty() && seps.colons.front() > 0) return s.substr(0, seps.colons.front());
  if (!seps.dots.empty() && seps.dots.front() > 0) {
    // Java: the components before the class (the first capitalised one).
    if (!IsUpper(s[0])) {
      for (size_t dot : seps.dots) {
        if (dot + 1 < s.size() && IsUpper(s[dot + 1])) return s.substr(0, dot);
      }
    }
    // Go without a path, Python modules: the first component.
    return s.substr(0, seps.dots.front());
  }
  return s;
}

uint8_t PackagePaletteIndex(std::string_view name) {
  const std::string package = PackageOf(name);
  uint32_t hash = 2166136261u;  // FNV-1a, 32 bit
  for (unsigned char c : package) {
    hash ^= c;
    hash *= 16777619u;
  }
  return static_cast<uint8_t>(hash % kPackagePaletteSize);
}

}  // namespace kiln::viewer
