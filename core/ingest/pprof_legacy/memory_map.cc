#include "core/ingest/pprof_legacy/memory_map.h"

#include <re2/re2.h>

#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "core/ingest/pprof_legacy/go_integer_syntax.h"

namespace kiln::pprof_legacy {
namespace {

// google/pprof's procMapsRE and briefMapsRE, verbatim: RE2 has Go's regexp
// semantics (leftmost-first submatches, ASCII \s), so captures agree.
const RE2& ProcMapsRe() {
  static const RE2* re = new RE2(
      R"(^\s*(?:0x)?([[:xdigit:]]+)[\s-]?\s*(?:0x)?([[:xdigit:]]+):?(?:\s+([-rwxp]+))?)"
      R"((?:\s+([[:xdigit:]]+))?\s+[[:xdigit:]]+:[[:xdigit:]]+\s+[[:digit:]]+(?:\s+(\S+))?)");
  return *re;
}
const RE2& BriefMapsRe() {
  static const RE2* re = new RE2(
      R"(^\s*(?:0x)?([[:xdigit:]]+)[\s-]?\s*(?:0x)?([[:xdigit:]]+):?(?:\s+([-rwxp]+))?)"
      R"((?:\s+(\S+))?(?:\s+\(@([[:xdigit:]]+)\))?(?:\s+([[:xdigit:]]+))?)");
  return *re;
}
const RE2& LogPrefixRe() {
  static const RE2* re = new RE2(R"(^[^\[\]]+:[0-9]+]\s)");
  return *re;
}

std::string_view RemoveLoggingInfo(std::string_view line) {
  re2::StringPiece input(line.data(), line.size());
  re2::StringPiece match;
  if (LogPrefixRe().Match(input, 0, input.size(), RE2::UNANCHORED, &match, 1)) {
    line.remove_prefix(static_cast<size_t>(match.data() + match.size() - input.data()));
  }
  return line;
}

// "$key" -> value substitutions defined by "key = value" lines. Like Go's
// strings.Replacer: one left-to-right pass, and where several keys match at
// one position the one defined first wins. A trie keeps Apply linear in the
// line length times the longest key.
class AttributeSubstitution {
 public:
  void Define(std::string_view key, std::string_view value) {
    const std::string name = "$" + std::string(key);
    // Real maps define a handful of short attributes; the bounds keep a
    // hostile input from growing the trie without limit.
    if (name.size() > kMaxNameLength || next_order_ >= kMaxAttributes) return;
    uint32_t node = 0;
    for (char c : name) node = FindOrAddChild(node, c);
    if (nodes_[node].order < 0) {
      nodes_[node].order = next_order_++;
      nodes_[node].value = std::string(value);
    }
  }

  std::string_view Apply(std::string_view line, std::string* storage) const {
    if (next_order_ == 0 || line.find('$') == std::string_view::npos) return line;
    storage->clear();
    size_t i = 0;
    while (i < line.size()) {
      const Node* best = nullptr;
      size_t best_length = 0;
      uint32_t node = 0;
      for (size_t j = i; j < line.size(); ++j) {
        node = FindChild(node, line[j]);
        if (node == 0) break;
        const Node& n = nodes_[node];
        if (n.order >= 0 && (best == nullptr || n.order < best->order)) {
          best = &n;
          best_length = j - i + 1;
        }
      }
      if (best != nullptr) {
        storage->append(best->value);
        i += best_length;
      } else {
        storage->push_back(line[i++]);
      }
    }
    return *storage;
  }

 private:
  static constexpr size_t kMaxNameLength = 256;
  static constexpr int64_t kMaxAttributes = 1024;
  struct Node {
    int64_t order = -1;  // definition order when a name ends here
    std::string value;
  };

  static uint64_t EdgeKey(uint32_t node, char c) {
    return (uint64_t{node} << 8) | static_cast<unsigned char>(c);
  }
  // 0 (the root, never a child) when absent.
  uint32_t FindChild(uint32_t node, char c) const {
    auto it = edges_.find(EdgeKey(node, c));
    return it == edges_.end() ? 0 : it->second;
  }
  uint32_t FindOrAddChild(uint32_t node, char c) {
    auto [it, inserted] = edges_.try_emplace(EdgeKey(node, c), static_cast<uint32_t>(nodes_.size()));
    if (inserted) nodes_.emplace_back();
    return it->second;
  }

  std::vector<Node> nodes_ = std::vector<Node>(1);
  absl::flat_hash_map<uint64_t, uint32_t> edges_;
  int64_t next_order_ = 0;
};

enum class EntryResult { kMapping, kSkipped, kUnrecognized };

EntryResult ParseMappingEntry(std::string_view line, LegacyMapping* out) {
  re2::StringPiece input(line.data(), line.size());
  re2::StringPiece g[7];
  std::string_view start, end, perm, file, offset, build_id;
  auto sv = [](const re2::StringPiece& p) { return std::string_view(p.data(), p.size()); };
  if (ProcMapsRe().Match(input, 0, input.size(), RE2::UNANCHORED, g, 6)) {
    start = sv(g[1]), end = sv(g[2]), perm = sv(g[3]), offset = sv(g[4]), file = sv(g[5]);
  } else if (BriefMapsRe().Match(input, 0, input.size(), RE2::UNANCHORED, g, 7)) {
    start = sv(g[1]), end = sv(g[2]), perm = sv(g[3]), file = sv(g[4]), offset = sv(g[5]),
    build_id = sv(g[6]);
  } else {
    return EntryResult::kUnrecognized;
  }
  if (!perm.empty() && perm.find('x') == std::string_view::npos) return EntryResult::kSkipped;
  LegacyMapping m;
  m.file = std::string(file);
  m.build_id = std::string(build_id);
  if (ParseGoUint(start, 16, &m.start) != GoIntResult::kOk ||
      ParseGoUint(end, 16, &m.limit) != GoIntResult::kOk) {
    return EntryResult::kUnrecognized;
  }
  if (!offset.empty() && ParseGoUint(offset, 16, &m.offset) != GoIntResult::kOk) {
    return EntryResult::kUnrecognized;
  }
  *out = std::move(m);
  return EntryResult::kMapping;
}

// pprof's libRx: ".so" at the end, or ".so." / ".so_" before a digit.
bool LooksLikeSharedLibrary(std::string_view file) {
  for (size_t pos = file.find(".so"); pos != std::string_view::npos; pos = file.find(".so", pos + 1)) {
    const size_t after = pos + 3;
    if (after == file.size()) return true;
    if ((file[after] == '.' || file[after] == '_') && after + 1 < file.size() &&
        file[after + 1] >= '0' && file[after + 1] <= '9') {
      return true;
    }
  }
  return false;
}

bool Adjacent(const LegacyMapping& a, const LegacyMapping& b) {
  if (!a.file.empty() && !b.file.empty() && a.file != b.file) return false;
  if (!a.build_id.empty() && !b.build_id.empty() && a.build_id != b.build_id) return false;
  if (a.limit != b.start) return false;
  if (a.offset != 0 && b.offset != 0 && a.offset + (a.limit - a.start) != b.offset) return false;
  return true;
}

// massageMappings: merge split entries, then move the likely main binary first.
void MassageMappings(std::vector<LegacyMapping>* mappings) {
  if (mappings->size() > 1) {
    std::vector<LegacyMapping> merged;
    merged.push_back(std::move((*mappings)[0]));
    for (size_t i = 1; i < mappings->size(); ++i) {
      LegacyMapping& m = (*mappings)[i];
      LegacyMapping& last = merged.back();
      if (Adjacent(last, m)) {
        last.limit = m.limit;
        if (!m.file.empty()) last.file = m.file;
        if (!m.build_id.empty()) last.build_id = m.build_id;
        continue;
      }
      merged.push_back(std::move(m));
    }
    *mappings = std::move(merged);
  }
  for (size_t i = 0; i < mappings->size(); ++i) {
    std::string file = (*mappings)[i].file;
    for (size_t pos; (pos = file.find("(deleted)")) != std::string::npos;) file.erase(pos, 9);
    std::string_view trimmed = TrimSpace(file);
    if (trimmed.empty() || LooksLikeSharedLibrary(trimmed) || trimmed.front() == '[') continue;
    std::swap((*mappings)[0], (*mappings)[i]);
    break;
  }
}

}  // namespace

std::vector<LegacyMapping> ParseMemoryMap(TextLines* lines) {
  std::vector<LegacyMapping> mappings;
  AttributeSubstitution attributes;
  std::string storage;
  while (lines->Next()) {
    const std::string_view line = attributes.Apply(RemoveLoggingInfo(lines->line()), &storage);
    LegacyMapping m;
    switch (ParseMappingEntry(line, &m)) {
      case EntryResult::kMapping:
        mappings.push_back(std::move(m));
        break;
      case EntryResult::kSkipped:
        break;
      case EntryResult::kUnrecognized:
        if (size_t eq = line.find('='); eq != std::string_view::npos) {
          // Copy before Define: |line| may point into |storage|.
          const std::string key(TrimSpace(line.substr(0, eq)));
          const std::string value(TrimSpace(line.substr(eq + 1)));
          attributes.Define(key, value);
        }
        break;
    }
  }
  return mappings;
}

void AttachMappings(std::vector<LegacyMapping> parsed, LegacyProfile* profile) {
  std::vector<LegacyMapping>& mappings = profile->mappings;
  for (LegacyMapping& m : parsed) mappings.push_back(std::move(m));
  MassageMappings(&mappings);

  // remapMappingIDs' heuristics for handlers that mis-report the main binary.
  if (!mappings.empty() && mappings[0].file.starts_with("/anon_hugepage") && mappings.size() > 1 &&
      mappings[0].limit == mappings[1].start) {
    mappings.erase(mappings.begin());
  }
  if (!mappings.empty()) {
    constexpr uint64_t kExpectedStart = 0x400000;
    LegacyMapping& main = mappings[0];
    if (main.start - main.offset == kExpectedStart) {
      main.start = kExpectedStart;
      main.offset = 0;
    }
  }

  std::vector<bool> visited(profile->locations.size(), false);
  int fake = -1;
  auto attach = [&](LegacyLocation& l) {
    const uint64_t a = l.address;
    if (l.mapping >= 0 || a == 0) return;
    for (size_t i = 0; i < mappings.size(); ++i) {
      if (mappings[i].start <= a && a < mappings[i].limit) {
        l.mapping = static_cast<int>(i);
        return;
      }
    }
    // Legacy handlers sometimes dropped the first part of a split mapping.
    for (size_t i = 0; i < mappings.size(); ++i) {
      LegacyMapping& m = mappings[i];
      if (m.offset != 0 && m.start - m.offset <= a && a < m.start) {
        m.start -= m.offset;
        m.offset = 0;
        l.mapping = static_cast<int>(i);
        return;
      }
    }
    if (fake < 0) {
      mappings.push_back(LegacyMapping{.start = 0, .limit = ~uint64_t{0}});
      fake = static_cast<int>(mappings.size() - 1);
    }
    l.mapping = fake;
  };
  for (const LegacySample& s : profile->samples) {
    for (uint32_t id : s.locations) {
      if (visited[id]) continue;
      visited[id] = true;
      attach(profile->locations[id]);
    }
  }
}

void ReadMemoryMapSection(TextLines* lines, LegacyProfile* profile) {
  while (!IsMemoryMapSentinel(lines->line()) && lines->Next()) {
  }
  AttachMappings(ParseMemoryMap(lines), profile);
}

}  // namespace kiln::pprof_legacy
