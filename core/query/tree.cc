#include "kiln/query/tree.h"

#include <algorithm>


namespace kiln {

Tree::Tree() { nodes_.emplace_back(); }

Tree Tree::Clone() const {
  Tree t;
  t.Merge(*this);
  return t;
}

Tree::NodeId Tree::Child(NodeId parent, StringId name) {
  const uint64_t key = (static_cast<uint64_t>(parent) << 32) | name;
  auto [it, inserted] = children_.try_emplace(key, static_cast<NodeId>(nodes_.size()));
  if (inserted) {
    Node n;
    n.name = name;
    n.parent = parent;
    n.depth = nodes_[parent].depth + 1;
    n.next_sibling = nodes_[parent].first_child;
    nodes_[parent].first_child = it->second;
    nodes_.push_back(n);
  }
  return it->second;
}

Tree::NodeId Tree::FindChild(NodeId parent, std::string_view name) const {
  const int64_t id = names_.Find(name);
  if (id < 0) return kNone;
  auto it = children_.find((static_cast<uint64_t>(parent) << 32) | static_cast<uint64_t>(id));
  return it == children_.end() ? kNone : it->second;
}

namespace {

// Values add as pprof's int64 arithmetic does, wrapping: a hostile input near
// 2^63 must not be undefined behaviour (importers reject values that
// overflow one stack; sums across stacks can still reach the limit).
void WrappingAdd(int64_t* sum, int64_t value) {
  *sum = static_cast<int64_t>(static_cast<uint64_t>(*sum) + static_cast<uint64_t>(value));
}

}  // namespace

void Tree::AddSelf(NodeId node, int64_t value) {
  WrappingAdd(&nodes_[node].self, value);
  for (NodeId n = node;; n = nodes_[n].parent) {
    WrappingAdd(&nodes_[n].total, value);
    if (n == kRoot) break;
  }
}

void Tree::AddStack(std::span<const std::string_view> root_first, int64_t value) {
  NodeId n = kRoot;
  for (std::string_view frame : root_first) n = Child(n, frame);
  AddSelf(n, value);
}

std::vector<Tree::NodeId> Tree::Merge(const Tree& other) {
  // other's parents precede their children, so one forward pass can map
  // each node through its already-mapped parent.
  std::vector<NodeId> mapped(other.nodes_.size());
  mapped[kRoot] = kRoot;
  std::vector<StringId> name_map(other.names_.size(), 0xffffffffu);
  for (NodeId i = 1; i < other.nodes_.size(); ++i) {
    const Node& on = other.nodes_[i];
    StringId& name = name_map[on.name];
    if (name == 0xffffffffu) name = names_.Intern(other.names_.Get(on.name));
    mapped[i] = Child(mapped[on.parent], name);
  }
  for (NodeId i = 0; i < other.nodes_.size(); ++i) {
    WrappingAdd(&nodes_[mapped[i]].self, other.nodes_[i].self);
    WrappingAdd(&nodes_[mapped[i]].total, other.nodes_[i].total);
  }
  return mapped;
}

std::vector<Tree::NodeId> Tree::SortedChildren(NodeId id) const {
  std::vector<NodeId> out;
  for (NodeId c = nodes_[id].first_child; c != kNone; c = nodes_[c].next_sibling) out.push_back(c);
  std::sort(out.begin(), out.end(), [this](NodeId a, NodeId b) { return name(a) < name(b); });
  return out;
}

std::vector<std::string_view> Tree::Path(NodeId id) const {
  std::vector<std::string_view> path;
  for (NodeId n = id; n != kRoot; n = nodes_[n].parent) path.push_back(name(n));
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace kiln
