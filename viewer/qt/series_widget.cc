#include "viewer/qt/series_widget.h"

#include <algorithm>
#include <cmath>

#include <QDateTime>
#include <QMouseEvent>
#include <QPainter>

#include "kiln/query/value_format.h"

namespace kiln::viewer::qt {
namespace {

constexpr int kMarginLeft = 8;
constexpr int kMarginRight = 8;
constexpr int kMarginTop = 18;     // the max value's label
constexpr int kMarginBottom = 18;  // the time labels
constexpr int kMinDragPixels = 3;  // less is a click

}  // namespace

SeriesWidget::SeriesWidget(QWidget* parent) : QWidget(parent) {
  setMouseTracking(false);
  setCursor(Qt::CrossCursor);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void SeriesWidget::SetSeries(std::vector<ServerSeriesPoint> points, ServerTimeRange range, int64_t step_ms,
                             std::string unit) {
  std::sort(points.begin(), points.end(),
            [](const ServerSeriesPoint& a, const ServerSeriesPoint& b) { return a.timestamp_ms < b.timestamp_ms; });
  points_ = std::move(points);
  range_ = range;
  step_ms_ = step_ms;
  unit_ = std::move(unit);
  selection_.reset();
  drag_from_.reset();
  update();
}

void SeriesWidget::SetSelection(std::optional<ServerTimeRange> selection) {
  if (selection.has_value()) {
    selection->start_ms = std::clamp(selection->start_ms, range_.start_ms, range_.end_ms);
    selection->end_ms = std::clamp(selection->end_ms, range_.start_ms, range_.end_ms);
    if (selection->end_ms < selection->start_ms) std::swap(selection->start_ms, selection->end_ms);
  }
  selection_ = selection;
  update();
  const ServerTimeRange r = selection_.value_or(range_);
  Q_EMIT rangeSelected(r.start_ms, r.end_ms);
}

QRect SeriesWidget::PlotRect() const {
  return rect().adjusted(kMarginLeft, kMarginTop, -kMarginRight, -kMarginBottom);
}

int64_t SeriesWidget::TimeAt(int x) const {
  const QRect plot = PlotRect();
  if (plot.width() <= 0) return range_.start_ms;
  const double f = std::clamp(static_cast<double>(x - plot.left()) / plot.width(), 0.0, 1.0);
  return range_.start_ms + static_cast<int64_t>(std::llround(f * static_cast<double>(range_.end_ms - range_.start_ms)));
}

int SeriesWidget::XOf(int64_t t) const {
  const QRect plot = PlotRect();
  const int64_t span = std::max<int64_t>(1, range_.end_ms - range_.start_ms);
  return plot.left() + static_cast<int>(std::llround(static_cast<double>(t - range_.start_ms) * plot.width() /
                                                     static_cast<double>(span)));
}

void SeriesWidget::paintEvent(QPaintEvent* /*event*/) {
  QPainter painter(this);
  painter.fillRect(rect(), palette().base());
  const QRect plot = PlotRect();
  painter.setPen(palette().color(QPalette::Mid));
  painter.drawRect(plot.adjusted(0, 0, -1, -1));
  painter.setPen(palette().color(QPalette::Text));
  if (range_.end_ms <= range_.start_ms) {
    painter.drawText(rect(), Qt::AlignCenter, tr("No series yet: connect and pick a profile type"));
    return;
  }
  const QString fmt = (range_.end_ms - range_.start_ms) > 86'400'000 ? QStringLiteral("MM-dd hh:mm")
                                                                       : QStringLiteral("hh:mm:ss");
  const QRect bottom(plot.left(), plot.bottom() + 2, plot.width(), kMarginBottom - 2);
  painter.drawText(bottom, Qt::AlignLeft | Qt::AlignVCenter,
                   QDateTime::fromMSecsSinceEpoch(range_.start_ms).toString(fmt));
  painter.drawText(bottom, Qt::AlignRight | Qt::AlignVCenter,
                   QDateTime::fromMSecsSinceEpoch(range_.end_ms).toString(fmt));

  double max_value = 0;
  for (const ServerSeriesPoint& p : points_) max_value = std::max(max_value, p.value);
  if (points_.empty()) {
    painter.drawText(plot, Qt::AlignCenter, tr("No profiles in this range"));
  } else {
    painter.drawText(QRect(plot.left(), 0, plot.width(), kMarginTop), Qt::AlignLeft | Qt::AlignVCenter,
                     tr("max %1").arg(QString::fromStdString(
                         FormatValue(static_cast<int64_t>(std::llround(max_value)), unit_))));
    const auto y_of = [&](double v) {
      return plot.bottom() - (max_value > 0 ? v / max_value : 0.0) * (plot.height() - 2);
    };
    QColor fill = palette().color(QPalette::Highlight);
    fill.setAlpha(150);
    for (const ServerSeriesPoint& p : points_) {
      const int left = XOf(p.timestamp_ms);
      const int right = std::max(left + 2, XOf(p.timestamp_ms + step_ms_) - 1);
      const int top = static_cast<int>(std::lround(y_of(p.value)));
      painter.fillRect(QRect(QPoint(left, std::min(top, plot.bottom() - 1)), QPoint(right, plot.bottom())), fill);
    }
  }

  // The brush: the drag in progress, else the selection.
  std::optional<std::pair<int, int>> brush;
  if (drag_from_.has_value()) {
    brush = std::minmax(*drag_from_, drag_to_);
  } else if (selection_.has_value()) {
    brush = std::make_pair(XOf(selection_->start_ms), XOf(selection_->end_ms));
  }
  if (brush.has_value()) {
    QColor shade = palette().color(QPalette::Text);
    shade.setAlpha(40);
    const QRect band(QPoint(std::max(brush->first, plot.left()), plot.top()),
                     QPoint(std::min(brush->second, plot.right()), plot.bottom()));
    painter.fillRect(band, shade);
    painter.setPen(QPen(palette().color(QPalette::Text), 1, Qt::DashLine));
    painter.drawLine(band.topLeft(), band.bottomLeft());
    painter.drawLine(band.topRight(), band.bottomRight());
  }
}

void SeriesWidget::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton || range_.end_ms <= range_.start_ms) return;
  drag_from_ = event->position().toPoint().x();
  drag_to_ = *drag_from_;
  update();
}

void SeriesWidget::mouseMoveEvent(QMouseEvent* event) {
  if (!drag_from_.has_value()) return;
  drag_to_ = event->position().toPoint().x();
  update();
}

void SeriesWidget::mouseReleaseEvent(QMouseEvent* event) {
  if (!drag_from_.has_value() || event->button() != Qt::LeftButton) return;
  const int from = *drag_from_;
  const int to = event->position().toPoint().x();
  drag_from_.reset();
  if (std::abs(to - from) < kMinDragPixels) {
    SetSelection(std::nullopt);
  } else {
    SetSelection(ServerTimeRange{TimeAt(std::min(from, to)), TimeAt(std::max(from, to))});
  }
}

}  // namespace kiln::viewer::qt
