#include "kiln/viewer/viewport.h"

#include <algorithm>
#include <cmath>

#include "kiln/viewer/depth_layout.h"

namespace kiln::viewer {
namespace {

// Keeps a span of |span| ticks starting near |start| inside [0, total) when
// it fits there.
int64_t ClampStart(int64_t start, int64_t span, int64_t total) {
  if (span >= total) return 0;
  return std::clamp<int64_t>(start, 0, total - span);
}

int64_t RoundToTicks(double v) {
  constexpr double kMax = 9.0e18;
  return static_cast<int64_t>(std::llround(std::clamp(v, -kMax, kMax)));
}

}  // namespace

Viewport Viewport::Full(const DepthLayout& layout, double width_px, double height_px,
                        Orientation orientation, double row_height_px) {
  Viewport v;
  v.ZoomTo(0, std::max<int64_t>(layout.total(), kMinSpanTicks));
  v.width_px = width_px;
  v.height_px = height_px;
  v.row_height_px = row_height_px;
  v.orientation = orientation;
  return v;
}

int64_t Viewport::TickAtX(double x) const {
  const double span = static_cast<double>(end - start);
  return start + static_cast<int64_t>(std::floor(x / width_px * span));
}

double Viewport::RowY(size_t depth) const {
  const double d = static_cast<double>(depth);
  return orientation == Orientation::kIcicle ? d * row_height_px - scroll_y
                                             : height_px - (d + 1) * row_height_px + scroll_y;
}

int64_t Viewport::DepthAtY(double y) const {
  // Rows are [top, top + row_height): a y on a boundary belongs to the row
  // below it on screen.
  const double d = orientation == Orientation::kIcicle
                       ? std::floor((y + scroll_y) / row_height_px)
                       : std::ceil((height_px + scroll_y - y) / row_height_px) - 1;
  return d < 0 ? -1 : static_cast<int64_t>(d);
}

std::pair<size_t, size_t> Viewport::VisibleDepths(size_t depth_count) const {
  if (empty()) return {0, 0};
  // The same for both orientations: a row is visible when scroll_y < (d + 1)
  // * row_height and d * row_height < height + scroll_y.
  const double first = std::max(0.0, std::floor(scroll_y / row_height_px));
  const double last = std::max(0.0, std::ceil((height_px + scroll_y) / row_height_px));
  const size_t lo = static_cast<size_t>(std::min(first, static_cast<double>(depth_count)));
  const size_t hi = static_cast<size_t>(std::min(last, static_cast<double>(depth_count)));
  return {lo, std::max(lo, hi)};
}

void Viewport::ZoomTo(int64_t from, int64_t to) {
  if (to - from < kMinSpanTicks) {
    const int64_t middle = from + (to - from) / 2;
    from = middle - kMinSpanTicks / 2;
    to = from + kMinSpanTicks;
  }
  start = from;
  end = to;
}

void Viewport::ZoomAt(double x_px, double factor, int64_t total) {
  if (empty() || factor <= 0) return;
  const double span = static_cast<double>(end - start);
  const double fraction = std::clamp(x_px / width_px, 0.0, 1.0);
  const double anchor = static_cast<double>(start) + fraction * span;
  const int64_t new_span = std::max<int64_t>(kMinSpanTicks, RoundToTicks(span / factor));
  const int64_t new_start = ClampStart(RoundToTicks(anchor - fraction * static_cast<double>(new_span)),
                                       new_span, total);
  start = new_start;
  end = new_start + new_span;
}

void Viewport::PanBy(double dx_px, int64_t total) {
  if (empty()) return;
  const int64_t span = end - start;
  const int64_t delta = RoundToTicks(dx_px / pixels_per_tick());
  start = ClampStart(start + delta, span, total);
  end = start + span;
}

}  // namespace kiln::viewer
