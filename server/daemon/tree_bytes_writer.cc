#include "server/daemon/tree_bytes_writer.h"

#include <string_view>
#include <vector>

#include "kiln/query/flame_graph_layout.h"

namespace kiln::server {
namespace {

void PutUvarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutNode(std::string* out, std::string_view name, int64_t self, size_t children) {
  PutUvarint(out, name.size());
  out->append(name);
  PutUvarint(out, static_cast<uint64_t>(self));
  PutUvarint(out, children);
}

// A node to write: a tree node, or the synthetic "other" of a parent.
struct Item {
  Tree::NodeId node = Tree::kNone;  // kNone: a synthetic "other"
  int64_t extra_self = 0;           // truncated siblings' totals added to the self
};

}  // namespace

std::string WriteTreeBytes(const Tree& tree, int64_t max_nodes) {
  std::string out;
  if (tree.total() == 0 && tree.node(Tree::kRoot).first_child == Tree::kNone) return out;
  const int64_t min_value = MinNodeValue(tree, max_nodes);
  // Explicit stack (deep recursion must not overflow the thread's stack);
  // children are pushed in reverse so they come out in name order.
  std::vector<Item> stack{{Tree::kRoot, 0}};
  std::vector<Tree::NodeId> kept;
  while (!stack.empty()) {
    const Item item = stack.back();
    stack.pop_back();
    if (item.node == Tree::kNone) {
      PutNode(&out, "other", item.extra_self, 0);
      continue;
    }
    kept.clear();
    int64_t other = 0;
    Tree::NodeId real_other = Tree::kNone;
    for (Tree::NodeId c : tree.SortedChildren(item.node)) {
      const Tree::Node& n = tree.node(c);
      if (tree.name(c) == "other") {
        real_other = c;
      } else if (n.total >= min_value) {
        kept.push_back(c);
      } else {
        other += n.total;
      }
    }
    const Tree::Node& node = tree.node(item.node);
    const std::string_view name = item.node == Tree::kRoot ? std::string_view() : tree.name(item.node);
    // A real child named "other" absorbs the truncated siblings into its
    // self, as Pyroscope's insert-by-name does.
    const bool synthetic_other = other > 0 && real_other == Tree::kNone;
    const size_t children = kept.size() + (real_other != Tree::kNone || synthetic_other ? 1 : 0);
    PutNode(&out, name, item.node == Tree::kRoot ? 0 : node.self + item.extra_self, children);
    if (real_other != Tree::kNone) {
      stack.push_back({real_other, other});
    } else if (synthetic_other) {
      stack.push_back({Tree::kNone, other});
    }
    for (auto it = kept.rbegin(); it != kept.rend(); ++it) stack.push_back({*it, 0});
  }
  return out;
}

}  // namespace kiln::server
