// A heatmap of profiles (time × value, e.g. each profile's timestamp and
// its total) over the model's Heatmap binning, with a brush: drag over
// cells to select them; the ids of the profiles in the selected cells are
// emitted, exact (the model keeps ids per cell), for the owner to merge
// into a flame graph. Darker cells hold more profiles.
// Thread safety: UI thread only.
#ifndef KILN_VIEWER_QT_HEATMAP_WIDGET_H_
#define KILN_VIEWER_QT_HEATMAP_WIDGET_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include <QList>
#include <QWidget>

#include "kiln/viewer/heatmap.h"
#include "viewer/qt/view_builder.h"

namespace kiln::viewer::qt {

class HeatmapWidget : public QWidget {
  Q_OBJECT

 public:
  explicit HeatmapWidget(QWidget* parent = nullptr);

  // Bins |collection|'s points (null: empty) and clears the selection.
  void SetCollection(std::shared_ptr<const ProfileCollection> collection);
  const ProfileCollection* collection() const { return collection_.get(); }
  const Heatmap* heatmap() const { return heatmap_ ? &*heatmap_ : nullptr; }

  // The pixel rectangle of a cell, and the cell at a pixel (or nullopt).
  QRect CellRect(uint32_t time_bucket, uint32_t value_bucket) const;
  std::optional<std::pair<uint32_t, uint32_t>> CellAt(QPoint pos) const;
  // Selects cells [t0, t1] × [v0, v1] (inclusive, any order) and emits
  // selectionChanged with their profile ids.
  void SelectCells(uint32_t t0, uint32_t v0, uint32_t t1, uint32_t v1);

  QSize sizeHint() const override { return {800, 300}; }

 Q_SIGNALS:
  void selectionChanged(QList<quint64> profile_ids);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;

 private:
  QRect PlotRect() const;

  std::shared_ptr<const ProfileCollection> collection_;
  std::optional<Heatmap> heatmap_;
  // Selected cells, inclusive corners, as dragged.
  std::optional<std::pair<uint32_t, uint32_t>> anchor_, corner_;
  bool dragging_ = false;
};

}  // namespace kiln::viewer::qt

#endif  // KILN_VIEWER_QT_HEATMAP_WIDGET_H_
