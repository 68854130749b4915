#include "viewer/qt/source_index.h"

#include "fmt/format.h"

namespace kiln::viewer::qt {

void SourceIndex::Add(const Profile& profile) {
  const SymbolTable& symbols = profile.symbols;
  for (FunctionId id = 1; id < symbols.num_functions(); ++id) {
    const Function& f = symbols.function(id);
    std::string_view file = symbols.String(f.filename);
    if (file.empty()) continue;
    // The tree names a frame by name, else by system name (FrameName).
    std::string_view name = symbols.String(f.name);
    if (name.empty()) name = symbols.String(f.system_name);
    if (name.empty()) continue;
    files_.try_emplace(std::string(name), Source{std::string(file), f.start_line});
  }
}

std::string SourceIndex::Lookup(std::string_view frame_name) const {
  if (auto it = files_.find(std::string(frame_name)); it != files_.end()) {
    const Source& s = it->second;
    return s.start_line > 0 ? fmt::format("{}:{}", s.file, s.start_line) : s.file;
  }
  // "fn:42": the frame names the line of the call site inside fn.
  const size_t colon = frame_name.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == frame_name.size()) return "";
  std::string_view line = frame_name.substr(colon + 1);
  for (char c : line) {
    if (c < '0' || c > '9') return "";
  }
  if (auto it = files_.find(std::string(frame_name.substr(0, colon))); it != files_.end()) {
    return fmt::format("{}:{}", it->second.file, line);
  }
  return "";
}

}  // namespace kiln::viewer::qt
