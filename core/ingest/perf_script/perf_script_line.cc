#include "core/ingest/perf_script/perf_script_line.h"

#include <array>
#include <charconv>
#include <limits>

namespace kiln {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

bool ParseInt(std::string_view s, int64_t* out) {
  if (!AllDigits(s)) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

// "<pid>/<tid>" or "<tid>".
bool ParseTid(std::string_view token, int64_t* pid, int64_t* tid) {
  const size_t slash = token.find('/');
  if (slash == std::string_view::npos) {
    *pid = -1;
    return ParseInt(token, tid);
  }
  return ParseInt(token.substr(0, slash), pid) && ParseInt(token.substr(slash + 1), tid);
}

// "[003]"
bool ParseCpu(std::string_view token, int32_t* cpu) {
  if (token.size() < 3 || token.front() != '[' || token.back() != ']') return false;
  int64_t v;
  if (!ParseInt(token.substr(1, token.size() - 2), &v) || v > std::numeric_limits<int32_t>::max()) {
    return false;
  }
  *cpu = static_cast<int32_t>(v);
  return true;
}

// "203265.377019:" -> nanoseconds
bool ParseTime(std::string_view token, int64_t* nanos) {
  if (token.size() < 4 || token.back() != ':') return false;
  token.remove_suffix(1);
  const size_t dot = token.find('.');
  if (dot == std::string_view::npos) return false;
  int64_t secs;
  std::string_view frac = token.substr(dot + 1);
  if (!ParseInt(token.substr(0, dot), &secs) || !AllDigits(frac)) return false;
  if (secs > std::numeric_limits<int64_t>::max() / 1000000000 - 1) return false;
  int64_t ns = 0;
  for (size_t i = 0; i < 9; ++i) ns = ns * 10 + (i < frac.size() ? frac[i] - '0' : 0);
  *nanos = secs * 1000000000 + ns;
  return true;
}

// "cycles:", "cpu-clock:ppp:", "sched:sched_switch:", "probe_libc:malloc:".
bool ParseEvent(std::string_view token, std::string_view* event) {
  if (token.size() < 2 || token.back() != ':') return false;
  if (!IsAlpha(token.front()) && token.front() != '_') return false;
  *event = token.substr(0, token.size() - 1);
  return true;
}

constexpr size_t kMaxTokens = 24;  // comm is at most 15 bytes, so the tid comes early

struct Tokens {
  std::array<std::string_view, kMaxTokens> t;
  size_t n = 0;
};

void Tokenize(std::string_view line, Tokens* out) {
  size_t i = 0;
  while (i < line.size() && out->n < kMaxTokens) {
    while (i < line.size() && IsSpace(line[i])) ++i;
    if (i == line.size()) break;
    const size_t start = i;
    while (i < line.size() && !IsSpace(line[i])) ++i;
    out->t[out->n++] = line.substr(start, i - start);
  }
}

// Matches "[cpu] [time:] [period] [event:]" from token |q|; a header needs a
// time or an event so that "name 12" alone is not mistaken for one.
bool ParseAfterTid(const Tokens& tokens, size_t q, PerfSampleHeader* h) {
  h->cpu = -1;
  h->time_nanos = -1;
  h->period = -1;
  h->event = {};
  if (q < tokens.n && ParseCpu(tokens.t[q], &h->cpu)) ++q;
  if (q < tokens.n && ParseTime(tokens.t[q], &h->time_nanos)) ++q;
  if (q < tokens.n && ParseInt(tokens.t[q], &h->period)) ++q;
  if (q < tokens.n && ParseEvent(tokens.t[q], &h->event)) return true;
  // "-F comm,tid,time" prints no event at all.
  return h->time_nanos >= 0 && q == tokens.n;
}

}  // namespace

bool ParsePerfSampleHeader(std::string_view line, PerfSampleHeader* out) {
  if (line.empty() || IsSpace(line.front())) return false;
  Tokens tokens;
  Tokenize(line, &tokens);
  for (size_t p = 1; p < tokens.n; ++p) {
    int64_t pid, tid;
    if (!ParseTid(tokens.t[p], &pid, &tid)) continue;
    PerfSampleHeader h;
    if (!ParseAfterTid(tokens, p + 1, &h)) continue;
    const std::string_view& last_comm = tokens.t[p - 1];
    h.comm = line.substr(0, static_cast<size_t>(last_comm.data() + last_comm.size() - line.data()));
    h.pid = pid;
    h.tid = tid;
    *out = h;
    return true;
  }
  return false;
}

bool ParsePerfFrame(std::string_view line, PerfFrame* out) {
  size_t i = 0;
  while (i < line.size() && IsSpace(line[i])) ++i;
  size_t end = line.size();
  while (end > i && IsSpace(line[end - 1])) --end;
  line = line.substr(i, end - i);
  size_t a = 0;
  while (a < line.size() && IsHexDigit(line[a])) ++a;
  if (a == 0 || a > 16 || (a < line.size() && !IsSpace(line[a]))) return false;
  uint64_t address = 0;
  std::from_chars(line.data(), line.data() + a, address, 16);
  std::string_view rest = line.substr(a);
  while (!rest.empty() && IsSpace(rest.front())) rest.remove_prefix(1);

  PerfFrame f;
  f.address = address;
  std::string_view symbol = rest;
  if (rest.ends_with(')')) {
    if (size_t open = rest.rfind(" ("); open != std::string_view::npos) {
      f.dso = rest.substr(open + 2, rest.size() - open - 3);
      f.has_dso = true;
      symbol = rest.substr(0, open);
      while (!symbol.empty() && IsSpace(symbol.back())) symbol.remove_suffix(1);
    } else if (rest.front() == '(') {
      // "(dso)" with no symbol.
      f.dso = rest.substr(1, rest.size() - 2);
      f.has_dso = true;
      symbol = {};
    }
  }
  // Linux 4.8+ prints "symbol+0x1f"; the offset is not part of the name.
  if (size_t plus = symbol.rfind("+0x"); plus != std::string_view::npos && plus > 0) {
    std::string_view off = symbol.substr(plus + 3);
    bool hex = !off.empty();
    for (char c : off) hex = hex && IsHexDigit(c);
    if (hex) symbol = symbol.substr(0, plus);
  }
  f.symbol = symbol.empty() ? std::string_view("[unknown]") : symbol;
  *out = f;
  return true;
}

}  // namespace kiln
