// Diff colouring (grafana's flame graph rule): the relative change of a
// node's share of its side's total, (share_new - share_base) / share_base,
// in percent, clamped to [-100, +100]; a node only in the new profile is
// +100, one only in the base -100. Neutral (0) when either side's total is 0.
// Shares are of the whole profile's totals even when zoomed or focused, so
// a node keeps its colour while navigating.
// Thread safety: pure functions.
#ifndef KILN_VIEWER_DIFF_COLOR_H_
#define KILN_VIEWER_DIFF_COLOR_H_

#include <cstdint>

namespace kiln::viewer {

double DiffChangePercent(int64_t base_value, int64_t base_total, int64_t new_value,
                         int64_t new_total);
// 0 .. kDiffBuckets - 1: round(change / 10) + kDiffNeutralBucket.
uint8_t DiffBucket(double change_percent);

}  // namespace kiln::viewer

#endif  // KILN_VIEWER_DIFF_COLOR_H_
