#include "core/ingest/pprof_legacy/count_profile_parser.h"

#include <re2/re2.h>

#include <string>

#include "fmt/format.h"
#include "core/ingest/pprof_legacy/go_integer_syntax.h"
#include "core/ingest/pprof_legacy/memory_map.h"
#include "core/ingest/pprof_legacy/text_lines.h"

namespace kiln::pprof_legacy {
namespace {

const RE2& CountStartRe() {
  static const RE2* re = new RE2(R"(\A(\S+) profile: total \d+\z)");
  return *re;
}
const RE2& CountRe() {
  static const RE2* re = new RE2(R"(\A(\d+) @(( 0x[0-9a-f]+)+)\z)");
  return *re;
}

absl::Status Malformed(size_t line, std::string_view why) {
  return absl::InvalidArgumentError(fmt::format("line {}: malformed profile format: {}", line, why));
}

}  // namespace

absl::StatusOr<LegacyProfile> ParseCountProfile(std::string_view data) {
  TextLines lines(data);
  while (lines.Next() && IsSpaceOrComment(lines.line())) {
  }
  std::string type;
  const std::string_view header = lines.line();
  if (!RE2::FullMatch(re2::StringPiece(header.data(), header.size()), CountStartRe(), &type)) {
    return NotThisFormat("no '<name> profile: total <n>' header");
  }
  LegacyProfile p;
  p.period_type = {type, "count"};
  p.period = 1;
  p.sample_types = {{type, "count"}};

  while (lines.Next()) {
    const std::string_view line = lines.line();
    if (IsSpaceOrComment(line)) continue;
    if (line.starts_with("---")) break;
    std::string count_text, stack;
    if (!RE2::FullMatch(re2::StringPiece(line.data(), line.size()), CountRe(), &count_text,
                        &stack)) {
      return Malformed(lines.number(), "want '<count> @ 0x… 0x…'");
    }
    int64_t count;
    // Base 0, as pprof parses it: a leading 0 makes the count octal.
    if (GoIntResult r = ParseGoInt(count_text, 0, &count); r != GoIntResult::kOk) {
      return Malformed(lines.number(), fmt::format("count {}: {}", count_text.substr(0, 40),
                                                   GoIntResultText(r)));
    }
    LegacySample sample;
    sample.values = {count};
    size_t pos = 0;
    while (pos < stack.size()) {
      const size_t start = stack.find("0x", pos);
      if (start == std::string::npos) break;
      size_t end = stack.find(' ', start);
      if (end == std::string::npos) end = stack.size();
      uint64_t address;
      if (ParseGoUint(std::string_view(stack).substr(start + 2, end - start - 2), 16, &address) !=
          GoIntResult::kOk) {
        return Malformed(lines.number(), "address wider than 64 bits");
      }
      // Return addresses point after the call; step back onto it.
      sample.locations.push_back(p.LocationAt(address - 1));
      pos = end;
    }
    p.samples.push_back(std::move(sample));
  }
  ReadMemoryMapSection(&lines, &p);
  return p;
}

}  // namespace kiln::pprof_legacy
