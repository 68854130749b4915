#include "kiln/viewer/focus_history.h"

namespace kiln::viewer {

FocusHistory::FocusHistory(ZoomRange home) : home_(home), entries_{home} {}

FocusHistory::FocusHistory(const DepthLayout& layout)
    : FocusHistory(ZoomRange{0, layout.total(), kNoNode}) {}

const ZoomRange& FocusHistory::Focus(const DepthLayout& layout, NodeId node) {
  if (node >= layout.size()) return current();
  return Navigate(ZoomRange{layout.start(node), layout.end(node), node});
}

const ZoomRange& FocusHistory::Navigate(ZoomRange range) {
  if (range == current()) return current();
  entries_.resize(position_ + 1);  // a new branch: forward entries go
  entries_.push_back(range);
  if (entries_.size() > kMaxEntries) entries_.erase(entries_.begin());
  position_ = entries_.size() - 1;
  return current();
}

const ZoomRange& FocusHistory::Reset() { return Navigate(home_); }

const ZoomRange& FocusHistory::Back() {
  if (CanGoBack()) --position_;
  return current();
}

const ZoomRange& FocusHistory::Forward() {
  if (CanGoForward()) ++position_;
  return current();
}

}  // namespace kiln::viewer
