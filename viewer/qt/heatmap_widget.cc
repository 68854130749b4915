#include "viewer/qt/heatmap_widget.h"

#include <algorithm>

#include <QDateTime>
#include <QMouseEvent>
#include <QPainter>

#include "kiln/query/value_format.h"

namespace kiln::viewer::qt {
namespace {

constexpr int kLeft = 90, kRight = 12, kTop = 12, kBottom = 40;

QColor CellColor(uint32_t count, uint32_t max_count) {
  if (count == 0) return QColor(0xf4, 0xf4, 0xf4);
  // From a light orange (one profile) to a dark red (the fullest cell).
  const double t = max_count <= 1 ? 1.0 : static_cast<double>(count - 1) / (max_count - 1);
  auto lerp = [t](int a, int b) { return static_cast<int>(a + (b - a) * t + 0.5); };
  return QColor(lerp(0xfd, 0x8b), lerp(0xd0, 0x00), lerp(0xa2, 0x00));
}

}  // namespace

HeatmapWidget::HeatmapWidget(QWidget* parent) : QWidget(parent) {
  qRegisterMetaType<QList<quint64>>();
  setAttribute(Qt::WA_OpaquePaintEvent);
}

void HeatmapWidget::SetCollection(std::shared_ptr<const ProfileCollection> collection) {
  collection_ = std::move(collection);
  heatmap_.reset();
  anchor_.reset();
  corner_.reset();
  if (collection_ != nullptr && !collection_->points.empty()) {
    HeatmapOptions options;
    const uint32_t n = static_cast<uint32_t>(collection_->points.size());
    options.time_buckets = std::clamp<uint32_t>(n, 1, 100);
    options.value_buckets = std::clamp<uint32_t>(n, 1, 12);
    absl::StatusOr<Heatmap> heatmap = Heatmap::Build(collection_->points, options);
    if (heatmap.ok()) heatmap_ = *std::move(heatmap);
  }
  update();
}

QRect HeatmapWidget::PlotRect() const {
  return QRect(kLeft, kTop, std::max(1, width() - kLeft - kRight), std::max(1, height() - kTop - kBottom));
}

QRect HeatmapWidget::CellRect(uint32_t t, uint32_t v) const {
  if (!heatmap_) return {};
  const QRect plot = PlotRect();
  const int x0 = plot.left() + static_cast<int>(static_cast<int64_t>(plot.width()) * t / heatmap_->time_buckets());
  const int x1 = plot.left() + static_cast<int>(static_cast<int64_t>(plot.width()) * (t + 1) / heatmap_->time_buckets());
  // Value bucket 0 at the bottom.
  const int y1 = plot.bottom() + 1 -
                 static_cast<int>(static_cast<int64_t>(plot.height()) * v / heatmap_->value_buckets());
  const int y0 = plot.bottom() + 1 -
                 static_cast<int>(static_cast<int64_t>(plot.height()) * (v + 1) / heatmap_->value_buckets());
  return QRect(QPoint(x0, y0), QPoint(x1 - 1, y1 - 1));
}

std::optional<std::pair<uint32_t, uint32_t>> HeatmapWidget::CellAt(QPoint pos) const {
  if (!heatmap_) return std::nullopt;
  const QRect plot = PlotRect();
  if (!plot.contains(pos)) return std::nullopt;
  const auto t = static_cast<uint32_t>(static_cast<int64_t>(pos.x() - plot.left()) * heatmap_->time_buckets() /
                                       plot.width());
  const auto v = static_cast<uint32_t>(static_cast<int64_t>(plot.bottom() - pos.y()) *
                                       heatmap_->value_buckets() / plot.height());
  return std::make_pair(std::min(t, heatmap_->time_buckets() - 1), std::min(v, heatmap_->value_buckets() - 1));
}

void HeatmapWidget::SelectCells(uint32_t t0, uint32_t v0, uint32_t t1, uint32_t v1) {
  if (!heatmap_) return;
  anchor_ = std::make_pair(t0, v0);
  corner_ = std::make_pair(t1, v1);
  update();
  const std::vector<uint64_t> ids =
      heatmap_->SelectCells(std::min(t0, t1), std::max(t0, t1) + 1, std::min(v0, v1), std::max(v0, v1) + 1);
  Q_EMIT selectionChanged(QList<quint64>(ids.begin(), ids.end()));
}

void HeatmapWidget::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), Qt::white);
  if (!heatmap_) {
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
               tr("Open several profiles (File > Open several…, or drop 3 or more files) to see them over time."));
    return;
  }
  const Heatmap& h = *heatmap_;
  for (uint32_t t = 0; t < h.time_buckets(); ++t) {
    for (uint32_t v = 0; v < h.value_buckets(); ++v) {
      p.fillRect(CellRect(t, v).adjusted(0, 0, -1, -1), CellColor(h.count(t, v), h.max_count()));
    }
  }
  if (anchor_ && corner_) {
    const QRect a = CellRect(anchor_->first, anchor_->second), b = CellRect(corner_->first, corner_->second);
    p.setPen(QPen(QColor(0x1f, 0x3a, 0x93), 2));
    p.setBrush(Qt::NoBrush);
    p.drawRect(a.united(b));
  }
  // Axes: value range on the left, time range below.
  p.setPen(QColor(0x33, 0x33, 0x33));
  const QRect plot = PlotRect();
  const std::string& unit = collection_->sample_type.unit;
  const QFontMetrics fm(font());
  p.drawText(QRect(0, plot.top(), kLeft - 6, fm.height()), Qt::AlignRight,
             QString::fromStdString(FormatValue(h.value_max(), unit)));
  p.drawText(QRect(0, plot.bottom() - fm.height(), kLeft - 6, fm.height()), Qt::AlignRight,
             QString::fromStdString(FormatValue(h.value_min(), unit)));
  auto time_text = [&](int64_t t) {
    if (collection_->synthetic_time) return tr("profile %1").arg(t + 1);
    return QDateTime::fromMSecsSinceEpoch(t / 1000000, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd hh:mm:ss"));
  };
  p.drawText(QRect(plot.left(), plot.bottom() + 4, plot.width() / 2, fm.height()), Qt::AlignLeft,
             time_text(h.time_min()));
  p.drawText(QRect(plot.center().x(), plot.bottom() + 4, plot.width() / 2, fm.height()), Qt::AlignRight,
             time_text(h.time_max()));
  p.drawText(QRect(plot.left(), plot.bottom() + 4 + fm.height(), plot.width(), fm.height()), Qt::AlignHCenter,
             tr("%1 profiles by %2 and %3 — drag to select")
                 .arg(collection_->points.size())
                 .arg(collection_->synthetic_time ? tr("input order") : tr("time"))
                 .arg(QString::fromStdString(collection_->sample_type.type)));
}

void HeatmapWidget::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
  const auto cell = CellAt(event->position().toPoint());
  if (!cell) return;
  anchor_ = corner_ = cell;
  dragging_ = true;
  update();
}

void HeatmapWidget::mouseMoveEvent(QMouseEvent* event) {
  if (!dragging_) return QWidget::mouseMoveEvent(event);
  if (const auto cell = CellAt(event->position().toPoint())) {
    corner_ = cell;
    update();
  }
}

void HeatmapWidget::mouseReleaseEvent(QMouseEvent* event) {
  if (!dragging_ || event->button() != Qt::LeftButton) return QWidget::mouseReleaseEvent(event);
  dragging_ = false;
  if (anchor_ && corner_) SelectCells(anchor_->first, anchor_->second, corner_->first, corner_->second);
}

}  // namespace kiln::viewer::qt
