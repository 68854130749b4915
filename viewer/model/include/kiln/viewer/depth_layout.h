// The flame graph of one call tree, or of two aligned trees (a diff), laid
// out once in integer value ticks with one array per depth, so that zooming
// and panning never relayout: a frame only maps ticks to pixels
// (RenderListBuilder) and finds what is visible by binary search.
//
// The offsets come from the core's layout (kiln::LayoutFlameGraph and
// kiln::LayoutFlameGraphDiff, untruncated), so sibling order (by name) and
// values are exactly those of every flame graph Kiln writes for Pyroscope
// and Grafana; this class only regroups them by depth. For a diff a node's
// width is base total + new total (the core's and Pyroscope's rule).
//
// Node ids are the core layout's pre-order indices; 0 is the root, named
// "total". Names are unique per index (index 0 is only ever the root), so
// search and colouring run over names, not nodes.
//
// Invariants:
//  1. level(d).start is strictly increasing and nodes of one depth do not
//     overlap: end(i) <= start(i + 1); so ends are increasing too.
//  2. width > 0 for every node but the root of an empty tree.
//  3. Children of one parent are contiguous: the first starts at
//     start(parent) + self(parent), each next one at the previous one's end,
//     the last ends at end(parent).
//  4. A node's parent has a smaller id and depth - 1; ids are pre-order, so
//     a subtree is the id range [id, id + subtree size).
// Thread safety: Build and BuildDiff are pure functions of their arguments
// (no shared state but an id counter) and are meant to run on a worker thread; the result is
// immutable, and its const methods may be called from any number of threads.
#ifndef KILN_VIEWER_DEPTH_LAYOUT_H_
#define KILN_VIEWER_DEPTH_LAYOUT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kiln/query/tree.h"

namespace kiln {
struct FlameGraphLayout;  // the core's pre-order layout (kiln/query/flame_graph_layout.h)
}  // namespace kiln

namespace kiln::viewer {

using NodeId = uint32_t;
inline constexpr NodeId kRootNode = 0;
inline constexpr NodeId kNoNode = 0xffffffffu;

class DepthLayout {
 public:
  // The nodes of one depth, left to right.
  struct Level {
    std::vector<int64_t> start;
    std::vector<int64_t> width;
    std::vector<NodeId> node;
    // prefix[i] = sum of width[0 .. i): the value of any index range in O(1)
    // (folded runs span several parents, with gaps between them).
    std::vector<int64_t> prefix;

    size_t size() const { return node.size(); }
    int64_t end(size_t i) const { return start[i] + width[i]; }
    int64_t ValueOf(size_t begin, size_t end) const { return prefix[end] - prefix[begin]; }
  };

  // An empty graph (a root of width 0).
  DepthLayout();
  DepthLayout(DepthLayout&&) = default;
  DepthLayout& operator=(DepthLayout&&) = default;
  DepthLayout(const DepthLayout&) = delete;
  DepthLayout& operator=(const DepthLayout&) = delete;

  // Reads |tree| only; |tree| need not outlive the result.
  static DepthLayout Build(const Tree& tree);
  // |base| and |next| aligned by frame path; side 0 is base, side 1 next.
  static DepthLayout BuildDiff(const Tree& base, const Tree& next);

  // Distinct for every layout built in this process (kept by moves), so
  // per-layout caches cannot be confused by a new layout at an old address.
  uint64_t id() const { return id_; }
  bool is_diff() const { return is_diff_; }
  size_t size() const { return depth_.size(); }
  size_t depth_count() const { return levels_.size(); }
  const Level& level(size_t depth) const { return levels_[depth]; }
  // Width of the root: the ticks of the whole graph.
  int64_t total() const { return levels_[0].width[0]; }

  uint32_t depth(NodeId n) const { return depth_[n]; }
  NodeId parent(NodeId n) const { return parent_[n]; }  // kNoNode for the root
  uint32_t index_in_level(NodeId n) const { return index_in_level_[n]; }
  int64_t start(NodeId n) const { return levels_[depth_[n]].start[index_in_level_[n]]; }
  int64_t width(NodeId n) const { return levels_[depth_[n]].width[index_in_level_[n]]; }
  int64_t end(NodeId n) const { return start(n) + width(n); }
  // Self ticks (for a diff, base + next).
  int64_t self(NodeId n) const { return self_[n]; }
  // Per side: side 0 is the base, 1 the new tree; a non-diff has side 0 only.
  int64_t total(NodeId n, int side) const;
  int64_t self(NodeId n, int side) const;
  // Root total of a side: what shares are taken of.
  int64_t side_total(int side) const { return total(kRootNode, side); }

  uint32_t name_index(NodeId n) const { return name_[n]; }
  std::string_view name(NodeId n) const { return names_[name_[n]]; }
  const std::vector<std::string>& names() const { return names_; }
  // Palette index of the package/module of names()[i] (PackagePaletteIndex).
  uint8_t package_color(uint32_t name_index) const { return package_color_[name_index]; }

  // The id of the node at |depth| whose range contains |tick|, or kNoNode.
  NodeId NodeAt(size_t depth, int64_t tick) const;

  // Bytes held (vector capacities and name strings), for the memory figure.
  size_t MemoryBytes() const;

 private:
  // Regroups the core's pre-order layout by depth.
  static DepthLayout FromCore(const ::kiln::FlameGraphLayout& core);

  uint64_t id_ = 0;
  bool is_diff_ = false;
  std::vector<Level> levels_;
  // Per node id:
  std::vector<uint32_t> depth_;
  std::vector<NodeId> parent_;
  std::vector<uint32_t> index_in_level_;
  std::vector<uint32_t> name_;
  std::vector<int64_t> self_;
  std::vector<int64_t> base_total_;  // diff only
  std::vector<int64_t> base_self_;   // diff only
  // Per name index:
  std::vector<std::string> names_;
  std::vector<uint8_t> package_color_;
};

}  // namespace kiln::viewer

#endif  // KILN_VIEWER_DEPTH_LAYOUT_H_
