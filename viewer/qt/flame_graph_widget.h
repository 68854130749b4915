// The flame graph view of the Qt application: paints the model's render
// list with QPainter and routes input to the model (style.md §6). It makes
// no layout decisions: the viewport goes to RenderListBuilder, the list
// comes back and is painted item by item (fill by Palette colour, dimmed
// items at kDimmedAlpha, a 2-pixel outline on search matches, the label
// left-aligned and clipped to its bar). The render list is rebuilt only
// when the state changes (layout, zoom, scroll, size, search, orientation),
// not per paint.
//
// Input: wheel zooms around the cursor (Shift+wheel scrolls rows), a drag
// pans (both axes), a click focuses the node under the cursor (a click on a
// folded run zooms to it), `/` asks for the search field, Esc resets zoom
// and search, Backspace / Alt+Left / Alt+Right walk the focus history,
// +/- zoom around the middle, arrow keys pan and scroll, Ctrl+C copies the
// selected function's name. Tooltips show self, total, percentages and
// file:line (node_tooltip.h).
// Thread safety: UI thread only. The layout is shared and immutable.
#ifndef KILN_VIEWER_QT_FLAME_GRAPH_WIDGET_H_
#define KILN_VIEWER_QT_FLAME_GRAPH_WIDGET_H_

#include <memory>
#include <optional>
#include <string>

#include <QPoint>
#include <QString>
#include <QTimer>
#include <QWidget>

#include "absl/status/status.h"
#include "kiln/viewer/depth_layout.h"
#include "kiln/viewer/focus_history.h"
#include "kiln/viewer/palette.h"
#include "kiln/viewer/render_list.h"
#include "kiln/viewer/render_list_builder.h"
#include "kiln/viewer/search.h"
#include "kiln/viewer/viewport.h"
#include "viewer/qt/source_index.h"

class QPainter;

namespace kiln::viewer::qt {

class FlameGraphWidget : public QWidget {
  Q_OBJECT

 public:
  // The outline colour of search matches.
  static constexpr QRgb kMatchOutline = 0xff1f3a93;
  static constexpr QRgb kBackground = 0xffffffff;
  static constexpr QRgb kLabelColor = 0xff1a1a1a;

  explicit FlameGraphWidget(QWidget* parent = nullptr);

  // Shows |layout| unzoomed and unscrolled; clears search, selection and
  // history. |unit| is the pprof unit of its values (for tooltips);
  // |sources| may be null.
  void SetLayout(std::shared_ptr<const DepthLayout> layout, std::string unit,
                 std::shared_ptr<const SourceIndex> sources);
  void ClearLayout();
  const DepthLayout* layout() const { return layout_.get(); }

  void SetOrientation(Orientation orientation);
  Orientation orientation() const { return viewport_.orientation; }
  void SetDiffPalette(DiffPalette palette);
  DiffPalette diff_palette() const { return diff_palette_; }
  // Labels on or off (on by default).
  void SetShowLabels(bool show);
  // Shown when there is no layout.
  void SetPlaceholder(const QString& text);

  // Highlights matches of |query| (InvalidArgument for a bad regex; the
  // previous highlight is cleared then).
  absl::Status SetSearch(const SearchQuery& query);
  void ClearSearch();
  const SearchResult* search() const { return search_ ? &*search_ : nullptr; }

  const Viewport& viewport() const { return viewport_; }
  const RenderOptions& render_options() const { return options_; }
  // The render list for the current state and size, rebuilt if stale.
  const RenderList& CurrentRenderList();
  // The SVG of what is shown (render_list_svg.h).
  std::string ToSvg(const std::string& title);

  // Navigation, recorded in the focus history.
  void FocusNode(NodeId node);
  void ZoomToRange(int64_t start, int64_t end);
  void ResetZoom();
  bool Back();
  bool Forward();
  bool CanGoBack() const;
  bool CanGoForward() const;

  // The last clicked (focused) node, or kNoNode.
  NodeId selected_node() const { return selected_; }
  QString selected_name() const;

  QSize sizeHint() const override { return {800, 400}; }
  QSize minimumSizeHint() const override { return {200, 100}; }

 Q_SIGNALS:
  // A node was clicked (and focused) or picked from the context menu.
  void nodeSelected(QString name);
  // "Show sandwich" from the context menu.
  void sandwichRequested(QString name);
  // `/` was pressed: the owner should focus its search field.
  void searchRequested();
  // Esc cleared the search here: the owner should clear its field.
  void searchCleared();
  // Zoom, scroll or history changed.
  void viewChanged();

 protected:
  bool event(QEvent* event) override;
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void changeEvent(QEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void contextMenuEvent(QContextMenuEvent* event) override;

 private:
  void Paint(QPainter* painter);
  void Invalidate();
  void UpdateFontMetrics();
  void ApplyHistory();
  // Records a wheel/drag zoom in the history (coalesced by a timer).
  void RecordPendingZoom();
  void ScrollBy(double dy_px);
  // Zooms by |factor| around |x_px|, never wider than the whole graph.
  void ZoomAround(double x_px, double factor);
  void CopyName(NodeId node);
  const RenderItem* ItemAt(QPoint pos);

  std::shared_ptr<const DepthLayout> layout_;
  std::shared_ptr<const SourceIndex> sources_;
  std::string unit_;
  QString placeholder_;
  Viewport viewport_;
  std::optional<FocusHistory> history_;
  std::optional<SearchResult> search_;
  RenderOptions options_;
  RenderListBuilder builder_;
  RenderList list_;
  bool list_stale_ = true;
  DiffPalette diff_palette_ = DiffPalette::kGreenRed;
  NodeId selected_ = kNoNode;

  // Drag state.
  bool pressed_ = false;
  bool dragging_ = false;
  QPoint press_pos_;
  // The view when the drag began: a drag pans by its whole distance from
  // the press, so slow drags at deep zoom do not round away sub-tick steps.
  Viewport drag_origin_;
  // A wheel or drag zoom not yet in the history.
  bool zoom_pending_ = false;
  QTimer record_timer_;
};

}  // namespace kiln::viewer::qt

#endif  // KILN_VIEWER_QT_FLAME_GRAPH_WIDGET_H_
