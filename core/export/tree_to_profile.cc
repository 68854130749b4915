#include "kiln/export/tree_to_profile.h"

#include <vector>

namespace kiln {

Profile TreeToProfile(const Tree& tree, const ValueType& sample_type, const ValueType& period_type,
                      int64_t period) {
  Profile p;
  p.sample_types.push_back(sample_type);
  p.period_type = period_type;
  p.period = period;
  // Parents precede children, so each tree node maps to a stack node in one
  // forward pass.
  std::vector<LocationId> location_of_name(tree.names().size(), 0);
  std::vector<StackId> stack_of(tree.size(), 0);
  for (Tree::NodeId id = 1; id < tree.size(); ++id) {
    const Tree::Node& n = tree.node(id);
    LocationId& loc = location_of_name[n.name];
    if (loc == 0) loc = p.symbols.InternFrame(tree.name(id));
    stack_of[id] = p.stacks.Intern(stack_of[n.parent], loc);
    if (n.self != 0) p.AddSample(stack_of[id], std::span<const int64_t>(&n.self, 1));
  }
  return p;
}

}  // namespace kiln
