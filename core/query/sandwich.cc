#include "kiln/query/sandwich.h"

#include <vector>

namespace kiln {

SandwichView BuildSandwich(const Tree& tree, std::string_view function) {
  SandwichView view;
  const int64_t target = tree.names().Find(function);
  if (target < 0) return view;
  const StringId name = static_cast<StringId>(target);

  // Iterative DFS tracking how often |name| is on the current path; at each
  // outermost occurrence, record the caller chain and copy the subtree.
  struct Frame {
    Tree::NodeId node;
    bool entered;
  };
  std::vector<Frame> stack{{Tree::kRoot, false}};
  uint32_t on_path = 0;
  std::vector<std::string_view> chain;
  // Maps nodes of |tree| inside the current occurrence to nodes of callees.
  std::vector<Tree::NodeId> callee_node(tree.size(), Tree::kNone);
  while (!stack.empty()) {
    Frame& f = stack.back();
    const Tree::Node& n = tree.node(f.node);
    const bool is_target = f.node != Tree::kRoot && n.name == name;
    if (f.entered) {
      if (is_target) --on_path;
      stack.pop_back();
      continue;
    }
    f.entered = true;
    const Tree::NodeId id = f.node;
    if (is_target && on_path == 0) {
      chain.clear();
      for (Tree::NodeId p = id; p != Tree::kRoot; p = tree.node(p).parent) chain.push_back(tree.name(p));
      // chain is leaf (the function) first: exactly the callers tree's path.
      view.callers.AddStack(chain, n.total);
      const Tree::NodeId c = view.callees.Child(Tree::kRoot, function);
      callee_node[id] = c;
      view.callees.AddSelf(c, n.self);
    } else if (on_path > 0) {
      const Tree::NodeId c = view.callees.Child(callee_node[n.parent], tree.name(id));
      callee_node[id] = c;
      view.callees.AddSelf(c, n.self);
    }
    if (is_target) ++on_path;
    for (Tree::NodeId c = n.first_child; c != Tree::kNone; c = tree.node(c).next_sibling) {
      stack.push_back({c, false});
    }
  }
  return view;
}

}  // namespace kiln
