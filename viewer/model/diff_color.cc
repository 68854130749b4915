#include "kiln/viewer/diff_color.h"

#include <algorithm>
#include <cmath>

#include "kiln/viewer/color_key.h"

namespace kiln::viewer {

double DiffChangePercent(int64_t base_value, int64_t base_total, int64_t new_value,
                         int64_t new_total) {
  if (base_total <= 0 || new_total <= 0) return 0;
  const double base_share = static_cast<double>(base_value) / static_cast<double>(base_total);
  const double new_share = static_cast<double>(new_value) / static_cast<double>(new_total);
  if (base_share == 0) return new_share > 0 ? 100 : 0;
  return std::clamp((new_share - base_share) / base_share * 100.0, -100.0, 100.0);
}

uint8_t DiffBucket(double change_percent) {
  const double clamped = std::clamp(change_percent, -100.0, 100.0);
  const long bucket = std::lround(clamped / 10.0) + kDiffNeutralBucket;
  return static_cast<uint8_t>(std::clamp<long>(bucket, 0, kDiffBuckets - 1));
}

}  // namespace kiln::viewer
