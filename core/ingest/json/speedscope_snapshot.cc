#include "core/ingest/json/speedscope_snapshot.h"

#include <filesystem>
#include <set>

#include "core/testing/corpus.h"
#include "kiln/base/gzip.h"

namespace kiln::testing {
namespace {

// The value after `"key": ` on |line|, without a trailing comma.
std::optional<std::string_view> FieldValue(std::string_view line, std::string_view key) {
  const std::string needle = "\"" + std::string(key) + "\": ";
  const size_t at = line.find(needle);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view v = line.substr(at + needle.size());
  if (v.ends_with(',')) v.remove_suffix(1);
  return v;
}

// pretty-format prints strings in double quotes with \" and \\ escaped.
std::string Unquote(std::string_view v) {
  if (v.size() < 2 || v.front() != '"') return std::string(v);
  v = v.substr(1, v.size() - 2);
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size()) ++i;
    out += v[i];
  }
  return out;
}

std::optional<int64_t> OptionalInt(std::string_view v) {
  if (v == "undefined" || v == "null") return std::nullopt;
  return std::stoll(std::string(v));
}

}  // namespace

std::vector<SnapshotFrame> ParseSnapshotFrames(std::string_view snapshot) {
  std::vector<SnapshotFrame> out;
  size_t pos = snapshot.find("\"frames\": [");
  if (pos == std::string_view::npos) return out;
  SnapshotFrame frame;
  bool in_frame = false;
  while (pos < snapshot.size()) {
    size_t end = snapshot.find('\n', pos);
    if (end == std::string_view::npos) end = snapshot.size();
    const std::string_view line = snapshot.substr(pos, end - pos);
    pos = end + 1;
    if (line.find("Frame {") != std::string_view::npos) {
      frame = SnapshotFrame();
      in_frame = true;
    } else if (in_frame && line.find("},") != std::string_view::npos) {
      out.push_back(frame);
      in_frame = false;
    } else if (!in_frame && line.find("],") != std::string_view::npos) {
      break;
    } else if (in_frame) {
      if (auto v = FieldValue(line, "name")) frame.name = Unquote(*v);
      if (auto v = FieldValue(line, "file")) {
        frame.file = *v == "undefined" || *v == "null" ? "" : Unquote(*v);
      }
      if (auto v = FieldValue(line, "line")) frame.line = OptionalInt(*v);
      if (auto v = FieldValue(line, "col")) frame.col = OptionalInt(*v);
      if (auto v = FieldValue(line, "selfWeight")) frame.self = std::stod(std::string(*v));
      if (auto v = FieldValue(line, "totalWeight")) frame.total = std::stod(std::string(*v));
    }
  }
  return out;
}

std::string ReadSpeedscopeSnapshot(const std::string& path) {
  const std::string base = CorpusPath("oracles/" + path + ".speedscope-snapshot.txt");
  if (std::filesystem::exists(base)) return ReadFileForTest(base);
  if (std::filesystem::exists(base + ".gz")) {
    auto plain = Gunzip(ReadFileForTest(base + ".gz"), size_t{1} << 30);
    return plain.ok() ? *plain : std::string();
  }
  return {};
}

std::map<FrameKey, FrameWeights> ComputeFrameWeights(const Profile& profile, size_t type) {
  std::map<FrameKey, FrameWeights> out;
  std::vector<LocationId> locations;
  const SymbolTable& symbols = profile.symbols;
  for (size_t i = 0; i < profile.num_samples(); ++i) {
    const int64_t value = profile.values(i)[type];
    profile.stacks.Unwind(profile.sample_stacks[i], &locations);
    std::set<FrameKey> on_stack;
    bool leaf = true;
    for (LocationId loc : locations) {
      for (const Line& line : symbols.lines(loc)) {
        const Function& f = symbols.function(line.function_id);
        FrameKey key{std::string(symbols.String(f.name)), std::string(symbols.String(f.filename)),
                     line.line, line.column};
        FrameWeights& w = out[key];
        if (leaf) w.self += value;
        leaf = false;
        if (on_stack.insert(key).second) w.total += value;
      }
    }
  }
  return out;
}

}  // namespace kiln::testing
