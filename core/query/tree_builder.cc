#include "kiln/query/tree_builder.h"

#include <vector>

#include "fmt/format.h"

namespace kiln {

std::string FrameName(const SymbolTable& symbols, const Line& line, FrameNaming naming) {
  std::string_view name = symbols.FunctionName(line.function_id);
  if (name.empty()) name = symbols.String(symbols.function(line.function_id).system_name);
  if (name.empty()) name = "<unknown>";
  if (naming == FrameNaming::kFunctionAndLine && line.line > 0) {
    return fmt::format("{}:{}", name, line.line);
  }
  return std::string(name);
}

std::string UnsymbolizedFrameName(const SymbolTable& symbols, const Location& location) {
  std::string_view file = symbols.String(symbols.mapping(location.mapping_id).filename);
  if (size_t slash = file.rfind('/'); slash != std::string_view::npos) file.remove_prefix(slash + 1);
  if (file.empty()) return fmt::format("0x{:x}", location.address);
  return fmt::format("{} 0x{:x}", file, location.address);
}

void AddProfileToTree(const Profile& profile, size_t type_index, const TreeOptions& options,
                      Tree* tree) {
  const SymbolTable& symbols = profile.symbols;
  // Names of each location's frames, root-most first, interned in |tree|.
  std::vector<std::vector<StringId>> location_frames(symbols.num_locations());
  std::vector<bool> location_done(symbols.num_locations(), false);
  auto frames_of = [&](LocationId loc) -> const std::vector<StringId>& {
    if (!location_done[loc]) {
      location_done[loc] = true;
      auto& names = location_frames[loc];
      auto lines = symbols.lines(loc);
      if (lines.empty()) {
        names.push_back(tree->names().Intern(UnsymbolizedFrameName(symbols, symbols.location(loc))));
      } else {
        for (size_t i = lines.size(); i-- > 0;) {
          names.push_back(tree->names().Intern(FrameName(symbols, lines[i], options.naming)));
        }
      }
    }
    return location_frames[loc];
  };

  // Stack nodes map to tree nodes through their parents; parents come first.
  const StackTraceTree& stacks = profile.stacks;
  std::vector<Tree::NodeId> node_of(stacks.size(), Tree::kNone);
  node_of[0] = Tree::kRoot;
  std::vector<StackId> pending;
  auto tree_node = [&](StackId id) {
    pending.clear();
    while (node_of[id] == Tree::kNone) {
      pending.push_back(id);
      id = stacks.node(id).parent;
    }
    Tree::NodeId n = node_of[id];
    for (size_t i = pending.size(); i-- > 0;) {
      for (StringId name : frames_of(stacks.node(pending[i]).location)) n = tree->Child(n, name);
      node_of[pending[i]] = n;
    }
    return n;
  };

  const size_t k = profile.num_types();
  for (size_t i = 0; i < profile.num_samples(); ++i) {
    const int64_t v = profile.sample_values[i * k + type_index];
    if (v == 0) continue;
    tree->AddSelf(tree_node(profile.sample_stacks[i]), v);
  }
}

Tree BuildTree(const Profile& profile, size_t type_index, const TreeOptions& options) {
  Tree tree;
  AddProfileToTree(profile, type_index, options, &tree);
  return tree;
}

}  // namespace kiln
