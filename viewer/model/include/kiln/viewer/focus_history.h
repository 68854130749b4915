// Focus on a node (zoom to its tick range) with back/forward history, like
// a browser: navigating somewhere new drops the forward entries. Other
// zooms (wheel, drag, a click on a folded item) are recorded with Navigate
// so Back returns to them too. The history is bounded (oldest entries go).
// Thread safety: none; owned by the UI thread.
#ifndef KILN_VIEWER_FOCUS_HISTORY_H_
#define KILN_VIEWER_FOCUS_HISTORY_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kiln/viewer/depth_layout.h"
#include "kiln/viewer/viewport.h"

namespace kiln::viewer {

struct ZoomRange {
  int64_t start = 0;
  int64_t end = 0;
  NodeId focus = kNoNode;  // the focused node, if the range came from Focus
  friend bool operator==(const ZoomRange&, const ZoomRange&) = default;
};

class FocusHistory {
 public:
  static constexpr size_t kMaxEntries = 256;

  // |home| is the unzoomed range (entry 0; Reset returns to it).
  explicit FocusHistory(ZoomRange home);
  // Home = the whole of |layout|.
  explicit FocusHistory(const DepthLayout& layout);

  const ZoomRange& current() const { return entries_[position_]; }
  // Zooms to |node|'s range [start, end) and records it.
  const ZoomRange& Focus(const DepthLayout& layout, NodeId node);
  // Records any other range; a range equal to the current one is not
  // recorded twice.
  const ZoomRange& Navigate(ZoomRange range);
  // Navigates home (recorded, so Back undoes a reset).
  const ZoomRange& Reset();

  bool CanGoBack() const { return position_ > 0; }
  bool CanGoForward() const { return position_ + 1 < entries_.size(); }
  // No-ops at either end.
  const ZoomRange& Back();
  const ZoomRange& Forward();

  // Sets |viewport|'s tick range to current().
  void Apply(Viewport* viewport) const { viewport->ZoomTo(current().start, current().end); }

 private:
  ZoomRange home_;
  std::vector<ZoomRange> entries_;
  size_t position_ = 0;
};

}  // namespace kiln::viewer

#endif  // KILN_VIEWER_FOCUS_HISTORY_H_
