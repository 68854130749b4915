// The render rules on a real, wide profile: at full zoom, every row's items
// are disjoint and account for the row's value (within 1 px), and every
// item hit-tests to itself.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/testing/corpus.h"
#include "kiln/ingest/importer_registry.h"
#include "kiln/query/tree_builder.h"
#include "kiln/viewer/depth_layout.h"
#include "kiln/viewer/hit_test.h"
#include "kiln/viewer/render_list_builder.h"

namespace kiln::viewer {
namespace {

TEST(CorpusRenderTest, WideHeapAtFullZoomHasNoOverlapsAndKeepsWidths) {
  KILN_SKIP_WITHOUT_CORPUS();
  const std::string path = kiln::testing::CorpusPath("pprof/generated-go/wide-heap.pb.gz");
  const std::string bytes = kiln::testing::ReadFileForTest(path);
  ASSERT_FALSE(bytes.empty());
  auto profiles = ImporterRegistry::Default().Import(bytes, path);
  ASSERT_TRUE(profiles.ok()) << profiles.status().message();
  const Profile& profile = profiles->front();
  Tree tree = BuildTree(profile, profile.DefaultTypeIndex());
  DepthLayout layout = DepthLayout::Build(tree);
  ASSERT_GT(layout.size(), 1000u) << "wide-heap should be wide";
  ASSERT_EQ(layout.total(), tree.total());

  for (Orientation orientation : {Orientation::kIcicle, Orientation::kFlame}) {
    const double row = 20;
    Viewport v = Viewport::Full(layout, 1920, row * static_cast<double>(layout.depth_count()), orientation, row);
    RenderListBuilder builder;
    RenderList list;
    builder.Build(layout, v, {}, nullptr, &list);
    ASSERT_EQ(list.rows.size(), layout.depth_count());
    const double pixels_per_tick = v.pixels_per_tick();
    size_t folded = 0;
    for (const RenderRow& r : list.rows) {
      double sum = 0;
      for (uint32_t i = r.begin; i < r.end; ++i) {
        const RenderItem& item = list.items[i];
        EXPECT_EQ(item.depth, r.depth);
        EXPECT_GE(item.x, 0);
        EXPECT_LE(item.x + item.w, 1920 + 1e-3);
        if (i > r.begin) {
          const RenderItem& prev = list.items[i - 1];
          EXPECT_GE(item.x, prev.x + prev.w - 1e-3) << "overlap at depth " << r.depth << " item " << i;
        }
        sum += item.w;
        folded += item.kind == RenderItemKind::kFolded;
        const RenderItem* hit = HitTest(list, item.x + item.w / 2, item.y + item.h / 2);
        EXPECT_EQ(hit, &item) << "depth " << r.depth << " item " << i;
      }
      const double expected = static_cast<double>(layout.level(r.depth).prefix.back()) * pixels_per_tick;
      EXPECT_NEAR(sum, expected, 1.0) << "depth " << r.depth;
    }
    EXPECT_GT(folded, 0u) << "a wide profile at full zoom folds some runs";
  }
}

}  // namespace
}  // namespace kiln::viewer
