#include "tests/go_pprof_raw.h"

#include <charconv>

#include "fmt/format.h"

namespace kiln::testing {
namespace {

// Fields of |s| separated by runs of spaces.
std::vector<std::string_view> Fields(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// "   3   610467: 1 2 3" -> the values before the colon, when the line is a
// sample line (label lines look like "bytes:[163840]").
bool ParseSampleValues(std::string_view line, size_t expected, std::vector<int64_t>* values) {
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || line.substr(colon + 1).starts_with("[")) return false;
  values->clear();
  for (std::string_view field : Fields(line.substr(0, colon))) {
    int64_t v = 0;
    auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), v);
    if (ec != std::errc() || end != field.data() + field.size()) return false;
    values->push_back(v);
  }
  return values->size() == expected;
}

}  // namespace

absl::StatusOr<GoPprofTotals> ParseGoPprofRaw(std::string_view raw) {
  GoPprofTotals out;
  enum { kHeader, kTypes, kSamples } state = kHeader;
  std::vector<int64_t> values;
  size_t line_number = 0;
  while (!raw.empty()) {
    const size_t eol = raw.find('\n');
    std::string_view line = raw.substr(0, eol);
    raw.remove_prefix(eol == std::string_view::npos ? raw.size() : eol + 1);
    ++line_number;
    if (state == kHeader) {
      if (line == "Samples:") state = kTypes;
      continue;
    }
    if (state == kTypes) {
      for (std::string_view type : Fields(line)) {
        if (type.ends_with("[dflt]")) {
          type.remove_suffix(6);
          out.default_type = static_cast<int>(out.sample_types.size());
        }
        out.sample_types.emplace_back(type);
      }
      if (out.sample_types.empty()) return absl::InvalidArgumentError("no sample types after 'Samples:'");
      out.totals.assign(out.sample_types.size(), 0);
      state = kSamples;
      continue;
    }
    // The sample section ends where the location table begins.
    if (line.starts_with("Locations") || line.starts_with("Mappings")) break;
    if (!ParseSampleValues(line, out.sample_types.size(), &values)) {
      // Label lines ("key:[v]", "key:[1 2]") and blank lines are not samples.
      if (line.find_first_not_of(' ') == std::string_view::npos || line.find(":[") != std::string_view::npos) {
        continue;
      }
      return absl::InvalidArgumentError(
          fmt::format("line {}: unexpected line in the sample section: '{}'", line_number, line));
    }
    for (size_t i = 0; i < values.size(); ++i) out.totals[i] += values[i];
    ++out.samples;
  }
  if (state != kSamples) return absl::InvalidArgumentError("no 'Samples:' section");
  return out;
}

}  // namespace kiln::testing
