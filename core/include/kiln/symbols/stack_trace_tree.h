// Stacks as nodes of a parent-pointer tree of locations, so that a stack seen
// a million times, or sharing its first 40 frames with another, is stored
// once. A stack is identified by its leaf node id.
//
// Invariants:
//  1. Node 0 is the root sentinel: no location, parent 0. It is the empty stack.
//  2. Every other node's parent has a smaller id (nodes are appended), so a
//     forward scan visits parents before children.
//  3. Intern(parent, location) returns the same id for the same pair.
// Interning is a short walk of the parent's children (hash lookups only for
// nodes with many children), so building a profile's tree costs little more
// than reading it.
// Thread safety: none; one writer, or many readers after the last write.
#ifndef KILN_SYMBOLS_STACK_TRACE_TREE_H_
#define KILN_SYMBOLS_STACK_TRACE_TREE_H_

#include <cstdint>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "kiln/symbols/symbol_table.h"

namespace kiln {

using StackId = uint32_t;

class StackTraceTree {
 public:
  static constexpr StackId kNoNode = 0xffffffffu;
  // 16 bytes, four to a cache line: building a large profile's tree is
  // bound by the memory its nodes take.
  class Node {
   public:
    StackId parent = 0;
    LocationId location = 0;

   private:
    friend class StackTraceTree;
    // Children form a list (most nodes have a handful); a node with many
    // children is also indexed in a hash map and flagged by kWide here.
    StackId first_child = kNoNode;
    StackId next_sibling = kNoNode;
  };

  StackTraceTree();
  StackTraceTree(const StackTraceTree&) = delete;
  StackTraceTree& operator=(const StackTraceTree&) = delete;
  StackTraceTree(StackTraceTree&&) = default;
  StackTraceTree& operator=(StackTraceTree&&) = default;

  StackId Intern(StackId parent, LocationId location);
  // Capacity for |nodes| nodes: growing a large tree by doubling copies it
  // and touches fresh pages again and again. Untouched capacity costs only
  // address space, so an upper bound is fine.
  void Reserve(size_t nodes) { nodes_.reserve(nodes); }
  // |leaf_first| as in pprof: element 0 is the leaf, the last the root.
  StackId InternLeafFirst(std::span<const LocationId> leaf_first);
  StackId InternRootFirst(std::span<const LocationId> root_first);

  const Node& node(StackId id) const { return nodes_[id]; }
  size_t size() const { return nodes_.size(); }
  // Locations of stack |id|, leaf first, appended to |out| (cleared first).
  void Unwind(StackId id, std::vector<LocationId>* out) const;
  uint32_t Depth(StackId id) const;

 private:
  // Most nodes have a handful of children: a short list walk, and a new
  // node costs no hashing at all. Fan-out beyond this goes to the map.
  static constexpr uint32_t kListedChildren = 8;

  // Set in a node's first_child once its children are indexed in
  // wide_children_; node ids stay below it (2^31 nodes would take 32 GiB).
  static constexpr StackId kWide = 0x80000000u;

  StackId NewChild(StackId parent, LocationId location);

  std::vector<Node> nodes_;
  absl::flat_hash_map<uint64_t, StackId> wide_children_;  // (parent << 32 | location) -> node
};

// Interns a sequence of stacks into a tree, reusing the root-side prefix
// each shares with the previous one: profilers emit stacks that share their
// outer frames, so most frames then cost a compare instead of a hash lookup.
class StackInterner {
 public:
  explicit StackInterner(StackTraceTree* tree) : tree_(tree) {}
  StackId InternLeafFirst(std::span<const LocationId> leaf_first);

 private:
  StackTraceTree* tree_;
  std::vector<LocationId> locations_;  // previous stack, root first
  std::vector<StackId> nodes_;         // its nodes, root first
};

}  // namespace kiln

#endif  // KILN_SYMBOLS_STACK_TRACE_TREE_H_
