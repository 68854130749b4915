// Pyroscope's flame graph wire shapes (pkg/model/flamegraph.go,
// flamegraph_diff.go), as querier.v1 and /pyroscope/render return them:
//  - FlameGraph: names (names[0] = "total"), levels of 4-tuples
//    [x_offset, total, self, name_index], left to right, level 0 the root;
//  - FlameGraphDiff: levels of 7-tuples [xL, totalL, selfL, xR, totalR,
//    selfR, name_index] plus left_ticks/right_ticks.
// x offsets are delta-encoded per level: stored = x - (prev_x + prev_total)
// of the previous node on the same level (per side for a diff).
#ifndef KILN_QUERY_FLAME_GRAPH_H_
#define KILN_QUERY_FLAME_GRAPH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "kiln/query/flame_graph_layout.h"
#include "kiln/query/tree.h"

namespace kiln {

struct FlameGraph {
  std::vector<std::string> names;
  std::vector<std::vector<int64_t>> levels;
  int64_t total = 0;
  int64_t max_self = 0;
};

struct FlameGraphDiff {
  std::vector<std::string> names;
  std::vector<std::vector<int64_t>> levels;
  int64_t total = 0;  // left + right
  int64_t max_self = 0;
  int64_t left_ticks = 0;
  int64_t right_ticks = 0;
};

FlameGraph BuildFlameGraph(const Tree& tree, int64_t max_nodes = kDefaultMaxNodes);
FlameGraphDiff BuildFlameGraphDiff(const Tree& left, const Tree& right,
                                   int64_t max_nodes = kDefaultMaxNodes);

// Grafana's nested-set flame graph frame (pre-order rows): level, value
// (inclusive), self, label; for a diff also value_right and self_right.
struct NestedSet {
  std::vector<int64_t> level;
  std::vector<int64_t> value;
  std::vector<int64_t> self;
  std::vector<uint32_t> label;  // index into labels, first-seen order
  std::vector<std::string> labels;
  std::vector<int64_t> value_right;  // empty unless a diff
  std::vector<int64_t> self_right;
};

NestedSet BuildNestedSet(const FlameGraphLayout& layout);

}  // namespace kiln

#endif  // KILN_QUERY_FLAME_GRAPH_H_
