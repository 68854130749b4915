// A time series drawn with QPainter (a `kiln server` selection's totals
// per step, as SelectSeries answers: one bar per step that has profiles,
// so steps without any stay empty rather than being bridged by a line)
// with a range brush: drag across the
// plot to select a time range, emitted as rangeSelected on release; a
// click without a drag clears the brush (the whole range). The axis spans
// the range given with SetSeries, so empty steps show as gaps.
// Thread safety: UI thread only.
#ifndef KILN_VIEWER_QT_SERIES_WIDGET_H_
#define KILN_VIEWER_QT_SERIES_WIDGET_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <QWidget>

#include "viewer/qt/server_client.h"

namespace kiln::viewer::qt {

class SeriesWidget : public QWidget {
  Q_OBJECT

 public:
  explicit SeriesWidget(QWidget* parent = nullptr);

  // |points| in time order or not, each the total of [timestamp,
  // timestamp + step_ms); |range| is the x axis; |unit| formats values.
  void SetSeries(std::vector<ServerSeriesPoint> points, ServerTimeRange range, int64_t step_ms, std::string unit);
  const std::vector<ServerSeriesPoint>& points() const { return points_; }
  ServerTimeRange range() const { return range_; }
  // The brushed range, if any (clamped to range()).
  std::optional<ServerTimeRange> selection() const { return selection_; }
  // Sets the brush as a drag would (emits rangeSelected); nullopt clears it.
  void SetSelection(std::optional<ServerTimeRange> selection);

  QSize sizeHint() const override { return {600, 140}; }
  QSize minimumSizeHint() const override { return {200, 80}; }

 Q_SIGNALS:
  // The brushed range, or the whole axis when the brush was cleared.
  void rangeSelected(qint64 start_ms, qint64 end_ms);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;

 private:
  QRect PlotRect() const;
  int64_t TimeAt(int x) const;
  int XOf(int64_t t) const;

  std::vector<ServerSeriesPoint> points_;
  ServerTimeRange range_;
  int64_t step_ms_ = 0;
  std::string unit_;
  std::optional<ServerTimeRange> selection_;
  std::optional<int> drag_from_;  // x where the drag started
  int drag_to_ = 0;
};

}  // namespace kiln::viewer::qt

#endif  // KILN_VIEWER_QT_SERIES_WIDGET_H_
