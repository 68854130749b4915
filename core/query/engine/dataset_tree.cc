#include "core/query/engine/dataset_tree.h"

#include "absl/strings/str_cat.h"

namespace kiln::query_engine {

absl::StatusOr<Tree> BuildDatasetTree(const storage::Dataset& d, const std::vector<int64_t>& value_by_stack,
                                      FrameNaming naming, uint64_t max_nodes) {
  const size_t n = d.stacks.size();
  // Nodes on a path to a valued stack; marking stops at marked ancestors,
  // so the whole pass is linear in the stack tree.
  std::vector<bool> needed(n);
  for (StackId s = 1; s < n; ++s) {
    if (value_by_stack[s] == 0) continue;
    for (StackId a = s; a != 0 && !needed[a]; a = d.stacks.node(a).parent) needed[a] = true;
  }
  // Names per location, interned in the tree's table once.
  constexpr uint32_t kUnnamed = 0xffffffffu;
  std::vector<uint32_t> first_name(d.symbols.num_locations(), kUnnamed);
  std::vector<StringId> names;  // per location: names outermost first, contiguous
  std::vector<uint32_t> name_count(d.symbols.num_locations(), 0);
  Tree tree;
  auto location_names = [&](LocationId loc) {
    if (first_name[loc] == kUnnamed) {
      first_name[loc] = static_cast<uint32_t>(names.size());
      auto lines = d.symbols.lines(loc);
      if (lines.empty()) {
        names.push_back(tree.names().Intern(UnsymbolizedFrameName(d.symbols, d.symbols.location(loc))));
      } else {
        for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
          names.push_back(tree.names().Intern(FrameName(d.symbols, *it, naming)));
        }
      }
      name_count[loc] = static_cast<uint32_t>(names.size() - first_name[loc]);
    }
    return std::span<const StringId>(names.data() + first_name[loc], name_count[loc]);
  };
  std::vector<Tree::NodeId> tree_node(n, Tree::kRoot);
  for (StackId s = 1; s < n; ++s) {
    if (!needed[s]) continue;
    Tree::NodeId t = tree_node[d.stacks.node(s).parent];
    for (StringId name : location_names(d.stacks.node(s).location)) t = tree.Child(t, name);
    tree_node[s] = t;
    if (value_by_stack[s] != 0) tree.AddSelf(t, value_by_stack[s]);
    if (max_nodes && tree.size() > max_nodes) {
      return absl::ResourceExhaustedError(absl::StrCat("the merged call tree exceeds ", max_nodes,
                                                       " nodes; narrow the time range or the label selector"));
    }
  }
  return tree;
}

}  // namespace kiln::query_engine
