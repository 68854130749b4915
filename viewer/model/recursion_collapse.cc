#include "kiln/viewer/recursion_collapse.h"

#include <vector>

namespace kiln::viewer {

Tree CollapseRecursion(const Tree& tree) {
  Tree out;
  // Ids grow from parents to children (Tree invariant 3), so one forward
  // pass maps every node after its parent.
  std::vector<Tree::NodeId> mapped(tree.size(), Tree::kRoot);
  std::vector<StringId> name_map(tree.names().size(), 0xffffffffu);
  for (Tree::NodeId id = 1; id < tree.size(); ++id) {
    const Tree::Node& node = tree.node(id);
    const Tree::NodeId parent = node.parent;
    if (parent != Tree::kRoot && tree.node(parent).name == node.name) {
      mapped[id] = mapped[parent];  // f called by f: one frame
      continue;
    }
    StringId& name = name_map[node.name];
    if (name == 0xffffffffu) name = out.names().Intern(tree.name(id));
    mapped[id] = out.Child(mapped[parent], name);
  }
  // Self values move to the node each maps to; totals follow (AddSelf adds
  // to every ancestor, so each total is the sum of the selfs below it).
  for (Tree::NodeId id = 0; id < tree.size(); ++id) {
    if (const int64_t self = tree.node(id).self; self != 0) out.AddSelf(mapped[id], self);
  }
  return out;
}

}  // namespace kiln::viewer
