#include "core/ingest/pprof_legacy/go_symbol_comments.h"

#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "core/ingest/pprof_legacy/go_integer_syntax.h"
#include "core/ingest/pprof_legacy/text_lines.h"

namespace kiln::pprof_legacy {
namespace {

struct SymbolComment {
  uint64_t pc = 0;
  LegacyFrame frame;
};

// Splits at runs of tabs (Go's tabwriter pads the columns with tabs).
std::vector<std::string_view> TabFields(std::string_view s) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == '\t') ++i;
    if (i == s.size()) break;
    size_t end = s.find('\t', i);
    if (end == std::string_view::npos) end = s.size();
    fields.push_back(s.substr(i, end - i));
    i = end;
  }
  return fields;
}

bool ParseSymbolComment(std::string_view line, SymbolComment* out) {
  if (!line.starts_with("#\t0x")) return false;
  std::vector<std::string_view> f = TabFields(line.substr(1));
  if (f.size() != 3) return false;  // "#\t0x…" alone: Go knew no function
  if (!f[0].starts_with("0x") || ParseGoUint(f[0].substr(2), 16, &out->pc) != GoIntResult::kOk) {
    return false;
  }
  std::string_view name = TrimSpace(f[1]);
  if (size_t plus = name.rfind("+0x"); plus != std::string_view::npos && plus > 0) {
    name = name.substr(0, plus);
  }
  if (name.empty()) return false;
  std::string_view file = TrimSpace(f[2]);
  int64_t line_number = 0;
  if (size_t colon = file.rfind(':'); colon != std::string_view::npos) {
    int64_t n;
    if (ParseGoInt(file.substr(colon + 1), 10, &n) == GoIntResult::kOk && n >= 0) {
      line_number = n;
      file = file.substr(0, colon);
    }
  }
  out->frame = LegacyFrame{std::string(name), std::string(file), line_number};
  return true;
}

}  // namespace

size_t ApplyGoSymbolComments(std::string_view text, LegacyProfile* profile) {
  // Cheap exit for the formats that never carry these comments.
  if (text.find("\n#\t0x") == std::string_view::npos) return 0;
  absl::flat_hash_map<uint64_t, std::vector<LegacyFrame>> frames;
  // The pc whose run of comment lines is being read, if any; a pc seen in an
  // earlier run keeps its first symbolization.
  bool in_run = false, run_is_new = false;
  uint64_t run_pc = 0;
  TextLines lines(text);
  while (lines.Next()) {
    SymbolComment c;
    if (!ParseSymbolComment(lines.line(), &c)) {
      in_run = false;
      continue;
    }
    if (!in_run || c.pc != run_pc) {
      in_run = true;
      run_pc = c.pc;
      run_is_new = !frames.contains(c.pc);
    }
    if (run_is_new) frames[c.pc].push_back(std::move(c.frame));
  }
  size_t named = 0;
  for (LegacyLocation& loc : profile->locations) {
    if (!loc.frames.empty()) continue;
    auto it = frames.find(loc.address);
    if (it == frames.end()) continue;
    loc.frames = it->second;
    ++named;
  }
  return named;
}

}  // namespace kiln::pprof_legacy
