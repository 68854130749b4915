// FlameGraphWidget painted offscreen into QImages of fixed size and driven
// by simulated mouse and key events; every expectation is read from the
// model's render list, so the test checks that the widget paints what the
// model says and routes input to the model as documented.
#include "viewer/qt/flame_graph_widget.h"

#include <cmath>
#include <memory>

#include <QApplication>
#include <QImage>
#include <QSignalSpy>
#include <QTest>
#include <QWheelEvent>

#include "kiln/viewer/palette.h"
#include "viewer/qt/node_tooltip.h"
#include "viewer/qt/qt_test_support.h"

namespace kiln::viewer::qt {
namespace {

using testing::TreeFromCollapsed;

// total 100: main 95 (a 40 = self 10 + x 30, b 40, c 15), other 5.
constexpr std::string_view kSmall =
    "main;a;x 30\n"
    "main;a 10\n"
    "main;b 40\n"
    "main;c 15\n"
    "other 5\n";

constexpr int kWidth = 1000;
constexpr int kHeight = 200;

QColor Expected(const RenderItem& item) {
  const Rgb c = ColorOf(item.color);
  return QColor(c.r, c.g, c.b);
}

// A pixel safely inside an item's bar: one in from its top-left corner
// (labels start 3 px in and are vertically centred, so this is bar colour).
QPoint Inside(const RenderItem& item) {
  return QPoint(static_cast<int>(std::ceil(item.x)) + 1, static_cast<int>(std::ceil(item.y)) + 1);
}

QImage Paint(FlameGraphWidget& widget) {
  QImage image(widget.size(), QImage::Format_ARGB32);
  image.fill(Qt::black);
  widget.render(&image);
  return image;
}

const RenderItem* Find(const RenderList& list, const DepthLayout& layout, std::string_view name) {
  for (const RenderItem& item : list.items) {
    if (item.kind == RenderItemKind::kNode && layout.name(item.node) == name) return &item;
  }
  return nullptr;
}

// Pixels of |image| inside |rect| dark enough to be label text.
int DarkPixels(const QImage& image, const QRect& rect) {
  int n = 0;
  for (int y = rect.top(); y <= rect.bottom(); ++y) {
    for (int x = rect.left(); x <= rect.right(); ++x) {
      const QColor c = image.pixelColor(x, y);
      if (c.red() < 110 && c.green() < 110 && c.blue() < 110) ++n;
    }
  }
  return n;
}

QRect BarRect(const RenderItem& item) {
  return QRect(static_cast<int>(std::ceil(item.x)), static_cast<int>(std::ceil(item.y)),
               static_cast<int>(item.w) - 2, static_cast<int>(item.h) - 2);
}

void SendWheel(QWidget* widget, QPointF pos, int delta, Qt::KeyboardModifiers modifiers = {}) {
  QWheelEvent event(pos, widget->mapToGlobal(pos), QPoint(), QPoint(0, delta), Qt::NoButton, modifiers,
                    Qt::NoScrollPhase, false);
  QApplication::sendEvent(widget, &event);
}

void SendMouse(QWidget* widget, QEvent::Type type, QPointF pos, Qt::MouseButtons buttons) {
  QMouseEvent event(type, pos, widget->mapToGlobal(pos), Qt::LeftButton, buttons, Qt::NoModifier);
  QApplication::sendEvent(widget, &event);
}

}  // namespace

class FlameGraphWidgetTest : public QObject {
  Q_OBJECT

 private:
  std::shared_ptr<const DepthLayout> layout_;
  std::unique_ptr<FlameGraphWidget> widget_;

 private Q_SLOTS:
  void init() {
    Tree tree = TreeFromCollapsed(kSmall);
    layout_ = std::make_shared<const DepthLayout>(DepthLayout::Build(tree));
    widget_ = std::make_unique<FlameGraphWidget>();
    widget_->resize(kWidth, kHeight);
    widget_->SetLayout(layout_, "count", nullptr);
    widget_->show();
    QVERIFY(QTest::qWaitForWindowExposed(widget_.get()));
  }
  void cleanup() { widget_.reset(); }

  void ViewportFollowsTheWidget() {
    const Viewport& v = widget_->viewport();
    QCOMPARE(v.width_px, double(kWidth));
    QCOMPARE(v.height_px, double(kHeight));
    QCOMPARE(v.start, int64_t{0});
    QCOMPARE(v.end, int64_t{100});
    widget_->resize(500, 100);
    QCOMPARE(widget_->viewport().width_px, 500.0);
    QCOMPARE(widget_->CurrentRenderList().items[0].w, 500.0f);
  }

  void PaintsBarsWhereTheRenderListSays() {
    const QImage image = Paint(*widget_);
    const RenderList& list = widget_->CurrentRenderList();
    QCOMPARE(list.items.size(), size_t{7});  // total, main, other, a, b, c, x
    int checked = 0;
    for (const RenderItem& item : list.items) {
      if (item.w < 4) continue;
      const QPoint p = Inside(item);
      QCOMPARE(image.pixelColor(p), Expected(item));
      ++checked;
    }
    QCOMPARE(checked, 7);  // the narrowest, other, is 50 px
    // Below the deepest row (4 rows of 20 px in icicle order) is background.
    QCOMPARE(image.pixelColor(500, 4 * 20 + 10), QColor::fromRgba(FlameGraphWidget::kBackground));
    // Where no bar is: x sits after a's self (10 ticks) and spans [100,
    // 400) px; left and right of it, its row is background.
    const RenderItem* x = Find(list, *layout_, "x");
    QVERIFY(x != nullptr);
    QCOMPARE(x->x, 100.0f);
    QCOMPARE(x->x + x->w, 400.0f);
    QCOMPARE(image.pixelColor(50, static_cast<int>(x->y) + 5), QColor::fromRgba(FlameGraphWidget::kBackground));
    QCOMPARE(image.pixelColor(450, static_cast<int>(x->y) + 5), QColor::fromRgba(FlameGraphWidget::kBackground));
  }

  void RootBarSpansTheWidth() {
    const QImage image = Paint(*widget_);
    const RenderItem& root = widget_->CurrentRenderList().items[0];
    QCOMPARE(root.node, kRootNode);
    QCOMPARE(root.x, 0.0f);
    QCOMPARE(root.w, float(kWidth));
    QCOMPARE(root.y, 0.0f);  // icicle: the root is the top row
    for (int x : {0, 1, kWidth / 2, kWidth - 2}) QCOMPARE(image.pixelColor(x, 1), Expected(root));

    widget_->SetOrientation(Orientation::kFlame);
    const QImage flame = Paint(*widget_);
    const RenderItem& bottom = widget_->CurrentRenderList().items[0];
    QCOMPARE(bottom.y, float(kHeight - 20));  // flame: the root is the bottom row
    QCOMPARE(flame.pixelColor(1, kHeight - 19), Expected(bottom));
    QCOMPARE(flame.pixelColor(kWidth - 2, kHeight - 19), Expected(bottom));
    QCOMPARE(flame.pixelColor(1, 1), QColor::fromRgba(FlameGraphWidget::kBackground));
  }

  void LabelsArePaintedInTheirBars() {
    const QImage image = Paint(*widget_);
    const RenderList& list = widget_->CurrentRenderList();
    const RenderItem* main = Find(list, *layout_, "main");
    QVERIFY(main != nullptr);
    QCOMPARE(list.label(*main), std::string_view("main"));
    QVERIFY2(DarkPixels(image, BarRect(*main)) > 20, "no label text inside main's bar");
    // Every labelled bar has text, and the text stays to the left where
    // a 4-character label ends: the right half of main's bar is plain.
    for (const RenderItem& item : list.items) {
      if (item.label_length == 0) continue;
      QVERIFY2(DarkPixels(image, BarRect(item)) > 0, std::string(list.label(item)).c_str());
    }
    QRect right_half = BarRect(*main);
    right_half.setLeft(right_half.center().x());
    QCOMPARE(DarkPixels(image, right_half), 0);
    // Without labels, no text at all.
    FlameGraphWidget plain;
    plain.resize(kWidth, kHeight);
    plain.SetLayout(layout_, "count", nullptr);
    plain.SetShowLabels(false);
    const QImage no_labels = Paint(plain);
    QCOMPARE(DarkPixels(no_labels, QRect(0, 0, kWidth, kHeight)), 0);
  }

  void WheelZoomsAroundTheCursor() {
    // At x = 250 px the tick is 25; one notch zooms 1.25x keeping it there.
    SendWheel(widget_.get(), QPointF(250, 50), 120);
    QCOMPARE(widget_->viewport().start, int64_t{5});
    QCOMPARE(widget_->viewport().end, int64_t{85});
    QCOMPARE(widget_->viewport().TickAtX(250), int64_t{25});
    // Zooming back out is clamped to the graph.
    SendWheel(widget_.get(), QPointF(250, 50), -120 * 4);
    QCOMPARE(widget_->viewport().start, int64_t{0});
    QCOMPARE(widget_->viewport().end, int64_t{100});
  }

  void ClickFocusesAndHistoryWalksBack() {
    QSignalSpy selected(widget_.get(), &FlameGraphWidget::nodeSelected);
    widget_->show();
    QVERIFY(QTest::qWaitForWindowExposed(widget_.get()));
    const RenderItem* a = Find(widget_->CurrentRenderList(), *layout_, "a");
    QVERIFY(a != nullptr);
    const int64_t a_start = a->start_tick, a_end = a->end_tick;
    const QPoint centre(static_cast<int>(a->x + a->w / 2), static_cast<int>(a->y + a->h / 2));
    QTest::mouseClick(widget_.get(), Qt::LeftButton, {}, centre);
    QCOMPARE(widget_->viewport().start, a_start);
    QCOMPARE(widget_->viewport().end, a_end);
    QCOMPARE(selected.count(), 1);
    QCOMPARE(selected[0][0].toString(), QString("a"));
    QCOMPARE(widget_->selected_name(), QString("a"));
    // a now fills the view; its child x spans 3/4 of it.
    const RenderItem* x = Find(widget_->CurrentRenderList(), *layout_, "x");
    QVERIFY(x != nullptr);
    QCOMPARE(x->w, 750.0f);

    QTest::keyClick(widget_.get(), Qt::Key_Backspace);
    QCOMPARE(widget_->viewport().start, int64_t{0});
    QCOMPARE(widget_->viewport().end, int64_t{100});
    QTest::keyClick(widget_.get(), Qt::Key_Right, Qt::AltModifier);
    QCOMPARE(widget_->viewport().end, a_end);
    QTest::keyClick(widget_.get(), Qt::Key_Left, Qt::AltModifier);
    QCOMPARE(widget_->viewport().end, int64_t{100});
  }

  void DragPansAndIsOneHistoryEntry() {
    widget_->FocusNode(Find(widget_->CurrentRenderList(), *layout_, "a")->node);  // ticks [0, 40): 25 px/tick
    QCOMPARE(widget_->viewport().end, int64_t{40});
    // Drag left by 100 px in small steps: content moves left by 4 ticks.
    SendMouse(widget_.get(), QEvent::MouseButtonPress, QPointF(500, 150), Qt::LeftButton);
    for (int x = 499; x >= 400; --x) SendMouse(widget_.get(), QEvent::MouseMove, QPointF(x, 150), Qt::LeftButton);
    SendMouse(widget_.get(), QEvent::MouseButtonRelease, QPointF(400, 150), Qt::NoButton);
    QCOMPARE(widget_->viewport().start, int64_t{4});
    QCOMPARE(widget_->viewport().end, int64_t{44});
    QCOMPARE(widget_->selected_name(), QString("a"));  // a drag is not a click
    QVERIFY(widget_->Back());
    QCOMPARE(widget_->viewport().start, int64_t{0});
    QCOMPARE(widget_->viewport().end, int64_t{40});
  }

  void ClickOnAFoldedRunZoomsToIt() {
    // 100 ticks on 40 px: other (5 ticks = 2 px) is narrow but alone, so
    // it is drawn as itself; make a run of narrow siblings instead.
    Tree tree = TreeFromCollapsed("main;big 990\nmain;t1 1\nmain;t2 1\nmain;t3 1\nmain;t4 1\n");
    auto layout = std::make_shared<const DepthLayout>(DepthLayout::Build(tree));
    widget_->SetLayout(layout, "count", nullptr);
    const RenderList& list = widget_->CurrentRenderList();
    const RenderItem* folded = nullptr;
    for (const RenderItem& item : list.items) {
      if (item.kind == RenderItemKind::kFolded) folded = &item;
    }
    QVERIFY(folded != nullptr);
    QCOMPARE(folded->count, 4u);
    const int64_t start = folded->start_tick, end = folded->end_tick;
    widget_->show();
    QVERIFY(QTest::qWaitForWindowExposed(widget_.get()));
    QTest::mouseClick(widget_.get(), Qt::LeftButton, {},
                      QPoint(static_cast<int>(folded->x + folded->w / 2), static_cast<int>(folded->y + 5)));
    QCOMPARE(widget_->viewport().start, start);
    QCOMPARE(widget_->viewport().end, end);
  }

  void SlashAsksForSearchAndEscapeResets() {
    QSignalSpy requested(widget_.get(), &FlameGraphWidget::searchRequested);
    QSignalSpy cleared(widget_.get(), &FlameGraphWidget::searchCleared);
    QVERIFY(widget_->SetSearch({"x"}).ok());
    widget_->FocusNode(Find(widget_->CurrentRenderList(), *layout_, "b")->node);
    QTest::keyClick(widget_.get(), Qt::Key_Slash);
    QCOMPARE(requested.count(), 1);
    QTest::keyClick(widget_.get(), Qt::Key_Escape);
    QCOMPARE(cleared.count(), 1);
    QVERIFY(widget_->search() == nullptr);
    QCOMPARE(widget_->viewport().start, int64_t{0});
    QCOMPARE(widget_->viewport().end, int64_t{100});
    QVERIFY(widget_->CanGoBack());  // a reset is recorded
  }

  void SearchHighlightsMatchesAndDimsTheRest() {
    QVERIFY(widget_->SetSearch({"x"}).ok());
    QVERIFY(widget_->search() != nullptr);
    QCOMPARE(widget_->search()->matched_value(), int64_t{30});
    const QImage image = Paint(*widget_);
    const RenderList& list = widget_->CurrentRenderList();
    const QColor background = QColor::fromRgba(FlameGraphWidget::kBackground);
    for (const RenderItem& item : list.items) {
      const std::string name(layout_->name(item.node));
      const QColor fill = Expected(item);
      const QPoint p = Inside(item);
      if (name == "x") {
        QCOMPARE(item.emphasis, Emphasis::kMatch);
        QCOMPARE(image.pixelColor(p), QColor::fromRgba(FlameGraphWidget::kMatchOutline));
        // Inside the outline the bar keeps its colour.
        QCOMPARE(image.pixelColor(p + QPoint(3, 3)), fill);
      } else if (name == "a" || name == "main" || name == "total") {
        // Ancestors of the match are not dimmed.
        QCOMPARE(item.emphasis, Emphasis::kNormal);
        QCOMPARE(image.pixelColor(p), fill);
      } else {
        QCOMPARE(item.emphasis, Emphasis::kDimmed);
        // The fill at kDimmedAlpha over the background.
        const QColor got = image.pixelColor(p);
        auto blend = [](int c, int bg) { return (c * kDimmedAlpha + bg * (255 - kDimmedAlpha)) / 255.0; };
        QVERIFY(std::abs(got.red() - blend(fill.red(), background.red())) <= 2);
        QVERIFY(std::abs(got.green() - blend(fill.green(), background.green())) <= 2);
        QVERIFY(std::abs(got.blue() - blend(fill.blue(), background.blue())) <= 2);
      }
    }
    // A bad regex is an error and leaves no highlight.
    SearchQuery bad{"(", MatchMode::kRegex};
    QVERIFY(!widget_->SetSearch(bad).ok());
    QVERIFY(widget_->search() == nullptr);
    for (const RenderItem& item : widget_->CurrentRenderList().items) QCOMPARE(item.emphasis, Emphasis::kNormal);
  }

  void DiffLayoutPaintsDiffColours() {
    Tree base = TreeFromCollapsed("main;grow 10\nmain;shrink 90\n");
    Tree next = TreeFromCollapsed("main;grow 90\nmain;shrink 10\n");
    auto layout = std::make_shared<const DepthLayout>(DepthLayout::BuildDiff(base, next));
    widget_->SetLayout(layout, "count", nullptr);
    const QImage image = Paint(*widget_);
    const RenderList& list = widget_->CurrentRenderList();
    const RenderItem* grow = Find(list, *layout, "grow");
    const RenderItem* shrink = Find(list, *layout, "shrink");
    QVERIFY(grow != nullptr && shrink != nullptr);
    QCOMPARE(grow->color.cls, ColorClass::kDiff);
    const QColor red = image.pixelColor(Inside(*grow));
    const QColor green = image.pixelColor(Inside(*shrink));
    QCOMPARE(red, Expected(*grow));
    QVERIFY(red.red() > red.green() + 60);
    QVERIFY(green.green() > green.red() + 60);
    widget_->SetDiffPalette(DiffPalette::kColorBlind);
    const QColor blue = Paint(*widget_).pixelColor(Inside(*shrink));
    QVERIFY(blue.blue() > blue.red() + 60);
  }

  void TooltipTellsSelfTotalAndPercent() {
    const RenderItem* a = Find(widget_->CurrentRenderList(), *layout_, "a");
    QVERIFY(a != nullptr);
    QCOMPARE(QString::fromStdString(NodeTooltip(*layout_, *a, "count", nullptr)),
             QString("a\nTotal: 40 (40.00%)\nSelf: 10 (10.00%)"));
  }

  void SvgHasOneRectPerItemAndTheLabels() {
    const std::string svg = widget_->ToSvg("small");
    const RenderList& list = widget_->CurrentRenderList();
    size_t rects = 0;
    for (size_t at = svg.find("<rect"); at != std::string::npos; at = svg.find("<rect", at + 1)) ++rects;
    QCOMPARE(rects, list.items.size() + 1);  // + the background
    QVERIFY(svg.find(">main</text>") != std::string::npos);
    QVERIFY(svg.find("<title>small</title>") != std::string::npos);
  }
};

}  // namespace kiln::viewer::qt

QTEST_MAIN(kiln::viewer::qt::FlameGraphWidgetTest)
#include "flame_graph_widget_test.moc"
