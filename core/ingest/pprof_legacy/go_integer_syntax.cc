#include "core/ingest/pprof_legacy/go_integer_syntax.h"

namespace kiln::pprof_legacy {
namespace {

char Lower(char c) { return static_cast<char>(c | ('x' - 'X')); }

// strconv's underscoreOK: underscores only between digits (a base prefix
// counts as a digit).
bool UnderscoresOk(std::string_view s) {
  char saw = '^';
  size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0' &&
      (Lower(s[1]) == 'b' || Lower(s[1]) == 'o' || Lower(s[1]) == 'x')) {
    i = 2;
    saw = '0';
    hex = Lower(s[1]) == 'x';
  }
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if ((c >= '0' && c <= '9') || (hex && Lower(c) >= 'a' && Lower(c) <= 'f')) {
      saw = '0';
      continue;
    }
    if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

}  // namespace

GoIntResult ParseGoUint(std::string_view s, int base, uint64_t* out) {
  *out = 0;
  if (s.empty()) return GoIntResult::kSyntaxError;
  const std::string_view whole = s;
  const bool base0 = base == 0;
  if (base0) {
    base = 10;
    if (s[0] == '0') {
      if (s.size() >= 3 && Lower(s[1]) == 'b') {
        base = 2;
        s.remove_prefix(2);
      } else if (s.size() >= 3 && Lower(s[1]) == 'o') {
        base = 8;
        s.remove_prefix(2);
      } else if (s.size() >= 3 && Lower(s[1]) == 'x') {
        base = 16;
        s.remove_prefix(2);
      } else {
        base = 8;
        s.remove_prefix(1);
      }
    }
  } else if (base < 2 || base > 36) {
    return GoIntResult::kSyntaxError;
  }
  bool underscores = false;
  uint64_t n = 0;
  for (char c : s) {
    int d;
    if (c == '_' && base0) {
      underscores = true;
      continue;
    } else if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (Lower(c) >= 'a' && Lower(c) <= 'z') {
      d = Lower(c) - 'a' + 10;
    } else {
      return GoIntResult::kSyntaxError;
    }
    if (d >= base) return GoIntResult::kSyntaxError;
    // Like strconv, the first overflow ends the scan.
    if (__builtin_mul_overflow(n, static_cast<uint64_t>(base), &n) ||
        __builtin_add_overflow(n, static_cast<uint64_t>(d), &n)) {
      *out = ~uint64_t{0};
      return GoIntResult::kOutOfRange;
    }
  }
  if (underscores && !UnderscoresOk(whole)) return GoIntResult::kSyntaxError;
  *out = n;
  return GoIntResult::kOk;
}

GoIntResult ParseGoInt(std::string_view s, int base, int64_t* out) {
  *out = 0;
  if (s.empty()) return GoIntResult::kSyntaxError;
  bool negative = false;
  std::string_view digits = s;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    digits.remove_prefix(1);
  }
  uint64_t u;
  GoIntResult r = ParseGoUint(digits, base, &u);
  // strconv re-checks underscores against the signed string; the sign does
  // not change the verdict.
  if (r != GoIntResult::kOk) return r;
  constexpr uint64_t kCutoff = uint64_t{1} << 63;
  if (!negative && u >= kCutoff) return GoIntResult::kOutOfRange;
  if (negative && u > kCutoff) return GoIntResult::kOutOfRange;
  *out = negative ? static_cast<int64_t>(0 - u) : static_cast<int64_t>(u);
  return GoIntResult::kOk;
}

std::string_view GoIntResultText(GoIntResult r) {
  switch (r) {
    case GoIntResult::kOk:
      return "ok";
    case GoIntResult::kSyntaxError:
      return "invalid syntax";
    case GoIntResult::kOutOfRange:
      return "value out of range";
  }
  return "invalid";
}

}  // namespace kiln::pprof_legacy
