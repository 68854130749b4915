#include "kiln/query/flame_graph_layout.h"

#include <functional>
#include <queue>

#include "absl/container/flat_hash_map.h"

namespace kiln {
namespace {

// Per-node values of one side, indexed by node id of the (union) tree.
struct SideValues {
  std::vector<int64_t> total, self;
};

SideValues ValuesOf(const Tree& tree) {
  SideValues v;
  v.total.resize(tree.size());
  v.self.resize(tree.size());
  for (Tree::NodeId i = 0; i < tree.size(); ++i) {
    v.total[i] = tree.node(i).total;
    v.self[i] = tree.node(i).self;
  }
  return v;
}

// Values of |part| carried onto |union_tree| ids (part was merged into it).
SideValues MapValues(const Tree& part, const std::vector<Tree::NodeId>& to_union, size_t union_size) {
  SideValues v;
  v.total.assign(union_size, 0);
  v.self.assign(union_size, 0);
  for (Tree::NodeId i = 0; i < part.size(); ++i) {
    v.total[to_union[i]] += part.node(i).total;
    v.self[to_union[i]] += part.node(i).self;
  }
  return v;
}

class LayoutBuilder {
 public:
  LayoutBuilder(const Tree& shape, std::vector<SideValues> sides, int64_t min_value)
      : shape_(shape), sides_(std::move(sides)), min_value_(min_value) {
    out_.sides = static_cast<int>(sides_.size());
    out_.names.push_back("total");
  }

  FlameGraphLayout Build() {
    FlameGraphLayout::Node root;
    for (size_t s = 0; s < sides_.size(); ++s) {
      root.total[s] = sides_[s].total[Tree::kRoot];
      root.self[s] = sides_[s].self[Tree::kRoot];
    }
    Visit(Tree::kRoot, root);
    return std::move(out_);
  }

 private:
  int64_t Combined(Tree::NodeId n) const {
    int64_t v = 0;
    for (const auto& s : sides_) v += s.total[n];
    return v;
  }

  uint32_t NameIndex(std::string_view name) {
    auto [it, inserted] = name_index_.try_emplace(std::string(name), out_.names.size());
    if (inserted) out_.names.emplace_back(name);
    return it->second;
  }

  // Emits |node| (already positioned) and its subtree in pre-order. Recursion
  // depth is the stack depth, bounded by the importers' max_stack_depth.
  void Visit(Tree::NodeId id, const FlameGraphLayout::Node& node) {
    out_.nodes.push_back(node);
    const size_t sides = sides_.size();
    int64_t x[2] = {node.x[0] + node.self[0], node.x[1] + node.self[1]};
    int64_t other_total[2] = {0, 0};
    bool has_other = false;
    for (Tree::NodeId c : shape_.SortedChildren(id)) {
      const int64_t combined = Combined(c);
      if (combined == 0) continue;
      if (combined < min_value_) {
        for (size_t s = 0; s < sides; ++s) other_total[s] += sides_[s].total[c];
        has_other = true;
        continue;
      }
      FlameGraphLayout::Node child;
      child.level = node.level + 1;
      child.name = NameIndex(shape_.name(c));
      for (size_t s = 0; s < sides; ++s) {
        child.x[s] = x[s];
        child.total[s] = sides_[s].total[c];
        child.self[s] = sides_[s].self[c];
        x[s] += child.total[s];
      }
      Visit(c, child);
    }
    if (has_other) {
      FlameGraphLayout::Node other;
      other.level = node.level + 1;
      other.name = NameIndex("other");
      for (size_t s = 0; s < sides; ++s) {
        other.x[s] = x[s];
        other.total[s] = other_total[s];
        other.self[s] = other_total[s];
      }
      out_.nodes.push_back(other);
    }
  }

  const Tree& shape_;
  std::vector<SideValues> sides_;
  int64_t min_value_;
  FlameGraphLayout out_;
  absl::flat_hash_map<std::string, uint32_t> name_index_;
};

}  // namespace

int64_t MinNodeValue(const Tree& tree, int64_t max_nodes) {
  if (max_nodes <= 0) return 0;
  std::priority_queue<int64_t, std::vector<int64_t>, std::greater<int64_t>> heap;  // min-heap
  for (Tree::NodeId i = 1; i < tree.size(); ++i) {
    const int64_t v = tree.node(i).total;
    if (static_cast<int64_t>(heap.size()) < max_nodes) {
      heap.push(v);
    } else if (v > heap.top()) {
      heap.pop();
      heap.push(v);
    }
  }
  return static_cast<int64_t>(heap.size()) == max_nodes ? heap.top() : 0;
}

FlameGraphLayout LayoutFlameGraph(const Tree& tree, int64_t max_nodes) {
  std::vector<SideValues> sides;
  sides.push_back(ValuesOf(tree));
  return LayoutBuilder(tree, std::move(sides), MinNodeValue(tree, max_nodes)).Build();
}

FlameGraphLayout LayoutFlameGraphDiff(const Tree& left, const Tree& right, int64_t max_nodes) {
  Tree shape;
  std::vector<Tree::NodeId> left_ids = shape.Merge(left);
  std::vector<Tree::NodeId> right_ids = shape.Merge(right);
  std::vector<SideValues> sides;
  sides.push_back(MapValues(left, left_ids, shape.size()));
  sides.push_back(MapValues(right, right_ids, shape.size()));
  // |shape| holds left+right, which is what the threshold is taken over.
  return LayoutBuilder(shape, std::move(sides), MinNodeValue(shape, max_nodes)).Build();
}

}  // namespace kiln
