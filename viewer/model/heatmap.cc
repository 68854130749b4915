#include "kiln/viewer/heatmap.h"

#include <algorithm>

#include "absl/status/status.h"
#include "fmt/format.h"

namespace kiln::viewer {
namespace {

using Wide = __int128;

std::vector<uint64_t> SortedUnique(std::vector<uint64_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace

int64_t Heatmap::Edge(int64_t lo, int64_t hi, uint32_t n, uint32_t i) {
  const Wide span = static_cast<Wide>(hi) - lo + 1;
  // ceil(i * span / n)
  const Wide offset = (static_cast<Wide>(i) * span + n - 1) / n;
  const Wide edge = static_cast<Wide>(lo) + offset;
  return edge > INT64_MAX ? INT64_MAX : static_cast<int64_t>(edge);
}

std::optional<uint32_t> Heatmap::BucketOf(int64_t lo, int64_t hi, uint32_t n, int64_t x) {
  if (x < lo || x > hi) return std::nullopt;
  const Wide span = static_cast<Wide>(hi) - lo + 1;
  return static_cast<uint32_t>((static_cast<Wide>(x) - lo) * n / span);
}

std::optional<uint32_t> Heatmap::TimeBucketOf(int64_t time) const {
  return BucketOf(time_lo_, time_hi_, time_buckets_, time);
}

std::optional<uint32_t> Heatmap::ValueBucketOf(int64_t value) const {
  return BucketOf(value_lo_, value_hi_, value_buckets_, value);
}

absl::StatusOr<Heatmap> Heatmap::Build(std::span<const HeatmapPoint> points, const HeatmapOptions& options) {
  if (options.time_buckets == 0 || options.value_buckets == 0) {
    return absl::InvalidArgumentError(fmt::format("heatmap: {} time x {} value buckets; both must be > 0",
                                                  options.time_buckets, options.value_buckets));
  }
  if (static_cast<uint64_t>(options.time_buckets) * options.value_buckets > (uint64_t{1} << 26)) {
    return absl::InvalidArgumentError(fmt::format("heatmap: {} x {} cells is more than a screen can show",
                                                  options.time_buckets, options.value_buckets));
  }
  Heatmap h;
  h.time_buckets_ = options.time_buckets;
  h.value_buckets_ = options.value_buckets;
  int64_t t_min = 0, t_max = 0, v_min = 0, v_max = 0;
  if (!points.empty()) {
    t_min = t_max = points[0].time;
    v_min = v_max = points[0].value;
    for (const HeatmapPoint& p : points) {
      t_min = std::min(t_min, p.time);
      t_max = std::max(t_max, p.time);
      v_min = std::min(v_min, p.value);
      v_max = std::max(v_max, p.value);
    }
  }
  h.time_lo_ = options.time_min.value_or(t_min);
  h.time_hi_ = options.time_max.value_or(t_max);
  h.value_lo_ = options.value_min.value_or(v_min);
  h.value_hi_ = options.value_max.value_or(v_max);
  if (h.time_lo_ > h.time_hi_) {
    return absl::InvalidArgumentError(
        fmt::format("heatmap: time range [{}, {}] has min > max", h.time_lo_, h.time_hi_));
  }
  if (h.value_lo_ > h.value_hi_) {
    return absl::InvalidArgumentError(
        fmt::format("heatmap: value range [{}, {}] has min > max", h.value_lo_, h.value_hi_));
  }
  if (points.size() >= UINT32_MAX) {
    return absl::InvalidArgumentError(fmt::format("heatmap: {} points; at most 2^32 - 2", points.size()));
  }

  // Counting sort by cell: counts, then offsets, then placement.
  const size_t cells = static_cast<size_t>(h.time_buckets_) * h.value_buckets_;
  std::vector<uint32_t> cell_of(points.size(), UINT32_MAX);
  h.cell_begin_.assign(cells + 1, 0);
  for (size_t i = 0; i < points.size(); ++i) {
    const auto t = h.TimeBucketOf(points[i].time);
    const auto v = h.ValueBucketOf(points[i].value);
    if (!t || !v) {
      ++h.points_outside_;
      continue;
    }
    cell_of[i] = static_cast<uint32_t>(h.Cell(*t, *v));
    ++h.cell_begin_[cell_of[i] + 1];
  }
  for (size_t c = 0; c < cells; ++c) {
    h.max_count_ = std::max(h.max_count_, h.cell_begin_[c + 1]);
    h.cell_begin_[c + 1] += h.cell_begin_[c];
  }
  h.points_.resize(h.cell_begin_[cells]);
  std::vector<uint32_t> next(h.cell_begin_.begin(), h.cell_begin_.end() - 1);
  for (size_t i = 0; i < points.size(); ++i) {
    if (cell_of[i] != UINT32_MAX) h.points_[next[cell_of[i]]++] = points[i];
  }
  return h;
}

std::vector<uint64_t> Heatmap::SelectCells(uint32_t time_begin, uint32_t time_end, uint32_t value_begin,
                                           uint32_t value_end) const {
  time_end = std::min(time_end, time_buckets_);
  value_end = std::min(value_end, value_buckets_);
  std::vector<uint64_t> ids;
  for (uint32_t t = time_begin; t < time_end; ++t) {
    for (uint32_t v = value_begin; v < value_end; ++v) {
      const size_t c = Cell(t, v);
      for (uint32_t k = cell_begin_[c]; k < cell_begin_[c + 1]; ++k) ids.push_back(points_[k].profile_id);
    }
  }
  return SortedUnique(std::move(ids));
}

std::vector<uint64_t> Heatmap::SelectRange(int64_t time_from, int64_t time_to, int64_t value_from,
                                           int64_t value_to) const {
  std::vector<uint64_t> ids;
  if (time_from >= time_to || value_from >= value_to) return ids;
  // Only the cells the range touches, then each point exactly.
  const int64_t t_first = std::max(time_from, time_lo_), t_last = std::min(time_to - 1, time_hi_);
  const int64_t v_first = std::max(value_from, value_lo_), v_last = std::min(value_to - 1, value_hi_);
  if (t_first > t_last || v_first > v_last) return ids;
  const uint32_t t0 = *TimeBucketOf(t_first), t1 = *TimeBucketOf(t_last);
  const uint32_t v0 = *ValueBucketOf(v_first), v1 = *ValueBucketOf(v_last);
  for (uint32_t t = t0; t <= t1; ++t) {
    for (uint32_t v = v0; v <= v1; ++v) {
      const size_t c = Cell(t, v);
      for (uint32_t k = cell_begin_[c]; k < cell_begin_[c + 1]; ++k) {
        const HeatmapPoint& p = points_[k];
        if (p.time >= time_from && p.time < time_to && p.value >= value_from && p.value < value_to) {
          ids.push_back(p.profile_id);
        }
      }
    }
  }
  return SortedUnique(std::move(ids));
}

}  // namespace kiln::viewer
