#include "kiln/query/flame_graph.h"

#include <algorithm>

namespace kiln {
namespace {

// Groups pre-order layout nodes by level, left to right (pre-order restricted
// to one level is left-to-right order), and delta-encodes x per side.
std::vector<std::vector<int64_t>> EncodeLevels(const FlameGraphLayout& layout, int64_t* max_self) {
  std::vector<std::vector<int64_t>> levels;
  std::vector<int64_t> prev_end[2];  // per level, prev_x + prev_total
  const int sides = layout.sides;
  *max_self = 0;
  for (size_t i = 0; i < layout.nodes.size(); ++i) {
    const auto& n = layout.nodes[i];
    if (levels.size() <= n.level) {
      levels.resize(n.level + 1);
      for (int s = 0; s < sides; ++s) prev_end[s].resize(n.level + 1, 0);
    }
    auto& level = levels[n.level];
    for (int s = 0; s < sides; ++s) {
      level.push_back(n.x[s] - prev_end[s][n.level]);
      level.push_back(n.total[s]);
      level.push_back(n.self[s]);
      prev_end[s][n.level] = n.x[s] + n.total[s];
      if (i > 0) *max_self = std::max(*max_self, n.self[s]);
    }
    level.push_back(n.name);
  }
  return levels;
}

}  // namespace

FlameGraph BuildFlameGraph(const Tree& tree, int64_t max_nodes) {
  FlameGraphLayout layout = LayoutFlameGraph(tree, max_nodes);
  FlameGraph fg;
  fg.levels = EncodeLevels(layout, &fg.max_self);
  fg.names = std::move(layout.names);
  fg.total = tree.total();
  return fg;
}

FlameGraphDiff BuildFlameGraphDiff(const Tree& left, const Tree& right, int64_t max_nodes) {
  FlameGraphLayout layout = LayoutFlameGraphDiff(left, right, max_nodes);
  FlameGraphDiff fg;
  fg.levels = EncodeLevels(layout, &fg.max_self);
  fg.names = std::move(layout.names);
  fg.left_ticks = left.total();
  fg.right_ticks = right.total();
  fg.total = fg.left_ticks + fg.right_ticks;
  return fg;
}

NestedSet BuildNestedSet(const FlameGraphLayout& layout) {
  NestedSet ns;
  ns.labels = layout.names;
  const size_t n = layout.nodes.size();
  ns.level.reserve(n);
  ns.value.reserve(n);
  ns.self.reserve(n);
  ns.label.reserve(n);
  for (const auto& node : layout.nodes) {
    ns.level.push_back(node.level);
    ns.value.push_back(node.total[0]);
    ns.self.push_back(node.self[0]);
    ns.label.push_back(node.name);
    if (layout.sides == 2) {
      ns.value_right.push_back(node.total[1]);
      ns.self_right.push_back(node.self[1]);
    }
  }
  return ns;
}

}  // namespace kiln
