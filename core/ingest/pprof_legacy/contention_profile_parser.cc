#include "core/ingest/pprof_legacy/contention_profile_parser.h"

#include <re2/re2.h>

#include <string>
#include <vector>

#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "core/ingest/pprof_legacy/go_integer_syntax.h"
#include "core/ingest/pprof_legacy/heap_sample_scaling.h"
#include "core/ingest/pprof_legacy/hex_addresses.h"
#include "core/ingest/pprof_legacy/memory_map.h"
#include "core/ingest/pprof_legacy/text_lines.h"

namespace kiln::pprof_legacy {
namespace {

const RE2& ContentionSampleRe() {
  static const RE2* re = new RE2(R"((\d+) *(\d+) @([ x0-9a-f]*))");
  return *re;
}

std::string Excerpt(std::string_view line) {
  if (line.size() <= 80) return std::string(line);
  return std::string(line.substr(0, 80)) + "…";
}

absl::Status BadAttribute(size_t line, std::string_view key, std::string_view value, GoIntResult r) {
  return absl::InvalidArgumentError(fmt::format("line {}: attribute '{}': {} ({})", line, key,
                                                Excerpt(value), GoIntResultText(r)));
}

}  // namespace

absl::StatusOr<LegacyProfile> ParseContentionProfile(std::string_view data) {
  TextLines lines(data);
  if (!lines.Next()) return NotThisFormat("empty input");
  const std::string_view header = lines.line();
  if (!header.starts_with("--- contentionz ") && !header.starts_with("--- mutex:") &&
      !header.starts_with("--- contention:")) {
    return NotThisFormat("no '--- contentionz', '--- mutex:' or '--- contention:' header");
  }
  LegacyProfile p;
  p.period_type = {"contentions", "count"};
  p.period = 1;
  p.sample_types = {{"contentions", "count"}, {"delay", "nanoseconds"}};

  int64_t cpu_hz = 0;
  while (lines.Next()) {
    const std::string_view line = TrimSpace(lines.line());
    if (IsSpaceOrComment(line)) continue;
    if (line.starts_with("---")) break;
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) break;  // the first sample
    const std::string_view key = TrimSpace(line.substr(0, eq));
    const std::string_view value = TrimSpace(line.substr(eq + 1));
    GoIntResult r;
    if (key == "cycles/second") {
      if ((r = ParseGoInt(value, 0, &cpu_hz)) != GoIntResult::kOk) {
        return BadAttribute(lines.number(), key, value, r);
      }
    } else if (key == "sampling period") {
      if ((r = ParseGoInt(value, 0, &p.period)) != GoIntResult::kOk) {
        return BadAttribute(lines.number(), key, value, r);
      }
    } else if (key == "ms since reset") {
      int64_t ms;
      if ((r = ParseGoInt(value, 0, &ms)) != GoIntResult::kOk) {
        return BadAttribute(lines.number(), key, value, r);
      }
      if (__builtin_mul_overflow(ms, int64_t{1000000}, &p.duration_nanos)) {
        return BadAttribute(lines.number(), key, value, GoIntResult::kOutOfRange);
      }
    } else if (key == "format" || key == "resolution") {
      // Only Java contention profiles have these.
      return NotThisFormat("Java contention profile");
    } else if (key != "discarded samples") {
      return absl::InvalidArgumentError(fmt::format(
          "line {}: unknown contention profile attribute '{}'", lines.number(), Excerpt(key)));
    }
  }

  std::vector<uint64_t> addresses;
  // The line that ended the attributes is the first sample (or the end).
  do {
    const std::string_view line = TrimSpace(lines.line());
    if (line.starts_with("---")) break;
    if (IsSpaceOrComment(line)) continue;
    const size_t n = lines.number();
    std::string delay_text, count_text, stack;
    if (!RE2::PartialMatch(re2::StringPiece(line.data(), line.size()), ContentionSampleRe(),
                           &delay_text, &count_text, &stack)) {
      return absl::InvalidArgumentError(fmt::format(
          "line {}: not a contention sample (want '<delay> <count> @ 0x… …'): {}", n, Excerpt(line)));
    }
    int64_t delay, count;
    GoIntResult r;
    if ((r = ParseGoInt(delay_text, 10, &delay)) != GoIntResult::kOk ||
        (r = ParseGoInt(count_text, 10, &count)) != GoIntResult::kOk) {
      return absl::InvalidArgumentError(
          fmt::format("line {}: malformed sample: {}: {}", n, GoIntResultText(r), Excerpt(line)));
    }
    // Unsample: delays from cycles to nanoseconds, both times the period.
    if (p.period > 0) {
      if (cpu_hz > 0) {
        const double cpu_ghz = static_cast<double>(cpu_hz) / 1e9;
        if (!GoFloatToInt64(static_cast<double>(delay) * static_cast<double>(p.period) / cpu_ghz,
                            &delay)) {
          return absl::InvalidArgumentError(
              fmt::format("line {}: delay {} cycles overflows int64 nanoseconds", n, delay_text));
        }
      }
      if (__builtin_mul_overflow(count, p.period, &count)) {
        return absl::InvalidArgumentError(fmt::format(
            "line {}: count {} times sampling period {} overflows int64", n, count_text, p.period));
      }
    }
    LegacySample sample;
    sample.values = {count, delay};
    addresses.clear();
    if (absl::Status s = ParseHexAddresses(stack, &addresses); !s.ok()) {
      return absl::InvalidArgumentError(fmt::format("line {}: malformed sample: {}", n, s.message()));
    }
    for (uint64_t a : addresses) sample.locations.push_back(p.LocationAt(a - 1));
    p.samples.push_back(std::move(sample));
  } while (lines.Next());
  ReadMemoryMapSection(&lines, &p);
  return p;
}

}  // namespace kiln::pprof_legacy
