// One frame of a flame graph as a toolkit-free list of rectangles: what Qt
// and ImGui paint, hit tests read and tests print. Built by
// RenderListBuilder; a painter fills each item with Palette's colour for its
// key (at kDimmedAlpha when dimmed), outlines matches, and draws its label
// left-aligned inside it with the font whose average advance the builder
// was given.
//
// Invariants:
//  1. rows are in increasing depth; a row's items are items[begin, end), in
//     increasing x, and do not overlap (x + w <= next x).
//  2. Every item lies inside [0, width_px) horizontally (clipped to the
//     view; labels are computed for the visible part, so they stay on
//     screen while the bar scrolls: sticky labels).
//  3. An item stands for the nodes layout.level(depth).node[level_index ..
//     level_index + count): one for kNode; for kFolded either a run of >= 2
//     adjacent narrow siblings, or all the nodes (>= 1) lying under a folded
//     item of the row above. Its extent [start_tick, end_tick) runs from the
//     first node's start to the last one's end, so under a fold it may span
//     the self areas of the folded parents; |value| is the exact sum.
//  4. With min_drawn_px = 0 the items of a row account for every node that
//     overlaps the view, each exactly once.
// Ownership: labels live in |labels|; item label ranges index into it.
#ifndef KILN_VIEWER_RENDER_LIST_H_
#define KILN_VIEWER_RENDER_LIST_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kiln/viewer/color_key.h"
#include "kiln/viewer/depth_layout.h"

namespace kiln::viewer {

enum class RenderItemKind : uint8_t {
  kNode,    // one node
  kFolded,  // a counted grey bar for a run of narrow nodes
};

enum class Emphasis : uint8_t {
  kNormal,
  kMatch,   // a search match (or, for a folded item, it contains one)
  kDimmed,  // a search is active and this is neither a match nor an ancestor of one
};

struct RenderItem {
  float x = 0, y = 0, w = 0, h = 0;  // pixels
  uint32_t depth = 0;
  NodeId node = kNoNode;      // the node, or the first folded node
  uint32_t count = 1;         // nodes this item stands for (1 for kNode)
  uint32_t level_index = 0;   // index of |node| in layout.level(depth)
  int64_t start_tick = 0;     // extent of the item in ticks (unclipped)
  int64_t end_tick = 0;
  int64_t value = 0;          // sum of the widths of its nodes, in ticks
  uint32_t label_offset = 0;  // into RenderList::labels
  uint32_t label_length = 0;  // 0: no label
  ColorKey color;
  RenderItemKind kind = RenderItemKind::kNode;
  Emphasis emphasis = Emphasis::kNormal;
};

struct RenderRow {
  uint32_t depth = 0;
  float y = 0;
  float h = 0;
  uint32_t begin = 0;  // items[begin, end)
  uint32_t end = 0;
};

struct RenderList {
  std::vector<RenderItem> items;
  std::vector<RenderRow> rows;
  std::string labels;
  float width_px = 0;
  float height_px = 0;
  // Nodes the builder examined one by one for this frame; culling and run
  // jumps skip the rest. For tests and the benchmark.
  uint64_t nodes_examined = 0;

  std::string_view label(const RenderItem& item) const {
    return std::string_view(labels).substr(item.label_offset, item.label_length);
  }
  // Keeps capacity, so a list reused across frames stops allocating.
  void Clear();
};

// One line per item, rows in order, e.g.
//   d1 x=0.0 w=480.0 y=20 main pkg:7 "main"
//   d2 x=480.0 w=2.5 y=40 folded(3) value=7 grey
// with " match" / " dim" appended under a search; without |with_colors| the
// colour (pkg:N, diff:±N, grey) is left out. For tests and debugging.
std::string PrintRenderList(const RenderList& list, const DepthLayout& layout,
                            bool with_colors = true);

}  // namespace kiln::viewer

#endif  // KILN_VIEWER_RENDER_LIST_H_
