// An interactive flame graph inside the current ImGui window: owns the
// viewport, focus history, search and the render list of one DepthLayout;
// each Frame() routes ImGui's mouse input through the model (Viewport::
// ZoomAt / PanBy, HitTest, FocusHistory) and paints the render list with
// PaintRenderList. It makes no layout decisions of its own.
//
// Input over the graph's rectangle (an InvisibleButton, so it needs a
// window but no OS window; tests drive it through ImGuiIO):
//  - wheel: zoom by kWheelZoomPerNotch per notch around the cursor (never
//    wider than the whole graph); Shift+wheel scrolls rows;
//  - drag (beyond io.MouseDragThreshold): pan both axes;
//  - click (release without a drag): focus the node under the cursor, or
//    zoom to a folded run; on nothing, no-op.
// Keys are the app's business (it calls Reset, SetSearch, Back, ...).
// The render list is rebuilt only when the viewport, size or search
// changed (or the layout), never on a plain repaint.
// Thread safety: UI thread only.
#ifndef KILN_VIEWER_IMGUI_FLAME_GRAPH_VIEW_H_
#define KILN_VIEWER_IMGUI_FLAME_GRAPH_VIEW_H_

#include <memory>
#include <optional>
#include <string>

#include <imgui.h>

#include "absl/status/status.h"
#include "kiln/viewer/depth_layout.h"
#include "kiln/viewer/focus_history.h"
#include "kiln/viewer/render_list.h"
#include "kiln/viewer/render_list_builder.h"
#include "kiln/viewer/search.h"
#include "kiln/viewer/viewport.h"
#include "viewer/imgui/render_list_painter.h"

namespace kiln::viewer::imgui {

class FlameGraphView {
 public:
  static constexpr double kWheelZoomPerNotch = 1.25;

  FlameGraphView();

  // Shows |layout| unzoomed; clears search and history. nullptr: empty.
  void SetLayout(std::shared_ptr<const DepthLayout> layout);
  const DepthLayout* layout() const { return layout_.get(); }

  // Handles input and paints at the window's cursor position, |size|
  // pixels (<= 0 components: the rest of the window's content region).
  void Frame(ImVec2 size = ImVec2(0, 0));

  // Empty pattern: clears the search. A bad regex keeps the old search and
  // returns the error.
  absl::Status SetSearch(const std::string& pattern, MatchMode mode = MatchMode::kSubstring);
  const SearchResult* search() const { return search_ ? &*search_ : nullptr; }
  // Reset zoom and scroll (recorded in the history, so Back undoes it).
  void Reset();
  void Back();
  void Forward();
  void Focus(NodeId node);
  void SetOrientation(Orientation orientation);

  const Viewport& viewport() const { return viewport_; }
  // The list of the last painted frame (what hit tests read).
  const RenderList& render_list() const { return list_; }
  const RenderOptions& render_options() const { return options_; }
  // The item under the mouse in the last frame, or nullptr.
  const RenderItem* hovered() const { return hovered_; }
  // Where the last frame was painted, in screen coordinates.
  ImVec2 origin() const { return origin_; }
  PaintStyle& style() { return style_; }
  // Tooltips (name, total, self, share) over the hovered bar; |unit| is the
  // sample type's unit.
  void set_tooltips(bool on, std::string unit = "") {
    tooltips_ = on;
    unit_ = std::move(unit);
  }

 private:
  void HandleInput();
  void ClampScroll();
  void ApplyHistory();
  void RebuildIfNeeded();
  void Tooltip(const RenderItem& item) const;

  std::shared_ptr<const DepthLayout> layout_;
  Viewport viewport_;
  std::optional<FocusHistory> history_;
  std::optional<SearchResult> search_;
  RenderOptions options_;
  PaintStyle style_;
  RenderListBuilder builder_;
  RenderList list_;
  bool dirty_ = true;
  Viewport built_for_;  // the viewport |list_| was built for
  ImVec2 origin_{0, 0};
  bool dragging_ = false;
  Viewport drag_origin_;  // the viewport when the drag started
  bool tooltips_ = true;
  std::string unit_;
  const RenderItem* hovered_ = nullptr;
};

}  // namespace kiln::viewer::imgui

#endif  // KILN_VIEWER_IMGUI_FLAME_GRAPH_VIEW_H_
