#include "kiln/viewer/name_shortener.h"

#include <cstring>
#include <vector>

namespace kiln::viewer {
namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026
constexpr size_t kMinElidedChars = 3;

bool IsIdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$';
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Length of the C++ operator name starting at |i| ("operator<<",
// "operator()", "operator new[]", "operator bool"), or 0 when there is none.
size_t OperatorLength(std::string_view s, size_t i) {
  constexpr std::string_view kOperator = "operator";
  if (s.substr(i, kOperator.size()) != kOperator) return 0;
  if (i > 0 && IsIdentChar(s[i - 1])) return 0;
  size_t j = i + kOperator.size();
  if (j < s.size() && IsIdentChar(s[j])) return 0;  // "operators", "operator_x"
  const std::string_view rest = s.substr(j);
  if (rest.starts_with("()") || rest.starts_with("[]")) return j + 2 - i;
  size_t k = j;
  while (k < s.size() && std::strchr("+-*/%^&|~!=<>,", s[k]) != nullptr && s[k] != '\0') ++k;
  if (k > j) return k - i;
  if (j < s.size() && s[j] == ' ') {  // new, delete, conversions
    k = j + 1;
    while (k < s.size() && IsIdentChar(s[k])) ++k;
    if (k > j + 1) {
      if (s.substr(k).starts_with("[]")) k += 2;
      return k - i;
    }
  }
  return j - i;
}

char Closer(char open) {
  switch (open) {
    case '(': return ')';
    case '[': return ']';
    case '{': return '}';
    case '<': return '>';
  }
  return '\0';
}

bool IsOpener(char c) { return c == '(' || c == '[' || c == '{' || c == '<'; }

// Index of the bracket closing the group opened at |open|, or npos. Inside
// (), [] and {}, angle brackets are not counted ("(a->b)", "f(1 > 2)"); in
// template arguments they nest.
size_t MatchingClose(std::string_view s, size_t open) {
  std::vector<char> stack{Closer(s[open])};
  size_t i = open + 1;
  while (i < s.size()) {
    if (const size_t op = OperatorLength(s, i); op > 0) {
      i += op;
      continue;
    }
    const char c = s[i];
    const bool in_angle = stack.back() == '>';
    if (c == stack.back()) {
      stack.pop_back();
      if (stack.empty()) return i;
    } else if (c == '(' || c == '[' || c == '{' || (c == '<' && in_angle)) {
      stack.push_back(Closer(c));
    }
    ++i;
  }
  return std::string_view::npos;
}

// '(' at |i| opens a parameter list unless it starts the name or follows a
// separator or a space: "(anonymous namespace)::", Go's "pkg.(*T).M",
// Python's "f (file.py:3)".
bool IsParameterList(std::string_view s, size_t i) {
  if (i == 0) return false;
  const char prev = s[i - 1];
  return prev != '.' && prev != '/' && prev != ':' && prev != ' ';
}

// Start offsets of the qualified-name components after the first
// ("a::b.c/d" -> offsets of b, c, d), at bracket depth 0. A '.' before a
// digit is not a separator ("libc.so.6", "func1.2").
std::vector<size_t> ComponentStarts(std::string_view s) {
  std::vector<size_t> starts;
  size_t i = 0;
  while (i < s.size()) {
    if (const size_t op = OperatorLength(s, i); op > 0) {
      i += op;
      continue;
    }
    const char c = s[i];
    if (IsOpener(c)) {
      const size_t close = MatchingClose(s, i);
      if (close == std::string_view::npos) break;
      i = close + 1;
      continue;
    }
    size_t sep = 0;
    if (c == ':' && i + 1 < s.size() && s[i + 1] == ':') {
      sep = 2;
    } else if (c == '/' || (c == '.' && i + 1 < s.size() && !IsDigit(s[i + 1]))) {
      sep = 1;
    }
    if (sep > 0) {
      if (i > 0 && i + sep < s.size()) starts.push_back(i + sep);
      i += sep;
      continue;
    }
    ++i;
  }
  return starts;
}

// Byte offset of the |n|-th code point of |s| (s.size() past the end).
size_t OffsetOfCodePoint(std::string_view s, size_t n) {
  size_t seen = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (seen == n) return i;
      ++seen;
    }
  }
  return s.size();
}

}  // namespace

size_t CodePointCount(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string DropParameterLists(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool seen_parameters = false;
  size_t return_type_end = 0;  // in |out|: a depth-0 space before the first parameter list
  bool after_operator = false;  // "operator<< <T>(…)": that space is not a return type's
  size_t i = 0;
  while (i < s.size()) {
    if (const size_t op = OperatorLength(s, i); op > 0) {
      out.append(s.substr(i, op));
      i += op;
      after_operator = true;
      continue;
    }
    const char c = s[i];
    const bool follows_operator = after_operator;
    after_operator = false;
    if (IsOpener(c)) {
      const size_t close = MatchingClose(s, i);
      if (close == std::string_view::npos) {
        out.append(s.substr(i));
        break;
      }
      if (c == '(' && IsParameterList(s, i)) {
        out.append("()");
        seen_parameters = true;
        i = close + 1;
        // " const", " &&", " [clone .cold]", " noexcept": qualifiers, dropped.
        if (i < s.size() && s[i] == ' ') break;
        continue;
      }
      out.append(s.substr(i, close + 1 - i));
      i = close + 1;
      continue;
    }
    if (c == ' ' && !seen_parameters && !follows_operator) return_type_end = out.size() + 1;
    out.push_back(c);
    ++i;
  }
  // "void ns::f<int>()" -> "ns::f<int>()": only with a parameter list, which
  // tells a return type from a name with spaces ("process (worker.py:42)").
  if (seen_parameters && return_type_end > 0 && return_type_end < out.size()) {
    out.erase(0, return_type_end);
  }
  return out;
}

std::string DropTemplateArguments(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    if (const size_t op = OperatorLength(s, i); op > 0) {
      out.append(s.substr(i, op));
      i += op;
      continue;
    }
    const char c = s[i];
    if (IsOpener(c)) {
      const size_t close = MatchingClose(s, i);
      if (close == std::string_view::npos) {
        out.append(s.substr(i));
        break;
      }
      if (c == '<') {
        out.append("<>");
      } else {
        out.append(s.substr(i, close + 1 - i));
      }
      i = close + 1;
      continue;
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

std::string ElideMiddle(std::string_view s, size_t max_chars) {
  const size_t chars = CodePointCount(s);
  if (chars <= max_chars) return std::string(s);
  if (max_chars < kMinElidedChars) return "";
  const size_t head = max_chars / 2;             // ceil((max - 1) / 2)
  const size_t tail = (max_chars - 1) - head;  // floor((max - 1) / 2)
  std::string out(s.substr(0, OffsetOfCodePoint(s, head)));
  out.append(kEllipsis);
  out.append(s.substr(OffsetOfCodePoint(s, chars - tail)));
  return out;
}

std::string ShortenName(std::string_view name, size_t max_chars) {
  if (max_chars == 0) return "";
  if (CodePointCount(name) <= max_chars) return std::string(name);
  std::string s = DropParameterLists(name);
  if (CodePointCount(s) <= max_chars) return s;
  s = DropTemplateArguments(s);
  if (CodePointCount(s) <= max_chars) return s;
  const std::vector<size_t> starts = ComponentStarts(s);
  for (size_t start : starts) {
    const std::string_view rest = std::string_view(s).substr(start);
    if (CodePointCount(rest) <= max_chars) return std::string(rest);
  }
  const std::string_view last = starts.empty() ? std::string_view(s) : std::string_view(s).substr(starts.back());
  return ElideMiddle(last, max_chars);
}

}  // namespace kiln::viewer
