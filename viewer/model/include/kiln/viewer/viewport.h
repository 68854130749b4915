// What part of a flame graph is on screen: a tick range (the zoom), a
// vertical scroll, the pixel size of the view, the row height and the
// orientation. Pixel x of tick t is (t - start) * pixels_per_tick(), with
// the subtraction in int64 before converting to double (Tracy), so deep
// zoom into large tick values keeps its precision.
//
// Rows: depth d is a row of row_height_px. In icicle orientation the root
// is the top row (y = d * row_height - scroll_y); in flame orientation the
// root is the bottom row (y = height - (d + 1) * row_height + scroll_y).
// scroll_y >= 0 moves the view away from the root, towards deeper rows.
//
// Invariants (kept by the mutators; a hand-built Viewport with end <= start
// or an empty pixel size renders nothing):
//  1. start < end; span end - start >= kMinSpanTicks.
// Thread safety: a plain value.
#ifndef KILN_VIEWER_VIEWPORT_H_
#define KILN_VIEWER_VIEWPORT_H_

#include <cstddef>
#include <cstdint>
#include <utility>

namespace kiln::viewer {

class DepthLayout;

enum class Orientation : uint8_t {
  kIcicle,  // root at the top
  kFlame,   // root at the bottom
};

struct Viewport {
  // Zooming in stops at this many ticks across the view (Tracy stops at 5).
  static constexpr int64_t kMinSpanTicks = 1;

  int64_t start = 0;  // first visible tick
  int64_t end = 1;    // one past the last visible tick
  double scroll_y = 0;
  double width_px = 0;
  double height_px = 0;
  double row_height_px = 20;
  Orientation orientation = Orientation::kIcicle;

  // The whole graph across |width_px|, scrolled to the root.
  static Viewport Full(const DepthLayout& layout, double width_px, double height_px,
                       Orientation orientation = Orientation::kIcicle, double row_height_px = 20);

  bool empty() const { return end <= start || width_px <= 0 || height_px <= 0 || row_height_px <= 0; }
  double pixels_per_tick() const { return width_px / static_cast<double>(end - start); }
  double XOfTick(int64_t tick) const { return static_cast<double>(tick - start) * pixels_per_tick(); }
  // The tick under pixel column |x| (floor).
  int64_t TickAtX(double x) const;
  double RowY(size_t depth) const;
  // The depth whose row contains |y|, or -1 when |y| is above the root row
  // (icicle) / below it (flame). May exceed the graph's depth.
  int64_t DepthAtY(double y) const;
  // Depths [first, last) whose rows are at least partly inside the view,
  // limited to a graph of |depth_count| rows.
  std::pair<size_t, size_t> VisibleDepths(size_t depth_count) const;

  // Shows ticks [from, to), widened to kMinSpanTicks around its middle.
  void ZoomTo(int64_t from, int64_t to);
  // Zooms by |factor| (> 1 zooms in) keeping the tick under |x_px| in place,
  // staying inside [0, total) when the span allows.
  void ZoomAt(double x_px, double factor, int64_t total);
  // Moves the view by |dx_px| pixels (positive: content moves left, later
  // ticks come into view), staying inside [0, total).
  void PanBy(double dx_px, int64_t total);
};

}  // namespace kiln::viewer

#endif  // KILN_VIEWER_VIEWPORT_H_
