// Heatmap of profiles: each profile is a point (time, value) - e.g. its
// timestamp and its total CPU - and the heatmap counts points per cell of a
// time x value grid. A range selection (a brush over cells, or exact time
// and value bounds) yields the ids of the profiles in it, which the viewer
// then merges into a flame graph.
//
// Buckets: the range [lo, hi] (inclusive; by default the data's min and
// max) is split into n buckets; x falls in bucket (x - lo) * n / (hi - lo +
// 1), computed in 128-bit integers, so every point lands in exactly one
// bucket and the edges are integers: bucket i starts at
// lo + ceil(i * (hi - lo + 1) / n).
//
// Invariants:
//  1. sum of all counts + points_outside == number of points given.
//  2. ids of a cell are kept, so selections are exact, not estimated.
// Thread safety: Build is a pure function; a Heatmap is immutable.
#ifndef KILN_VIEWER_HEATMAP_H_
#define KILN_VIEWER_HEATMAP_H_

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "absl/status/statusor.h"

namespace kiln::viewer {

struct HeatmapPoint {
  int64_t time = 0;   // e.g. nanoseconds since the epoch
  int64_t value = 0;  // e.g. the profile's total
  uint64_t profile_id = 0;
};

struct HeatmapOptions {
  uint32_t time_buckets = 100;
  uint32_t value_buckets = 20;
  // Fixed ranges (inclusive); unset: the data's min and max. Points outside
  // a fixed range are not binned (points_outside counts them).
  std::optional<int64_t> time_min, time_max, value_min, value_max;
};

class Heatmap {
 public:
  // InvalidArgument for zero buckets or a range with min > max.
  static absl::StatusOr<Heatmap> Build(std::span<const HeatmapPoint> points,
                                       const HeatmapOptions& options = {});

  uint32_t time_buckets() const { return time_buckets_; }
  uint32_t value_buckets() const { return value_buckets_; }
  uint32_t count(uint32_t time_bucket, uint32_t value_bucket) const {
    return cell_begin_[Cell(time_bucket, value_bucket) + 1] - cell_begin_[Cell(time_bucket, value_bucket)];
  }
  uint32_t max_count() const { return max_count_; }
  uint64_t points_outside() const { return points_outside_; }
  int64_t time_min() const { return time_lo_; }
  int64_t time_max() const { return time_hi_; }
  int64_t value_min() const { return value_lo_; }
  int64_t value_max() const { return value_hi_; }
  // First value of a bucket; i == buckets gives one past the range's end
  // (saturated at INT64_MAX).
  int64_t TimeEdge(uint32_t i) const { return Edge(time_lo_, time_hi_, time_buckets_, i); }
  int64_t ValueEdge(uint32_t i) const { return Edge(value_lo_, value_hi_, value_buckets_, i); }
  // Bucket of a value, or nullopt outside the range.
  std::optional<uint32_t> TimeBucketOf(int64_t time) const;
  std::optional<uint32_t> ValueBucketOf(int64_t value) const;

  // Profile ids of the cells [time_begin, time_end) x [value_begin,
  // value_end) (bucket indices; clamped), sorted and unique.
  std::vector<uint64_t> SelectCells(uint32_t time_begin, uint32_t time_end, uint32_t value_begin,
                                    uint32_t value_end) const;
  // Profile ids of points with time in [time_from, time_to) and value in
  // [value_from, value_to), exactly (not snapped to cells), sorted, unique.
  std::vector<uint64_t> SelectRange(int64_t time_from, int64_t time_to, int64_t value_from,
                                    int64_t value_to) const;

 private:
  size_t Cell(uint32_t t, uint32_t v) const { return static_cast<size_t>(t) * value_buckets_ + v; }
  static int64_t Edge(int64_t lo, int64_t hi, uint32_t n, uint32_t i);
  static std::optional<uint32_t> BucketOf(int64_t lo, int64_t hi, uint32_t n, int64_t x);

  uint32_t time_buckets_ = 0, value_buckets_ = 0;
  int64_t time_lo_ = 0, time_hi_ = 0, value_lo_ = 0, value_hi_ = 0;
  uint32_t max_count_ = 0;
  uint64_t points_outside_ = 0;
  // Points grouped by cell (counting sort): cell c holds
  // points_[cell_begin_[c] .. cell_begin_[c + 1]).
  std::vector<uint32_t> cell_begin_;
  std::vector<HeatmapPoint> points_;
};

}  // namespace kiln::viewer

#endif  // KILN_VIEWER_HEATMAP_H_
