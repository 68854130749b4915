#include "viewer/qt/flame_graph_widget.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include <QClipboard>
#include <QContextMenuEvent>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>

#include "kiln/viewer/hit_test.h"
#include "viewer/qt/node_tooltip.h"
#include "viewer/qt/render_list_svg.h"

namespace kiln::viewer::qt {
namespace {

// A press that moves less than this is a click, not a drag.
constexpr int kDragThresholdPx = 4;
// Wheel zooms within this time form one history entry.
constexpr int kRecordDelayMs = 400;
// One wheel notch (120 units) zooms by this factor.
constexpr double kWheelZoomPerNotch = 1.25;

QColor ColorOfItem(const RenderItem& item, DiffPalette palette) {
  const Rgb c = ColorOf(item.color, palette);
  return QColor(c.r, c.g, c.b, item.emphasis == Emphasis::kDimmed ? kDimmedAlpha : 255);
}

// The rectangle a bar is painted in: one pixel short of its row (a gap
// between rows) and, when wide, of its extent (a gap between siblings).
QRectF BarRect(const RenderItem& item) {
  const double w = item.w >= 6 ? item.w - 1 : item.w;
  return QRectF(item.x, item.y, w, std::max(1.0f, item.h - 1));
}

}  // namespace

FlameGraphWidget::FlameGraphWidget(QWidget* parent) : QWidget(parent) {
  setFocusPolicy(Qt::StrongFocus);
  setAttribute(Qt::WA_OpaquePaintEvent);
  placeholder_ = tr("No profile");
  record_timer_.setSingleShot(true);
  record_timer_.setInterval(kRecordDelayMs);
  connect(&record_timer_, &QTimer::timeout, this, [this] { RecordPendingZoom(); });
  viewport_.width_px = width();
  viewport_.height_px = height();
  UpdateFontMetrics();
}

void FlameGraphWidget::SetLayout(std::shared_ptr<const DepthLayout> layout, std::string unit,
                                 std::shared_ptr<const SourceIndex> sources) {
  layout_ = std::move(layout);
  unit_ = std::move(unit);
  sources_ = std::move(sources);
  search_.reset();
  selected_ = kNoNode;
  zoom_pending_ = false;
  record_timer_.stop();
  if (layout_ == nullptr) {
    history_.reset();
  } else {
    viewport_ = Viewport::Full(*layout_, width(), height(), viewport_.orientation, viewport_.row_height_px);
    history_.emplace(*layout_);
  }
  Invalidate();
  Q_EMIT viewChanged();
}

void FlameGraphWidget::ClearLayout() { SetLayout(nullptr, "", nullptr); }

void FlameGraphWidget::SetOrientation(Orientation orientation) {
  if (viewport_.orientation == orientation) return;
  viewport_.orientation = orientation;
  Invalidate();
}

void FlameGraphWidget::SetDiffPalette(DiffPalette palette) {
  diff_palette_ = palette;
  update();  // colours only: the render list keeps its keys
}

void FlameGraphWidget::SetShowLabels(bool show) {
  options_.labels = show;
  Invalidate();
}

void FlameGraphWidget::SetPlaceholder(const QString& text) {
  placeholder_ = text;
  update();
}

absl::Status FlameGraphWidget::SetSearch(const SearchQuery& query) {
  search_.reset();
  Invalidate();
  if (layout_ == nullptr) return absl::OkStatus();
  absl::StatusOr<SearchResult> result = SearchResult::Run(*layout_, query);
  if (!result.ok()) return result.status();
  search_ = *std::move(result);
  return absl::OkStatus();
}

void FlameGraphWidget::ClearSearch() {
  if (!search_) return;
  search_.reset();
  Invalidate();
}

const RenderList& FlameGraphWidget::CurrentRenderList() {
  if (list_stale_) {
    list_.Clear();
    if (layout_ != nullptr) {
      builder_.Build(*layout_, viewport_, options_, search_ ? &*search_ : nullptr, &list_);
    }
    list_stale_ = false;
  }
  return list_;
}

std::string FlameGraphWidget::ToSvg(const std::string& title) {
  const RenderList& list = CurrentRenderList();
  if (layout_ == nullptr) return "";
  SvgOptions svg;
  svg.diff_palette = diff_palette_;
  svg.font_size_px = QFontMetricsF(font()).height() * 0.8;
  svg.title = title;
  return RenderListToSvg(list, *layout_, svg);
}

void FlameGraphWidget::Invalidate() {
  list_stale_ = true;
  update();
}

void FlameGraphWidget::UpdateFontMetrics() {
  const QFontMetricsF metrics(font());
  // An average advance over typical symbol characters: the builder budgets
  // labels in characters and the painter clips what does not fit.
  const QString sample = QStringLiteral("abcdefghijklmnopqrstuvwxyz_:.()ABCDEFGHIJKLMNOP0123456789");
  options_.char_width_px = metrics.horizontalAdvance(sample) / sample.size();
  viewport_.row_height_px = std::max(20.0, std::ceil(metrics.height()) + 6);
  Invalidate();
}

void FlameGraphWidget::changeEvent(QEvent* event) {
  if (event->type() == QEvent::FontChange) UpdateFontMetrics();
  QWidget::changeEvent(event);
}

void FlameGraphWidget::resizeEvent(QResizeEvent* event) {
  viewport_.width_px = width();
  viewport_.height_px = height();
  ScrollBy(0);  // re-clamp
  Invalidate();
  QWidget::resizeEvent(event);
}

void FlameGraphWidget::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  Paint(&painter);
}

void FlameGraphWidget::Paint(QPainter* painter) {
  painter->fillRect(rect(), QColor::fromRgba(kBackground));
  if (layout_ == nullptr) {
    painter->setPen(palette().color(QPalette::PlaceholderText));
    painter->drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, placeholder_);
    return;
  }
  const RenderList& list = CurrentRenderList();
  const QColor match_outline = QColor::fromRgba(kMatchOutline);
  QColor label_color = QColor::fromRgba(kLabelColor);
  QColor dimmed_label = label_color;
  dimmed_label.setAlpha(kDimmedAlpha);
  painter->setFont(font());
  for (const RenderItem& item : list.items) {
    const QRectF bar = BarRect(item);
    painter->fillRect(bar, ColorOfItem(item, diff_palette_));
    if (item.emphasis == Emphasis::kMatch && bar.width() >= 4) {
      // Four 2-pixel strips: exact pixels, no pen geometry.
      painter->fillRect(QRectF(bar.left(), bar.top(), bar.width(), 2), match_outline);
      painter->fillRect(QRectF(bar.left(), bar.bottom() - 2, bar.width(), 2), match_outline);
      painter->fillRect(QRectF(bar.left(), bar.top(), 2, bar.height()), match_outline);
      painter->fillRect(QRectF(bar.right() - 2, bar.top(), 2, bar.height()), match_outline);
    }
    if (item.label_length > 0) {
      const std::string_view label = list.label(item);
      painter->setPen(item.emphasis == Emphasis::kDimmed ? dimmed_label : label_color);
      painter->drawText(bar.adjusted(options_.label_padding_px, 0, -options_.label_padding_px, 0),
                        Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine,
                        QString::fromUtf8(label.data(), static_cast<qsizetype>(label.size())));
    }
  }
}

const RenderItem* FlameGraphWidget::ItemAt(QPoint pos) {
  if (layout_ == nullptr) return nullptr;
  return HitTest(CurrentRenderList(), pos.x(), pos.y());
}

bool FlameGraphWidget::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    if (const RenderItem* item = ItemAt(help->pos())) {
      QToolTip::showText(help->globalPos(),
                         QString::fromStdString(NodeTooltip(*layout_, *item, unit_, sources_.get())), this);
    } else {
      QToolTip::hideText();
      event->ignore();
    }
    return true;
  }
  return QWidget::event(event);
}

void FlameGraphWidget::FocusNode(NodeId node) {
  if (layout_ == nullptr || node >= layout_->size()) return;
  RecordPendingZoom();
  history_->Focus(*layout_, node);
  selected_ = node;
  ApplyHistory();
}

void FlameGraphWidget::ZoomToRange(int64_t start, int64_t end) {
  if (layout_ == nullptr) return;
  RecordPendingZoom();
  history_->Navigate({start, end, kNoNode});
  ApplyHistory();
}

void FlameGraphWidget::ResetZoom() {
  if (layout_ == nullptr) return;
  RecordPendingZoom();
  history_->Reset();
  selected_ = kNoNode;
  viewport_.scroll_y = 0;
  ApplyHistory();
}

bool FlameGraphWidget::Back() {
  if (layout_ == nullptr) return false;
  RecordPendingZoom();
  if (!history_->CanGoBack()) return false;
  history_->Back();
  ApplyHistory();
  return true;
}

bool FlameGraphWidget::Forward() {
  if (layout_ == nullptr) return false;
  RecordPendingZoom();
  if (!history_->CanGoForward()) return false;
  history_->Forward();
  ApplyHistory();
  return true;
}

bool FlameGraphWidget::CanGoBack() const { return history_ && (history_->CanGoBack() || zoom_pending_); }
bool FlameGraphWidget::CanGoForward() const { return history_ && history_->CanGoForward() && !zoom_pending_; }

void FlameGraphWidget::ApplyHistory() {
  history_->Apply(&viewport_);
  if (history_->current().focus != kNoNode) selected_ = history_->current().focus;
  Invalidate();
  Q_EMIT viewChanged();
}

void FlameGraphWidget::RecordPendingZoom() {
  record_timer_.stop();
  if (!zoom_pending_ || !history_) return;
  zoom_pending_ = false;
  history_->Navigate({viewport_.start, viewport_.end, kNoNode});
  Q_EMIT viewChanged();
}

QString FlameGraphWidget::selected_name() const {
  if (layout_ == nullptr || selected_ == kNoNode || selected_ == kRootNode) return {};
  const std::string_view name = layout_->name(selected_);
  return QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size()));
}

void FlameGraphWidget::ScrollBy(double dy_px) {
  if (layout_ == nullptr) return;
  const double content = static_cast<double>(layout_->depth_count()) * viewport_.row_height_px;
  const double max_scroll = std::max(0.0, content - viewport_.height_px);
  const double next = std::clamp(viewport_.scroll_y + dy_px, 0.0, max_scroll);
  if (next == viewport_.scroll_y) return;
  viewport_.scroll_y = next;
  Invalidate();
}

void FlameGraphWidget::ZoomAround(double x_px, double factor) {
  viewport_.ZoomAt(x_px, factor, layout_->total());
  const int64_t total = std::max<int64_t>(layout_->total(), Viewport::kMinSpanTicks);
  if (viewport_.end - viewport_.start > total) viewport_.ZoomTo(0, total);
  zoom_pending_ = true;
}

void FlameGraphWidget::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
  pressed_ = true;
  dragging_ = false;
  press_pos_ = event->position().toPoint();
  drag_origin_ = viewport_;
}

void FlameGraphWidget::mouseMoveEvent(QMouseEvent* event) {
  if (!pressed_ || layout_ == nullptr) return QWidget::mouseMoveEvent(event);
  const QPoint pos = event->position().toPoint();
  if (!dragging_ && (pos - press_pos_).manhattanLength() < kDragThresholdPx) return;
  dragging_ = true;
  const QPoint delta = pos - press_pos_;
  // Content follows the mouse: dragging right shows earlier ticks.
  viewport_.start = drag_origin_.start;
  viewport_.end = drag_origin_.end;
  viewport_.PanBy(-delta.x(), layout_->total());
  zoom_pending_ = viewport_.start != drag_origin_.start || zoom_pending_;
  // Dragging towards the root's side reveals deeper rows.
  viewport_.scroll_y = drag_origin_.scroll_y;
  ScrollBy(viewport_.orientation == Orientation::kIcicle ? -delta.y() : delta.y());
  Invalidate();
  Q_EMIT viewChanged();
}

void FlameGraphWidget::mouseReleaseEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton || !pressed_) return QWidget::mouseReleaseEvent(event);
  pressed_ = false;
  if (dragging_) {
    dragging_ = false;
    RecordPendingZoom();
    return;
  }
  const RenderItem* item = ItemAt(event->position().toPoint());
  if (item == nullptr) return;
  if (item->kind == RenderItemKind::kFolded) {
    ZoomToRange(item->start_tick, item->end_tick);
    return;
  }
  const NodeId node = item->node;
  FocusNode(node);
  if (node != kRootNode) Q_EMIT nodeSelected(selected_name());
}

void FlameGraphWidget::wheelEvent(QWheelEvent* event) {
  if (layout_ == nullptr) return QWidget::wheelEvent(event);
  const QPoint angle = event->angleDelta();
  if (event->modifiers() & Qt::ShiftModifier) {
    // Rows: wheel down moves away from the root.
    const double rows = -angle.y() / 120.0 * 3;
    ScrollBy(rows * viewport_.row_height_px);
  } else if (angle.y() != 0) {
    const double factor = std::pow(kWheelZoomPerNotch, angle.y() / 120.0);
    ZoomAround(event->position().x(), factor);
    record_timer_.start();
    Invalidate();
  }
  event->accept();
  Q_EMIT viewChanged();
}

void FlameGraphWidget::keyPressEvent(QKeyEvent* event) {
  const bool alt = event->modifiers() & Qt::AltModifier;
  switch (event->key()) {
    case Qt::Key_Slash:
      Q_EMIT searchRequested();
      return;
    case Qt::Key_Escape:
      ClearSearch();
      ResetZoom();
      Q_EMIT searchCleared();
      return;
    case Qt::Key_Backspace:
      Back();
      return;
    case Qt::Key_Home:
      ResetZoom();
      return;
    case Qt::Key_Left:
      if (alt) {
        Back();
      } else if (layout_ != nullptr) {
        viewport_.PanBy(-viewport_.width_px / 10, layout_->total());
        zoom_pending_ = true;
        record_timer_.start();
        Invalidate();
        Q_EMIT viewChanged();
      }
      return;
    case Qt::Key_Right:
      if (alt) {
        Forward();
      } else if (layout_ != nullptr) {
        viewport_.PanBy(viewport_.width_px / 10, layout_->total());
        zoom_pending_ = true;
        record_timer_.start();
        Invalidate();
        Q_EMIT viewChanged();
      }
      return;
    case Qt::Key_Up:
    case Qt::Key_Down: {
      // Towards the root's side or away from it, on screen.
      const double dir = (event->key() == Qt::Key_Down) == (viewport_.orientation == Orientation::kIcicle) ? 1 : -1;
      ScrollBy(dir * viewport_.row_height_px);
      Q_EMIT viewChanged();
      return;
    }
    case Qt::Key_Plus:
    case Qt::Key_Equal:
    case Qt::Key_Minus:
      if (layout_ != nullptr) {
        ZoomAround(viewport_.width_px / 2, event->key() == Qt::Key_Minus ? 1 / 1.5 : 1.5);
        record_timer_.start();
        Invalidate();
        Q_EMIT viewChanged();
      }
      return;
    case Qt::Key_C:
      if (event->modifiers() & Qt::ControlModifier) {
        CopyName(selected_);
        return;
      }
      break;
    default:
      break;
  }
  QWidget::keyPressEvent(event);
}

void FlameGraphWidget::CopyName(NodeId node) {
  if (layout_ == nullptr || node == kNoNode || node == kRootNode) return;
  const std::string_view name = layout_->name(node);
  QGuiApplication::clipboard()->setText(QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size())));
}

void FlameGraphWidget::contextMenuEvent(QContextMenuEvent* event) {
  if (layout_ == nullptr) return;
  const RenderItem* item = ItemAt(event->pos());
  QMenu menu(this);
  if (item != nullptr && item->kind == RenderItemKind::kNode && item->node != kRootNode) {
    const NodeId node = item->node;
    const std::string_view view = layout_->name(node);
    const QString name = QString::fromUtf8(view.data(), static_cast<qsizetype>(view.size()));
    menu.addAction(tr("Copy function name"), this, [this, node] { CopyName(node); });
    menu.addAction(tr("Focus"), this, [this, node, name] {
      FocusNode(node);
      Q_EMIT nodeSelected(name);
    });
    menu.addAction(tr("Show sandwich"), this, [this, name] { Q_EMIT sandwichRequested(name); });
    menu.addSeparator();
  } else if (item != nullptr && item->kind == RenderItemKind::kFolded) {
    const int64_t start = item->start_tick, end = item->end_tick;
    menu.addAction(tr("Zoom to these %1 functions").arg(item->count), this,
                   [this, start, end] { ZoomToRange(start, end); });
    menu.addSeparator();
  }
  menu.addAction(tr("Back"), this, [this] { Back(); })->setEnabled(CanGoBack());
  menu.addAction(tr("Forward"), this, [this] { Forward(); })->setEnabled(CanGoForward());
  menu.addAction(tr("Reset zoom"), this, [this] { ResetZoom(); });
  menu.exec(event->globalPos());
}

}  // namespace kiln::viewer::qt
