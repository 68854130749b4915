#include "core/ingest/pprof_legacy/java_profile_parser.h"

#include <re2/re2.h>

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "core/ingest/pprof_legacy/go_integer_syntax.h"
#include "core/ingest/pprof_legacy/heap_sample_scaling.h"
#include "core/ingest/pprof_legacy/hex_addresses.h"
#include "core/ingest/pprof_legacy/memory_map.h"
#include "core/ingest/pprof_legacy/text_lines.h"

namespace kiln::pprof_legacy {
namespace {

const RE2& AttributeRe() {
  static const RE2* re = new RE2(R"(([\w ]+)=([\w ]+))");
  return *re;
}
const RE2& JavaSampleRe() {
  static const RE2* re = new RE2(R"( *(\d+) +(\d+) +@ +([ x0-9a-f]*))");
  return *re;
}
const RE2& JavaLocationRe() {
  static const RE2* re = new RE2(R"(^\s*0x([[:xdigit:]]+)\s+(.*)\s*$)");
  return *re;
}
const RE2& JavaFileLineRe() {
  static const RE2* re = new RE2(R"(^(.*)\s+\((.+):(-?[[:digit:]]+)\)$)");
  return *re;
}
const RE2& JavaPathRe() {
  static const RE2* re = new RE2(R"(^(.*)\s+\((.*)\)$)");
  return *re;
}

re2::StringPiece Piece(std::string_view s) { return re2::StringPiece(s.data(), s.size()); }

std::string Excerpt(std::string_view line) {
  if (line.size() <= 80) return std::string(line);
  return std::string(line.substr(0, 80)) + "…";
}

// Go's filepath.Base.
std::string_view PathBase(std::string_view path) {
  if (path.empty()) return ".";
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path == "/") return path;
  if (size_t slash = path.rfind('/'); slash != std::string_view::npos) path.remove_prefix(slash + 1);
  return path;
}

// Java's sampling rate for heapz, fixed by the agent.
constexpr int64_t kJavaHeapSamplingRate = 524288;

}  // namespace

absl::StatusOr<LegacyProfile> ParseJavaProfile(std::string_view data) {
  TextLines lines(data);
  if (data.find('\n') == std::string_view::npos || !lines.Next()) {
    return NotThisFormat("no Java profile header line");
  }
  const std::string_view header = TrimSpace(lines.line());
  const bool heap = header == "--- heapz 1 ---";
  if (!heap && header != "--- contentionz 1 ---") {
    return NotThisFormat("no '--- heapz 1 ---' or '--- contentionz 1 ---' header");
  }
  const std::string_view type = heap ? "heap" : "contention";
  LegacyProfile p;

  // Attributes, up to the first line that is not one.
  bool have_line = lines.Next();
  for (; have_line; have_line = lines.Next()) {
    const std::string_view line = TrimSpace(lines.line());
    if (line.empty()) continue;
    std::string attribute, value;
    if (!RE2::PartialMatch(Piece(line), AttributeRe(), &attribute, &value)) break;
    const std::string_view key = TrimSpace(attribute);
    const std::string_view val = TrimSpace(value);
    if (key == "format") {
      if (val != "java") {
        return absl::InvalidArgumentError(
            fmt::format("line {}: format is '{}', want 'java'", lines.number(), Excerpt(val)));
      }
    } else if (key == "resolution") {
      if (heap) {
        p.sample_types = {{"inuse_objects", "count"}, {"inuse_space", std::string(val)}};
      } else {
        p.sample_types = {{"contentions", "count"}, {"delay", std::string(val)}};
      }
    } else if (!heap && key == "sampling period") {
      p.period_type = {"contentions", "count"};
      if (GoIntResult r = ParseGoInt(val, 0, &p.period); r != GoIntResult::kOk) {
        return absl::InvalidArgumentError(fmt::format("line {}: failed to parse attribute {}: {}",
                                                      lines.number(), Excerpt(line),
                                                      GoIntResultText(r)));
      }
    } else if (!heap && key == "ms since reset") {
      int64_t ms;
      GoIntResult r = ParseGoInt(val, 0, &ms);
      if (r == GoIntResult::kOk && __builtin_mul_overflow(ms, int64_t{1000000}, &p.duration_nanos)) {
        r = GoIntResult::kOutOfRange;
      }
      if (r != GoIntResult::kOk) {
        return absl::InvalidArgumentError(fmt::format("line {}: failed to parse attribute {}: {}",
                                                      lines.number(), Excerpt(line),
                                                      GoIntResultText(r)));
      }
    } else {
      return absl::InvalidArgumentError(fmt::format("line {}: unknown Java {} profile attribute '{}'",
                                                    lines.number(), type, Excerpt(key)));
    }
  }

  // Samples, up to the first line that is not one: there the symbols start.
  std::vector<uint64_t> addresses;
  for (; have_line; have_line = lines.Next()) {
    const std::string_view line = TrimSpace(lines.line());
    if (line.empty()) continue;
    std::string first, second, stack;
    if (!RE2::PartialMatch(Piece(line), JavaSampleRe(), &first, &second, &stack)) break;
    const size_t n = lines.number();
    addresses.clear();
    if (absl::Status s = ParseHexAddresses(stack, &addresses); !s.ok()) {
      return absl::InvalidArgumentError(
          fmt::format("line {}: malformed sample: {}: {}", n, Excerpt(line), s.message()));
    }
    LegacySample sample;
    for (uint64_t a : addresses) sample.locations.push_back(p.LocationAt(a));
    // The Java agent writes the count second.
    int64_t count, amount;
    GoIntResult r;
    if ((r = ParseGoInt(second, 0, &count)) != GoIntResult::kOk ||
        (r = ParseGoInt(first, 0, &amount)) != GoIntResult::kOk) {
      return absl::InvalidArgumentError(
          fmt::format("line {}: parsing sample {}: {}", n, Excerpt(line), GoIntResultText(r)));
    }
    if (heap) {
      if (count == 0) {
        return absl::InvalidArgumentError(fmt::format(
            "line {}: parsing sample {}: second value must be non-zero", n, Excerpt(line)));
      }
      sample.block_bytes = amount / count;
      ScaledHeapValues scaled;
      if (!ScaleHeapSample(count, amount, kJavaHeapSamplingRate, &scaled)) {
        return absl::InvalidArgumentError(
            fmt::format("line {}: unsampling {} overflows int64", n, Excerpt(line)));
      }
      count = scaled.count;
      amount = scaled.size;
    } else if (p.period != 0) {
      if (__builtin_mul_overflow(count, p.period, &count) ||
          __builtin_mul_overflow(amount, p.period, &amount)) {
        return absl::InvalidArgumentError(fmt::format(
            "line {}: sample {} times sampling period {} overflows int64", n, Excerpt(line), p.period));
      }
    }
    sample.values = {count, amount};
    p.samples.push_back(std::move(sample));
  }
  if (p.sample_types.empty() && !p.samples.empty()) {
    return absl::InvalidArgumentError(fmt::format(
        "Java {} profile has samples but no 'resolution' attribute, so no sample types", type));
  }
  // The symbol table starts at the current line (the first non-sample line).
  const std::string_view current = lines.line();
  const std::string_view rest =
      have_line ? data.substr(static_cast<size_t>(current.data() - data.data())) : std::string_view();
  if (absl::Status s = ApplyJavaSymbols(rest, lines.number(), &p); !s.ok()) return s;
  AttachMappings({}, &p);
  return p;
}

absl::Status ApplyJavaSymbols(std::string_view text, size_t first_line_number,
                              LegacyProfile* profile) {
  absl::flat_hash_map<uint64_t, uint32_t> by_address;
  for (uint32_t i = 0; i < profile->locations.size(); ++i) {
    by_address.try_emplace(profile->locations[i].address, i);
  }
  // pprof keys Java functions by name: the first file seen for a name wins.
  absl::flat_hash_map<std::string, std::string> file_of_function;
  TextLines lines(text, first_line_number);
  std::vector<uint32_t> named;
  while (lines.Next()) {
    const std::string_view line = TrimSpace(lines.line());
    if (line.empty()) continue;
    std::string hex, rest;
    if (!RE2::PartialMatch(Piece(line), JavaLocationRe(), &hex, &rest)) continue;
    uint64_t address;
    if (GoIntResult r = ParseGoUint(hex, 16, &address); r != GoIntResult::kOk) {
      return absl::InvalidArgumentError(fmt::format("line {}: parsing sample {}: {}", lines.number(),
                                                    Excerpt(line), GoIntResultText(r)));
    }
    auto it = by_address.find(address);
    if (it == by_address.end()) continue;  // no sample uses it
    LegacyFrame frame;
    std::string function, file, number;
    if (RE2::FullMatch(Piece(rest), JavaFileLineRe(), &function, &file, &number)) {
      frame.function = std::move(function);
      frame.file = std::move(file);
      int64_t n;
      if (ParseGoInt(number, 10, &n) == GoIntResult::kOk && n > 0) frame.line = n;
    } else if (RE2::FullMatch(Piece(rest), JavaPathRe(), &function, &file)) {
      // A shared library: its base name is all that is worth keeping.
      frame.function = std::move(function);
      frame.file = std::string(PathBase(file));
    } else if (rest.find("generated stub/JIT") != std::string::npos) {
      frame.function = "STUB";
    } else {
      frame.function = rest;  // agent states such as "GC" or "VM"
    }
    auto [f, inserted] = file_of_function.try_emplace(frame.function, frame.file);
    if (!inserted) frame.file = f->second;
    LegacyLocation& loc = profile->locations[it->second];
    loc.frames = {std::move(frame)};
    named.push_back(it->second);
  }
  for (uint32_t id : named) profile->locations[id].address = 0;
  return absl::OkStatus();
}

}  // namespace kiln::pprof_legacy
