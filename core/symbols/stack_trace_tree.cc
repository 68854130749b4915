#include "kiln/symbols/stack_trace_tree.h"

#include <algorithm>

namespace kiln {

StackTraceTree::StackTraceTree() { nodes_.push_back(Node{}); }

StackId StackTraceTree::NewChild(StackId parent, LocationId location) {
  const StackId id = static_cast<StackId>(nodes_.size());
  Node& n = nodes_.emplace_back();
  n.parent = parent;
  n.location = location;
  StackId& first = nodes_[parent].first_child;
  n.next_sibling = first == kNoNode ? kNoNode : first & ~kWide;
  first = first == kNoNode ? id : id | (first & kWide);
  return id;
}

StackId StackTraceTree::Intern(StackId parent, LocationId location) {
  const StackId first = nodes_[parent].first_child;
  const uint64_t key = (static_cast<uint64_t>(parent) << 32) | location;
  if (first != kNoNode && (first & kWide) != 0) {
    auto [it, inserted] = wide_children_.try_emplace(key, static_cast<StackId>(nodes_.size()));
    if (inserted) NewChild(parent, location);
    return it->second;
  }
  uint32_t listed = 0;
  for (StackId c = first; c != kNoNode; c = nodes_[c].next_sibling, ++listed) {
    if (nodes_[c].location == location) return c;
  }
  const StackId id = NewChild(parent, location);
  if (listed + 1 > kListedChildren) {
    // Crossing the threshold: index every child (the new one included).
    for (StackId c = id; c != kNoNode; c = nodes_[c].next_sibling) {
      wide_children_[(static_cast<uint64_t>(parent) << 32) | nodes_[c].location] = c;
    }
    nodes_[parent].first_child |= kWide;
  }
  return id;
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

StackId StackInterner::InternLeafFirst(std::span<const LocationId> leaf_first) {
  const size_t n = leaf_first.size();
  size_t common = 0;
  const size_t limit = std::min(n, locations_.size());
  while (common < limit && locations_[common] == leaf_first[n - 1 - common]) ++common;
  locations_.resize(n);
  nodes_.resize(n);
  StackId node = common == 0 ? 0 : nodes_[common - 1];
  for (size_t d = common; d < n; ++d) {
    locations_[d] = leaf_first[n - 1 - d];
    node = tree_->Intern(node, locations_[d]);
    nodes_[d] = node;
  }
  return node;
}

}  // namespace kiln
