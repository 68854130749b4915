// The truncated, laid-out form of one tree or two aligned trees (a diff),
// from which every flame graph encoding is written: Pyroscope flamebearer
// levels, its 7-tuple diff levels, and Grafana's nested-set rows.
//
// Truncation (Pyroscope's rule): min_value = the total of the
// max_nodes-th largest node (0 when the tree has fewer nodes); a node below
// it is not drawn but summed, with its siblings below it, into one synthetic
// child named "other" of its parent. For a diff the rule uses left+right.
//
// Invariants:
//  1. nodes are in depth-first pre-order; nodes[0] is the root, named "total".
//  2. Siblings are ordered by name, "other" last; a node's first child
//     starts at x(parent) + self(parent); later siblings follow without gaps.
//  3. total[s] = self[s] + sum of children's total[s], for each side s.
#ifndef KILN_QUERY_FLAME_GRAPH_LAYOUT_H_
#define KILN_QUERY_FLAME_GRAPH_LAYOUT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "kiln/query/tree.h"

namespace kiln {

inline constexpr int64_t kDefaultMaxNodes = 8192;

struct FlameGraphLayout {
  struct Node {
    uint32_t level = 0;
    uint32_t name = 0;  // index into names
    int64_t x[2] = {0, 0};
    int64_t total[2] = {0, 0};
    int64_t self[2] = {0, 0};
  };
  std::vector<std::string> names;  // names[0] == "total"
  std::vector<Node> nodes;
  int sides = 1;  // 2 for a diff
};

// The total of the |max_nodes|-th largest node of |tree| (0 if max_nodes <= 0
// or the tree has fewer nodes).
int64_t MinNodeValue(const Tree& tree, int64_t max_nodes);

FlameGraphLayout LayoutFlameGraph(const Tree& tree, int64_t max_nodes);
// Aligns |left| and |right| by frame path.
FlameGraphLayout LayoutFlameGraphDiff(const Tree& left, const Tree& right, int64_t max_nodes);

}  // namespace kiln

#endif  // KILN_QUERY_FLAME_GRAPH_LAYOUT_H_
