// Invariants of render lists over random trees and random viewports, checked
// against a linear scan of the layout (what culling must find) rather than
// against expected text.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "fmt/format.h"
#include "kiln/viewer/hit_test.h"
#include "kiln/viewer/render_list_builder.h"
#include "viewer/model/tree_from_collapsed.h"

namespace kiln::viewer {
namespace {

using testing::TreeFromCollapsed;

std::string RandomCollapsed(std::mt19937_64& rng) {
  std::string text;
  const int lines = 50 + static_cast<int>(rng() % 400);
  for (int l = 0; l < lines; ++l) {
    const int depth = 1 + static_cast<int>(rng() % 8);
    for (int d = 0; d < depth; ++d) {
      if (d > 0) text += ';';
      text += fmt::format("f{}", rng() % (d < 2 ? 3 : 12));
    }
    // Mostly small values, now and then a large one: wide and narrow bars.
    const uint64_t v = rng() % 10 == 0 ? 1 + rng() % 5000 : 1 + rng() % 20;
    text += fmt::format(" {}\n", v);
  }
  return text;
}

Viewport RandomViewport(std::mt19937_64& rng, const DepthLayout& layout) {
  const double width = 50 + static_cast<double>(rng() % 2000);
  const double height = 20 + static_cast<double>(rng() % 300);
  Viewport v = Viewport::Full(layout, width, height,
                              rng() % 2 == 0 ? Orientation::kIcicle : Orientation::kFlame,
                              10 + static_cast<double>(rng() % 20));
  const int64_t total = layout.total();
  const int64_t span = std::max<int64_t>(1, total >> (rng() % 16));
  const int64_t start = static_cast<int64_t>(rng() % static_cast<uint64_t>(std::max<int64_t>(1, total - span + 1)));
  v.ZoomTo(start, start + span);
  v.scroll_y = static_cast<double>(rng() % 100);
  return v;
}

void CheckFrame(const DepthLayout& layout, const Viewport& v, const RenderOptions& options,
                const RenderList& list, bool nothing_dropped) {
  const double ppt = v.pixels_per_tick();
  const auto [first, last] = v.VisibleDepths(layout.depth_count());
  ASSERT_EQ(list.rows.size(), last - first);
  for (size_t r = 0; r < list.rows.size(); ++r) {
    const RenderRow& row = list.rows[r];
    const size_t depth = first + r;
    ASSERT_EQ(row.depth, depth);
    EXPECT_FLOAT_EQ(row.y, static_cast<float>(v.RowY(depth)));
    const auto& level = layout.level(depth);
    // What culling must find: the nodes overlapping [v.start, v.end).
    size_t lo = 0;
    while (lo < level.size() && level.end(lo) <= v.start) ++lo;
    size_t hi = lo;
    while (hi < level.size() && level.start[hi] < v.end) ++hi;
    size_t next_index = lo;  // items cover level indices in order, without overlap
    for (uint32_t i = row.begin; i < row.end; ++i) {
      const RenderItem& item = list.items[i];
      SCOPED_TRACE(fmt::format("depth {} item {}", depth, i - row.begin));
      EXPECT_EQ(item.depth, depth);
      EXPECT_GE(item.x, 0);
      EXPECT_GT(item.w, 0);
      EXPECT_LE(item.x + item.w, v.width_px + 1e-3);
      if (i > row.begin) {
        EXPECT_GE(item.x, list.items[i - 1].x + list.items[i - 1].w - 1e-3);
      }
      ASSERT_GE(item.level_index, next_index);
      if (nothing_dropped) {
        EXPECT_EQ(item.level_index, next_index);
      }
      const size_t end_index = item.level_index + item.count;
      ASSERT_LE(end_index, hi);
      EXPECT_EQ(item.node, level.node[item.level_index]);
      EXPECT_EQ(item.start_tick, level.start[item.level_index]);
      EXPECT_EQ(item.end_tick, level.end(end_index - 1));
      EXPECT_EQ(item.value, level.ValueOf(item.level_index, end_index));
      const double full_px = static_cast<double>(item.end_tick - item.start_tick) * ppt;
      EXPECT_GE(full_px, options.min_drawn_px * (1 - 1e-9));
      if (item.kind == RenderItemKind::kNode) {
        EXPECT_EQ(item.count, 1u);
      } else {
        EXPECT_GE(item.count, 1u);
        // Every folded node is narrow, or lies under a folded item above.
        for (size_t k = item.level_index; k < end_index; ++k) {
          if (static_cast<double>(level.width[k]) * ppt < options.min_visible_px) continue;
          const RenderItem* above = nullptr;
          if (r > 0) {
            for (uint32_t j = list.rows[r - 1].begin; j < list.rows[r - 1].end; ++j) {
              const RenderItem& a = list.items[j];
              if (a.start_tick <= level.start[k] && level.start[k] < a.end_tick) above = &a;
            }
          }
          // Rows above the view are not emitted; only check within the view.
          if (r > 0) {
            ASSERT_NE(above, nullptr) << "wide node folded with no fold above";
            EXPECT_EQ(above->kind, RenderItemKind::kFolded);
          }
        }
      }
      if (item.label_length > 0) {
        EXPECT_GE(item.w, options.min_label_px);
        EXPECT_LE(static_cast<double>(item.label_length), 4.0 * (item.w / options.char_width_px));
      }
      const RenderItem* hit = HitTest(list, item.x + item.w / 2, item.y + item.h / 2);
      EXPECT_EQ(hit, &item);
      next_index = end_index;
    }
    if (nothing_dropped) {
      EXPECT_EQ(next_index, hi) << "depth " << depth;
    }
  }
}

TEST(RenderListPropertiesTest, RandomTreesAndViewports) {
  std::mt19937_64 rng(7);
  RenderListBuilder builder;
  RenderList list;
  size_t folded = 0, folded_under_fold = 0, dropped_frames = 0, frames = 0;
  for (int t = 0; t < 40; ++t) {
    Tree tree = TreeFromCollapsed(RandomCollapsed(rng));
    DepthLayout layout = DepthLayout::Build(tree);
    for (int k = 0; k < 25; ++k) {
      const Viewport v = RandomViewport(rng, layout);
      SCOPED_TRACE(fmt::format("tree {} view {}: [{}, {}) {}x{} scroll {}", t, k, v.start, v.end, v.width_px,
                               v.height_px, v.scroll_y));
      RenderOptions keep_all;
      keep_all.min_drawn_px = 0;
      builder.Build(layout, v, keep_all, nullptr, &list);
      CheckFrame(layout, v, keep_all, list, /*nothing_dropped=*/true);
      const size_t all_items = list.items.size();
      for (const RenderItem& item : list.items) {
        folded += item.kind == RenderItemKind::kFolded;
        folded_under_fold += item.kind == RenderItemKind::kFolded && item.count == 1;
      }
      const RenderOptions defaults;
      builder.Build(layout, v, defaults, nullptr, &list);
      dropped_frames += list.items.size() < all_items;
      ++frames;
      CheckFrame(layout, v, defaults, list, /*nothing_dropped=*/false);
      if (::testing::Test::HasFailure()) return;
    }
  }
  // The random cases reach every rule.
  EXPECT_GT(folded, 100u);
  EXPECT_GT(folded_under_fold, 10u);
  EXPECT_GT(dropped_frames, frames / 10);
  std::printf("%zu frames: %zu folded items (%zu single nodes under a fold), %zu frames with drops\n", frames,
              folded, folded_under_fold, dropped_frames);
}

}  // namespace
}  // namespace kiln::viewer
