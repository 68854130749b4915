#include "server/daemon/ingest_request.h"

#include <cctype>
#include <charconv>
#include <limits>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "server/daemon/label_checks.h"

namespace kiln::server {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsServiceNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == '-' || c == '/';
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Seconds per unit of a time offset, by Pyroscope's prefixes ("mon"/"M"
// before "min"/"m").
int64_t UnitSeconds(std::string_view unit) {
  if (unit.starts_with("s")) return 1;
  if (unit.starts_with("mon") || unit.starts_with("M")) return 30 * 86400;
  if (unit.starts_with("min") || unit.starts_with("m")) return 60;
  if (unit.starts_with("h")) return 3600;
  if (unit.starts_with("d")) return 86400;
  if (unit.starts_with("w")) return 7 * 86400;
  if (unit.starts_with("y")) return 365 * 86400;
  return 0;
}

std::string_view First(const std::multimap<std::string, std::string>& params, const std::string& name) {
  auto it = params.find(name);
  return it == params.end() ? std::string_view() : std::string_view(it->second);
}

}  // namespace

absl::StatusOr<AppLabelSet> ParseAppLabelSet(std::string_view name) {
  AppLabelSet out;
  const size_t brace = name.find('{');
  const std::string_view app = Trim(name.substr(0, brace));
  if (app.empty()) {
    return absl::InvalidArgumentError(
        "name: the application name is empty (expected name=app{label=value,...})");
  }
  for (size_t i = 0; i < app.size(); ++i) {
    if (!IsServiceNameChar(app[i])) {
      return absl::InvalidArgumentError(fmt::format(
          "name: at offset {}: character {:?} is not allowed in an application name (allowed: A-Z a-z 0-9 _ . - /)",
          static_cast<size_t>(app.data() - name.data()) + i, std::string(1, app[i])));
    }
  }
  out.app_name = std::string(app);
  if (brace == std::string_view::npos) return out;

  const size_t close = name.find('}', brace);
  if (close == std::string_view::npos) {
    return absl::InvalidArgumentError(fmt::format("name: at offset {}: '{{' is never closed by '}}'", brace));
  }
  if (!Trim(name.substr(close + 1)).empty()) {
    return absl::InvalidArgumentError(
        fmt::format("name: at offset {}: unexpected text after the closing '}}'", close + 1));
  }
  size_t pos = brace + 1;
  while (pos < close) {
    size_t end = name.find(',', pos);
    if (end == std::string_view::npos || end > close) end = close;
    const std::string_view item = name.substr(pos, end - pos);
    if (!Trim(item).empty()) {
      const size_t eq = item.find('=');
      if (eq == std::string_view::npos) {
        return absl::InvalidArgumentError(
            fmt::format("name: at offset {}: label {:?} has no '=' (expected label=value)", pos,
                        std::string(Trim(item))));
      }
      const std::string_view key = Trim(item.substr(0, eq));
      const std::string_view value = Trim(item.substr(eq + 1));
      if (absl::Status s = CheckLabel(key, value); !s.ok()) {
        return absl::InvalidArgumentError(fmt::format("name: at offset {}: {}", pos, s.message()));
      }
      out.labels.emplace_back(std::string(key), std::string(value));
    }
    pos = end + 1;
  }
  return out;
}

absl::StatusOr<int64_t> ParseAtTime(std::string_view text, int64_t now_nanos) {
  std::string s;
  for (char c : text) {
    if (c != '_' && c != ',' && c != ' ') s.push_back(c);
  }
  auto error = [&] {
    return absl::InvalidArgumentError(fmt::format(
        "cannot read time {:?}: expected unix seconds, milliseconds, microseconds or nanoseconds, YYYYMMDD, "
        "or now-<n><unit> (e.g. now-1h)",
        std::string(text.substr(0, 64))));
  };
  if (AllDigits(s)) {
    if (s.size() == 8) {
      const int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(4, 2)), d = std::stoi(s.substr(6, 2));
      if (y > 1900 && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
        return absl::ToUnixNanos(absl::FromCivil(absl::CivilDay(y, m, d), absl::UTCTimeZone()));
      }
    }
    if (s.size() > 19) return error();
    uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) return error();
    int64_t scale;
    switch (s.size()) {
      case 13: scale = 1000000; break;  // milliseconds
      case 16: scale = 1000; break;     // microseconds
      case 19: scale = 1; break;        // nanoseconds
      default: scale = 1000000000;      // seconds
    }
    if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max() / scale)) return error();
    return static_cast<int64_t>(v) * scale;
  }
  // now, now-1h, now+30m, -1h, now-1h30m
  std::string_view rest = s;
  if (rest.starts_with("now")) rest.remove_prefix(3);
  if (rest.empty()) return now_nanos;
  const int64_t sign = rest.front() == '-' ? -1 : rest.front() == '+' ? 1 : 0;
  if (sign == 0) return error();
  rest.remove_prefix(1);
  if (rest.empty()) return error();
  int64_t offset_seconds = 0;
  while (!rest.empty()) {
    size_t digits = 0;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
    if (digits == 0 || digits > 9) return error();
    int64_t n = 0;
    std::from_chars(rest.data(), rest.data() + digits, n);
    rest.remove_prefix(digits);
    size_t letters = 0;
    while (letters < rest.size() && !(rest[letters] >= '0' && rest[letters] <= '9')) ++letters;
    const int64_t unit = UnitSeconds(rest.substr(0, letters));
    if (unit == 0) return error();
    rest.remove_prefix(letters);
    offset_seconds += n * unit;
    if (offset_seconds > int64_t{200} * 365 * 86400) return error();
  }
  return now_nanos + sign * offset_seconds * 1000000000;
}

absl::StatusOr<IngestRequest> ParseIngestRequest(const std::multimap<std::string, std::string>& params,
                                                 int64_t now_nanos) {
  IngestRequest req;
  for (const auto& [key, value] : params) {
    if (size_t bad = FindInvalidUtf8(value); bad != std::string::npos) {
      return absl::InvalidArgumentError(fmt::format("{}: value is not valid UTF-8 (byte {})", key, bad));
    }
  }
  if (params.find("name") == params.end()) {
    return absl::InvalidArgumentError("name: required query parameter is missing (e.g. name=myapp{env=prod})");
  }
  auto name = ParseAppLabelSet(First(params, "name"));
  if (!name.ok()) return name.status();
  req.name = *std::move(name);

  req.from_nanos = req.until_nanos = now_nanos;
  for (const char* key : {"from", "until"}) {
    const std::string_view text = First(params, key);
    if (text.empty()) continue;
    auto t = ParseAtTime(text, now_nanos);
    if (!t.ok()) return absl::InvalidArgumentError(fmt::format("{}: {}", key, t.status().message()));
    (std::string_view(key) == "from" ? req.from_nanos : req.until_nanos) = *t;
  }
  if (req.until_nanos < req.from_nanos) {
    return absl::InvalidArgumentError(fmt::format("until ({}) is before from ({}): the time range is empty",
                                                  First(params, "until"), First(params, "from")));
  }
  if (const std::string_view rate = First(params, "sampleRate"); !rate.empty()) {
    uint32_t v = 0;
    auto [end, ec] = std::from_chars(rate.data(), rate.data() + rate.size(), v);
    // As Pyroscope: an unreadable rate falls back to the default of 100.
    if (ec == std::errc() && end == rate.data() + rate.size()) {
      req.sample_rate = v;
      req.sample_rate_given = true;
    }
  }
  if (const std::string_view spy = First(params, "spyName"); !spy.empty()) req.spy_name = std::string(spy);
  if (const std::string_view units = First(params, "units"); !units.empty()) req.units = std::string(units);
  if (const std::string_view agg = First(params, "aggregationType"); !agg.empty()) {
    req.aggregation_type = std::string(agg);
  }
  for (char c : First(params, "format")) req.format.push_back(static_cast<char>(std::tolower(c)));
  return req;
}

}  // namespace kiln::server
