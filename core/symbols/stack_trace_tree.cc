#include "kiln/symbols/stack_trace_tree.h"

namespace kiln {

StackTraceTree::StackTraceTree() { nodes_.push_back(Node{}); }

StackId StackTraceTree::Intern(StackId parent, LocationId location) {
  const uint64_t key = (static_cast<uint64_t>(parent) << 32) | location;
  auto [it, inserted] = index_.try_emplace(key, static_cast<StackId>(nodes_.size()));
  if (inserted) nodes_.push_back(Node{parent, location});
  return it->second;
}

StackId StackTraceTree::InternLeafFirst(std::span<const LocationId> leaf_first) {
  StackId id = 0;
  for (size_t i = leaf_first.size(); i-- > 0;) id = Intern(id, leaf_first[i]);
  return id;
}

StackId StackTraceTree::InternRootFirst(std::span<const LocationId> root_first) {
  StackId id = 0;
  for (LocationId loc : root_first) id = Intern(id, loc);
  return id;
}

void StackTraceTree::Unwind(StackId id, std::vector<LocationId>* out) const {
  out->clear();
  while (id != 0) {
    out->push_back(nodes_[id].location);
    id = nodes_[id].parent;
  }
}

uint32_t StackTraceTree::Depth(StackId id) const {
  uint32_t d = 0;
  while (id != 0) {
    ++d;
    id = nodes_[id].parent;
  }
  return d;
}

}  // namespace kiln
