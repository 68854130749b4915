// A merged call tree: every distinct root-to-node path of frame names, with
// self and total values. The shape every query renders (flame graphs, top
// tables, diffs, sandwich views) is computed from it.
//
// Invariants:
//  1. Node 0 is the root: no name, total = sum of all values.
//  2. total(n) = self(n) + sum of total(children of n), at every public call.
//  3. A parent has a smaller id than its children (nodes are appended).
//  4. Children of one parent have distinct names.
// Thread safety: none; one writer, or many readers after the last write.
#ifndef KILN_QUERY_TREE_H_
#define KILN_QUERY_TREE_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "kiln/symbols/string_table.h"

namespace kiln {

class Tree {
 public:
  using NodeId = uint32_t;
  static constexpr NodeId kRoot = 0;
  static constexpr NodeId kNone = 0xffffffffu;

  struct Node {
    StringId name = 0;
    NodeId parent = 0;
    NodeId first_child = kNone;
    NodeId next_sibling = kNone;
    uint32_t depth = 0;  // root = 0
    int64_t self = 0;
    int64_t total = 0;
  };

  Tree();
  Tree(Tree&&) = default;
  Tree& operator=(Tree&&) = default;
  Tree(const Tree&) = delete;
  Tree& operator=(const Tree&) = delete;
  Tree Clone() const;

  // The child of |parent| named |name|, created when absent.
  NodeId Child(NodeId parent, StringId name);
  NodeId Child(NodeId parent, std::string_view name) { return Child(parent, names_.Intern(name)); }
  // kNone when absent.
  NodeId FindChild(NodeId parent, std::string_view name) const;
  // Adds |value| to the self of |node| and the total of it and its ancestors.
  void AddSelf(NodeId node, int64_t value);
  // Adds one stack, root first.
  void AddStack(std::span<const std::string_view> root_first, int64_t value);
  // Adds every path of |other| into this tree; returns, for each node id of
  // |other|, the id of the node it was added to.
  std::vector<NodeId> Merge(const Tree& other);

  const Node& node(NodeId id) const { return nodes_[id]; }
  size_t size() const { return nodes_.size(); }
  int64_t total() const { return nodes_[kRoot].total; }
  std::string_view name(NodeId id) const { return names_.Get(nodes_[id].name); }
  StringTable& names() { return names_; }
  const StringTable& names() const { return names_; }

  // Children of |id| in name order (deterministic output for every renderer).
  std::vector<NodeId> SortedChildren(NodeId id) const;
  // Root-first frame names of |id| (excluding the root).
  std::vector<std::string_view> Path(NodeId id) const;

 private:
  StringTable names_;
  std::vector<Node> nodes_;
  absl::flat_hash_map<uint64_t, NodeId> children_;  // (parent << 32 | name) -> child
};

}  // namespace kiln

#endif  // KILN_QUERY_TREE_H_
