#include "core/ingest/pprof_legacy/thread_profile_parser.h"

#include <re2/re2.h>

#include <string>
#include <vector>

#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "core/ingest/pprof_legacy/hex_addresses.h"
#include "core/ingest/pprof_legacy/memory_map.h"
#include "core/ingest/pprof_legacy/text_lines.h"

namespace kiln::pprof_legacy {
namespace {

const RE2& ThreadzStartRe() {
  static const RE2* re = new RE2(R"(--- threadz \d+ ---)");
  return *re;
}
const RE2& ThreadStartRe() {
  static const RE2* re = new RE2(R"(--- Thread ([[:xdigit:]]+) \(name: (.*)/(\d+)\) stack: ---)");
  return *re;
}

bool Matches(const RE2& re, std::string_view s) {
  return RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), re);
}

std::string Excerpt(std::string_view line) {
  if (line.size() <= 80) return std::string(line);
  return std::string(line.substr(0, 80)) + "…";
}

// One thread's stack lines (pprof's parseThreadSample). |next| is the line
// that ended it (trimmed), |same_as_previous| set for "[same as previous
// thread]", |at_end| when the data ran out.
struct ThreadStack {
  std::vector<uint64_t> addresses;
  std::string_view next;
  size_t next_number = 0;
  bool same_as_previous = false;
  bool at_end = true;
};

absl::Status ReadThreadStack(TextLines* lines, ThreadStack* out) {
  while (lines->Next()) {
    const std::string_view line = TrimSpace(lines->line());
    if (line.empty()) continue;
    if (line.starts_with("---")) {
      out->next = line;
      out->next_number = lines->number();
      out->at_end = false;
      return absl::OkStatus();
    }
    if (line.find("same as previous thread") != std::string_view::npos) {
      out->same_as_previous = true;
      continue;
    }
    if (absl::Status s = ParseHexAddresses(line, &out->addresses); !s.ok()) {
      return absl::InvalidArgumentError(
          fmt::format("line {}: malformed sample: {}: {}", lines->number(), Excerpt(line), s.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<LegacyProfile> ParseThreadProfile(std::string_view data) {
  TextLines lines(data);
  while (lines.Next() && IsSpaceOrComment(lines.line())) {
  }
  std::string_view line = lines.line();
  size_t line_number = lines.number();
  bool at_end = false;
  if (Matches(ThreadzStartRe(), line)) {
    // Skip the preamble up to the first thread (or the memory map).
    at_end = true;
    while (lines.Next()) {
      line = lines.line();
      line_number = lines.number();
      if (IsMemoryMapSentinel(line) || line.starts_with("-")) {
        at_end = false;
        break;
      }
    }
  } else if (!Matches(ThreadStartRe(), line)) {
    return NotThisFormat("no '--- threadz N ---' or '--- Thread … stack: ---' line");
  }
  LegacyProfile p;
  p.sample_types = {{"thread", "count"}};
  p.period_type = {"thread", "count"};
  p.period = 1;

  while (!at_end && !IsMemoryMapSentinel(line)) {
    if (line.starts_with("---- no stack trace for")) break;
    if (!Matches(ThreadStartRe(), line)) {
      return absl::InvalidArgumentError(fmt::format(
          "line {}: want '--- Thread <id> (name: <name>/<tid>) stack: ---', got: {}", line_number,
          Excerpt(line)));
    }
    ThreadStack stack;
    if (absl::Status s = ReadThreadStack(&lines, &stack); !s.ok()) return s;
    line = stack.next;
    line_number = stack.next_number;
    at_end = stack.at_end;
    if (stack.same_as_previous || stack.addresses.empty()) {
      // One more thread with the previous thread's stack.
      if (!p.samples.empty()) ++p.samples.back().values[0];
      continue;
    }
    LegacySample sample;
    sample.values = {1};
    for (size_t i = 0; i < stack.addresses.size(); ++i) {
      // Callers' return addresses point after the call; the leaf (the
      // thread's PC) does not.
      const uint64_t a = i > 0 ? stack.addresses[i] - 1 : stack.addresses[i];
      sample.locations.push_back(p.LocationAt(a));
    }
    p.samples.push_back(std::move(sample));
  }
  ReadMemoryMapSection(&lines, &p);
  RemoveDuplicatedLeaves(&p);
  return p;
}

void RemoveDuplicatedLeaves(LegacyProfile* profile) {
  for (LegacySample& s : profile->samples) {
    if (s.locations.size() > 1 &&
        profile->locations[s.locations[0]].address == profile->locations[s.locations[1]].address + 1) {
      s.locations.erase(s.locations.begin() + 1);
    }
  }
}

}  // namespace kiln::pprof_legacy
