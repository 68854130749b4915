#include "kiln/export/collapsed_writer.h"

#include <algorithm>
#include <vector>

#include "fmt/format.h"

namespace kiln {
namespace {

// The format has no escaping: a ';' would split a frame and a newline a
// line, so both are replaced rather than corrupt the stack when read back.
void AppendFrame(std::string_view frame, std::string* out) {
  for (char c : frame) {
    if (c == ';') {
      out->push_back(':');
    } else if (c == '\n' || c == '\r') {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
}

}  // namespace

std::string WriteCollapsed(const Tree& tree) {
  std::vector<std::string> lines;
  std::string line;
  for (Tree::NodeId i = 1; i < tree.size(); ++i) {
    if (tree.node(i).self == 0) continue;
    line.clear();
    for (std::string_view f : tree.Path(i)) {
      if (!line.empty()) line += ';';
      AppendFrame(f, &line);
    }
    fmt::format_to(std::back_inserter(line), " {}", tree.node(i).self);
    lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& l : lines) {
    out += l;
    out += '\n';
  }
  return out;
}

}  // namespace kiln
