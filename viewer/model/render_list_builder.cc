#include "kiln/viewer/render_list_builder.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "kiln/viewer/diff_color.h"
#include "kiln/viewer/name_shortener.h"
#include "kiln/viewer/search.h"

namespace kiln::viewer {
namespace {

constexpr int64_t kHugeTicks = int64_t{1} << 62;
constexpr size_t kMaxCachedLabels = size_t{1} << 16;

// The smallest tick width that is at least |px| pixels wide: a node is
// narrower than |px| iff width < TicksForPixels(px). Integer thresholds keep
// the rules exact and the same for every comparison in a frame.
int64_t TicksForPixels(double px, double pixels_per_tick) {
  if (px <= 0) return 0;
  const double ticks = std::ceil(px / pixels_per_tick);
  return ticks >= static_cast<double>(kHugeTicks) ? kHugeTicks : static_cast<int64_t>(ticks);
}

// First index in [lo, hi) where |pred| is false; |pred| must be true on a
// prefix of the range and false after it.
template <typename Pred>
size_t PartitionPoint(size_t lo, size_t hi, Pred pred) {
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (pred(mid)) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

// Emits the items of one frame; one per Build call.
class FrameWriter {
 public:
  FrameWriter(const DepthLayout& layout, const Viewport& viewport, const RenderOptions& options,
              const SearchResult* search, RenderList* out)
      : layout_(layout), viewport_(viewport), options_(options), search_(search), out_(out) {
    diff_colors_ = options.color_mode == ColorMode::kDiff ||
                   (options.color_mode == ColorMode::kAuto && layout.is_diff());
  }

  // Item geometry for ticks [start, end) in the row at |y|; false when
  // nothing of it is on screen.
  bool Place(int64_t start, int64_t end, float y, RenderItem* item) const {
    const double x0 = std::max(0.0, viewport_.XOfTick(start));
    const double x1 = std::min(viewport_.width_px, viewport_.XOfTick(end));
    if (!(x1 > x0)) return false;
    item->x = static_cast<float>(x0);
    item->w = static_cast<float>(x1 - x0);
    item->y = y;
    item->h = static_cast<float>(viewport_.row_height_px);
    return true;
  }

  // Label budget in characters for an item |w| pixels wide (0: none).
  size_t LabelBudget(double w) const {
    if (!options_.labels || w < options_.min_label_px || options_.char_width_px <= 0) return 0;
    const double chars = std::floor((w - 2 * options_.label_padding_px) / options_.char_width_px);
    return chars < 1 ? 0 : static_cast<size_t>(std::min(chars, 4096.0));
  }

  void SetLabel(std::string_view text, RenderItem* item) {
    if (text.empty()) return;
    item->label_offset = static_cast<uint32_t>(out_->labels.size());
    item->label_length = static_cast<uint32_t>(text.size());
    out_->labels.append(text);
  }

  ColorKey NodeColor(NodeId node) const {
    if (!diff_colors_) return {ColorClass::kPackage, layout_.package_color(layout_.name_index(node))};
    const double change = DiffChangePercent(layout_.total(node, 0), layout_.side_total(0),
                                            layout_.total(node, 1), layout_.side_total(1));
    return {ColorClass::kDiff, DiffBucket(change)};
  }

  Emphasis NodeEmphasis(NodeId node) const {
    if (search_ == nullptr) return Emphasis::kNormal;
    switch (search_->state(node)) {
      case NodeMatch::kMatch: return Emphasis::kMatch;
      case NodeMatch::kAncestorOfMatch: return Emphasis::kNormal;
      case NodeMatch::kNone: break;
    }
    return Emphasis::kDimmed;
  }

  Emphasis FoldedEmphasis(size_t depth, size_t begin, size_t end) const {
    if (search_ == nullptr) return Emphasis::kNormal;
    if (search_->MatchesIn(depth, begin, end) > 0) return Emphasis::kMatch;
    if (search_->RelevantIn(depth, begin, end) > 0) return Emphasis::kNormal;
    return Emphasis::kDimmed;
  }

  template <typename LabelFn>
  void AddNode(size_t depth, size_t index, float y, LabelFn&& label) {
    const DepthLayout::Level& level = layout_.level(depth);
    RenderItem item;
    if (!Place(level.start[index], level.end(index), y, &item)) return;
    const NodeId node = level.node[index];
    item.depth = static_cast<uint32_t>(depth);
    item.node = node;
    item.count = 1;
    item.level_index = static_cast<uint32_t>(index);
    item.start_tick = level.start[index];
    item.end_tick = level.end(index);
    item.value = level.width[index];
    item.color = NodeColor(node);
    item.kind = RenderItemKind::kNode;
    item.emphasis = NodeEmphasis(node);
    if (const size_t budget = LabelBudget(item.w); budget > 0) SetLabel(label(node, budget), &item);
    out_->items.push_back(item);
  }

  void AddFolded(size_t depth, size_t begin, size_t end, float y) {
    const DepthLayout::Level& level = layout_.level(depth);
    RenderItem item;
    if (!Place(level.start[begin], level.end(end - 1), y, &item)) return;
    item.depth = static_cast<uint32_t>(depth);
    item.node = level.node[begin];
    item.count = static_cast<uint32_t>(end - begin);
    item.level_index = static_cast<uint32_t>(begin);
    item.start_tick = level.start[begin];
    item.end_tick = level.end(end - 1);
    item.value = level.ValueOf(begin, end);
    item.color = {ColorClass::kFolded, 0};
    item.kind = RenderItemKind::kFolded;
    item.emphasis = FoldedEmphasis(depth, begin, end);
    if (const size_t budget = LabelBudget(item.w); budget > 0) {
      const std::string count = std::to_string(item.count);
      if (count.size() <= budget) SetLabel(count, &item);
    }
    out_->items.push_back(item);
  }

 private:
  const DepthLayout& layout_;
  const Viewport& viewport_;
  const RenderOptions& options_;
  const SearchResult* search_;
  RenderList* out_;
  bool diff_colors_ = false;
};

}  // namespace

std::string_view RenderListBuilder::Label(const DepthLayout& layout, NodeId node, size_t max_chars) {
  const uint64_t key = (static_cast<uint64_t>(layout.name_index(node)) << 16) | std::min<size_t>(max_chars, 0xffff);
  auto it = label_cache_.find(key);
  if (it == label_cache_.end()) {
    if (label_cache_.size() >= kMaxCachedLabels) label_cache_.clear();
    it = label_cache_.emplace(key, ShortenName(layout.name(node), max_chars)).first;
  }
  return it->second;
}

void RenderListBuilder::Build(const DepthLayout& layout, const Viewport& viewport,
                              const RenderOptions& options, const SearchResult* search, RenderList* out) {
  out->Clear();
  out->width_px = static_cast<float>(viewport.width_px);
  out->height_px = static_cast<float>(viewport.height_px);
  if (viewport.empty()) return;
  // The cache is keyed by name index, which means nothing in another layout.
  if (layout.id() != cached_layout_id_) {
    label_cache_.clear();
    cached_layout_id_ = layout.id();
  }
  const auto [first_depth, last_depth] = viewport.VisibleDepths(layout.depth_count());
  if (first_depth >= last_depth) return;

  const double pixels_per_tick = viewport.pixels_per_tick();
  const int64_t narrow = TicksForPixels(options.min_visible_px, pixels_per_tick);
  const int64_t drop = TicksForPixels(options.min_drawn_px, pixels_per_tick);
  FrameWriter writer(layout, viewport, options, search, out);
  auto label = [this, &layout](NodeId node, size_t budget) { return Label(layout, node, budget); };
  auto no_label = [](NodeId, size_t) { return std::string_view(); };

  folds_above_.clear();
  // Rows above the view are walked without emitting: their folds decide
  // what folds below them.
  for (size_t depth = 0; depth < last_depth; ++depth) {
    const bool emit = depth >= first_depth;
    const DepthLayout::Level& level = layout.level(depth);
    const float y = static_cast<float>(viewport.RowY(depth));
    folds_here_.clear();
    RenderRow row;
    row.depth = static_cast<uint32_t>(depth);
    row.y = y;
    row.h = static_cast<float>(viewport.row_height_px);
    row.begin = static_cast<uint32_t>(out->items.size());

    // Culling: nodes overlapping [viewport.start, viewport.end) only.
    const size_t lo = PartitionPoint(0, level.size(), [&](size_t k) { return level.end(k) <= viewport.start; });
    const size_t hi = PartitionPoint(lo, level.size(), [&](size_t k) { return level.start[k] < viewport.end; });

    size_t fold = 0;  // first fold of the row above that may contain level.start[i]
    size_t i = lo;
    while (i < hi) {
      ++out->nodes_examined;
      const int64_t start = level.start[i];
      while (fold < folds_above_.size() && folds_above_[fold].second <= start) ++fold;
      if (fold < folds_above_.size() && folds_above_[fold].first <= start) {
        // Under a folded item: everything inside its extent folds into one.
        const int64_t fold_end = folds_above_[fold].second;
        const size_t j = PartitionPoint(i + 1, hi, [&](size_t k) { return level.start[k] < fold_end; });
        folds_here_.emplace_back(start, level.end(j - 1));
        if (emit && level.end(j - 1) - start >= drop) writer.AddFolded(depth, i, j, y);
        i = j;
        continue;
      }
      if (level.width[i] >= narrow) {
        if (emit) writer.AddNode(depth, i, y, label);
        ++i;
        continue;
      }
      // A run of narrow siblings. Siblings have no gaps between them, so
      // every sibling ending before cur_end + narrow is narrow: jump over
      // them by binary search instead of visiting each.
      size_t limit = hi;
      if (const NodeId parent = layout.parent(level.node[i]); parent != kNoNode) {
        const int64_t parent_end = layout.end(parent);
        limit = PartitionPoint(i + 1, hi, [&](size_t k) { return level.start[k] < parent_end; });
      }
      size_t run_end = i + 1;
      int64_t cur_end = level.end(i);
      while (run_end < limit) {
        const int64_t target = cur_end > kHugeTicks ? cur_end : cur_end + narrow;
        const size_t j = PartitionPoint(run_end, limit, [&](size_t k) { return level.end(k) < target; });
        if (j > run_end) {
          run_end = j;
          cur_end = level.end(j - 1);
        }
        if (run_end >= limit) break;
        ++out->nodes_examined;
        if (level.width[run_end] >= narrow) break;
        cur_end = level.end(run_end);
        ++run_end;
      }
      if (run_end - i == 1) {
        // A run of one is the node itself, too narrow for a label.
        if (emit && level.width[i] >= drop) writer.AddNode(depth, i, y, no_label);
      } else {
        folds_here_.emplace_back(start, cur_end);
        if (emit && cur_end - start >= drop) writer.AddFolded(depth, i, run_end, y);
      }
      i = run_end;
    }
    row.end = static_cast<uint32_t>(out->items.size());
    if (emit) out->rows.push_back(row);
    std::swap(folds_above_, folds_here_);
  }
}

}  // namespace kiln::viewer
