// Viewport -> render list, the per-frame work of a flame graph view
// (style.md §6 B-D). Rules, with w the full (unclipped) pixel width of a node:
//  - Culling: per depth, a binary search finds the first node ending after
//    the view's start and the first starting at or after its end; only
//    nodes in between are visited. Rows deeper than the last visible row
//    are never visited; rows above the view are walked (their folds decide
//    the rows below) but not emitted.
//  - Folding: a node with w < min_visible_px is narrow. A maximal run of
//    adjacent narrow siblings becomes one grey kFolded item counting them
//    (found with binary-search jumps, Tracy's lower_bound on ends, so a run
//    of 100,000 tiny nodes costs O(log n) per 3 pixels, not per node). A run
//    of one is drawn as that node. Below a folded item, every node inside its
//    extent folds into one item per depth (children of folded parents merge,
//    as in Perfetto's UI), so a folded region stays one grey column.
//  - Dropping: an item (node or folded run) with w < min_drawn_px is not
//    emitted, and neither is its subtree (every descendant is narrower).
//  - Labels: only on items whose visible width is at least min_label_px;
//    the text is ShortenName(name, floor((visible w - 2 * padding) /
//    char_width_px)) - a cheap character budget, never a per-node font
//    measure (Perfetto UI). Folded items are labelled with their count when
//    it fits.
//  - Colours: by package (PackagePaletteIndex) or, for a diff layout, by
//    DiffBucket(DiffChangePercent(base, new)); folded items are grey.
//  - Search: with a SearchResult, matches are kMatch, ancestors of matches
//    stay kNormal, everything else is kDimmed; a folded item is kMatch if it
//    contains a match, kNormal if it contains an ancestor of one.
// Thread safety: a builder caches shortened labels across frames, so use
// one builder per thread (normally the UI thread). The layout and the
// search result are only read.
#ifndef KILN_VIEWER_RENDER_LIST_BUILDER_H_
#define KILN_VIEWER_RENDER_LIST_BUILDER_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "kiln/viewer/depth_layout.h"
#include "kiln/viewer/render_list.h"
#include "kiln/viewer/viewport.h"

namespace kiln::viewer {

class SearchResult;

enum class ColorMode : uint8_t {
  kAuto,     // kDiff for a diff layout, else kPackage
  kPackage,
  kDiff,
};

struct RenderOptions {
  double min_visible_px = 3;    // narrower nodes fold (Tracy's MinVisSize)
  double min_drawn_px = 0.5;    // narrower items and subtrees are dropped (grafana)
  double min_label_px = 20;     // narrower items get no label (grafana)
  double char_width_px = 7;     // average advance of the label font
  double label_padding_px = 3;  // on each side of a label
  bool labels = true;
  ColorMode color_mode = ColorMode::kAuto;
};

class RenderListBuilder {
 public:
  // Fills |out| (cleared first, capacity kept). |search|, when not null,
  // must come from the same |layout|.
  void Build(const DepthLayout& layout, const Viewport& viewport,
             const RenderOptions& options, const SearchResult* search, RenderList* out);

 private:
  std::string_view Label(const DepthLayout& layout, NodeId node, size_t max_chars);

  // Shortened labels by (name index, character budget) of the layout with
  // id cached_layout_id_.
  absl::flat_hash_map<uint64_t, std::string> label_cache_;
  uint64_t cached_layout_id_ = 0;
  // Folded extents of the previous and current depth.
  std::vector<std::pair<int64_t, int64_t>> folds_above_, folds_here_;
};

}  // namespace kiln::viewer

#endif  // KILN_VIEWER_RENDER_LIST_BUILDER_H_
