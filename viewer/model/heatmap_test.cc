#include "kiln/viewer/heatmap.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kiln::viewer {
namespace {

// time 0..99 in 10 buckets (bucket = t / 10); value 0..100 in 5 buckets
// (bucket = v * 5 / 101; edges 0, 21, 41, 61, 81, 101).
const std::vector<HeatmapPoint> kPoints = {
    {0, 0, 1}, {9, 10, 2}, {10, 0, 3}, {99, 100, 4}, {50, 50, 5}, {55, 49, 6}, {55, 20, 7}, {56, 21, 8},
};

std::string Grid(const Heatmap& h) {
  std::string out;
  for (uint32_t v = h.value_buckets(); v-- > 0;) {  // high values on top
    for (uint32_t t = 0; t < h.time_buckets(); ++t) out += std::to_string(h.count(t, v));
    out += '\n';
  }
  return out;
}

TEST(HeatmapTest, BinsByTimeAndValue) {
  auto h = Heatmap::Build(kPoints, {.time_buckets = 10, .value_buckets = 5});
  ASSERT_TRUE(h.ok()) << h.status().message();
  EXPECT_EQ(h->time_min(), 0);
  EXPECT_EQ(h->time_max(), 99);
  EXPECT_EQ(h->value_min(), 0);
  EXPECT_EQ(h->value_max(), 100);
  EXPECT_EQ(Grid(*h),
            "0000000001\n"
            "0000000000\n"
            "0000020000\n"
            "0000010000\n"
            "2100010000\n");
  EXPECT_EQ(h->max_count(), 2u);
  EXPECT_EQ(h->points_outside(), 0u);
  EXPECT_EQ(h->ValueEdge(0), 0);
  EXPECT_EQ(h->ValueEdge(1), 21);
  EXPECT_EQ(h->ValueEdge(2), 41);
  EXPECT_EQ(h->ValueEdge(5), 101);
  EXPECT_EQ(h->TimeEdge(1), 10);
  EXPECT_EQ(h->ValueBucketOf(20), 0u);
  EXPECT_EQ(h->ValueBucketOf(21), 1u);
  EXPECT_EQ(h->ValueBucketOf(101), std::nullopt);
  EXPECT_EQ(h->TimeBucketOf(-1), std::nullopt);
}

TEST(HeatmapTest, RangeSelectionGivesTheProfiles) {
  auto h = Heatmap::Build(kPoints, {.time_buckets = 10, .value_buckets = 5});
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->SelectCells(0, 2, 0, 5), (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(h->SelectCells(5, 6, 2, 3), (std::vector<uint64_t>{5, 6}));
  EXPECT_EQ(h->SelectCells(5, 6, 0, 5), (std::vector<uint64_t>{5, 6, 7, 8}));
  EXPECT_EQ(h->SelectCells(0, 100, 0, 100), (std::vector<uint64_t>{1, 2, 3, 4, 5, 6, 7, 8}));  // clamped
  EXPECT_EQ(h->SelectCells(3, 3, 0, 5), (std::vector<uint64_t>{}));
  // Exact bounds, not snapped to cells: value 49 but not 50.
  EXPECT_EQ(h->SelectRange(50, 56, 49, 50), (std::vector<uint64_t>{6}));
  EXPECT_EQ(h->SelectRange(55, 57, 20, 22), (std::vector<uint64_t>{7, 8}));
  EXPECT_EQ(h->SelectRange(-1000, 1000, -1000, 1000).size(), 8u);
  EXPECT_EQ(h->SelectRange(10, 10, 0, 100), (std::vector<uint64_t>{}));
}

TEST(HeatmapTest, FixedRangesCountPointsOutsideAndIdsAreUnique) {
  std::vector<HeatmapPoint> points = kPoints;
  points.push_back({1, 1, 1});  // profile 1 again
  auto h = Heatmap::Build(points, {.time_buckets = 2, .value_buckets = 1, .time_min = 0, .time_max = 59});
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->points_outside(), 1u);  // t = 99
  EXPECT_EQ(h->count(0, 0), 4u);       // t 0, 9, 10, 1
  EXPECT_EQ(h->count(1, 0), 4u);       // t 50, 55, 55, 56
  EXPECT_EQ(h->SelectCells(0, 1, 0, 1), (std::vector<uint64_t>{1, 2, 3}));
}

TEST(HeatmapTest, EdgesOfTheInt64RangeAndEmptyInput) {
  const std::vector<HeatmapPoint> extremes = {
      {INT64_MIN, INT64_MIN, 1}, {INT64_MAX, INT64_MAX, 2}, {0, 0, 3}};
  auto h = Heatmap::Build(extremes, {.time_buckets = 4, .value_buckets = 4});
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->count(0, 0), 1u);
  EXPECT_EQ(h->count(2, 2), 1u);
  EXPECT_EQ(h->count(3, 3), 1u);
  EXPECT_EQ(h->TimeEdge(2), 0);
  EXPECT_EQ(h->TimeEdge(4), INT64_MAX);  // one past INT64_MAX saturates
  auto empty = Heatmap::Build({}, {});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->max_count(), 0u);
  EXPECT_TRUE(empty->SelectCells(0, 100, 0, 20).empty());
}

TEST(HeatmapTest, BadOptionsAreErrors) {
  EXPECT_EQ(Heatmap::Build(kPoints, {.time_buckets = 0}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Heatmap::Build(kPoints, {.time_min = 10, .time_max = 5}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Heatmap::Build(kPoints, {.value_min = 10, .value_max = 5}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kiln::viewer
