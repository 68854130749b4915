// HeatmapWidget: cells painted where the model's bins are, and a brush
// (simulated mouse drag) selects exactly the profiles of its cells.
#include "viewer/qt/heatmap_widget.h"

#include <QImage>
#include <QSignalSpy>
#include <QTest>

namespace kiln::viewer::qt {

class HeatmapWidgetTest : public QObject {
  Q_OBJECT

 private:
  // 6 profiles at times 0..5 with values 10, 10, 10, 50, 90, 90.
  static std::shared_ptr<const ProfileCollection> Collection() {
    auto c = std::make_shared<ProfileCollection>();
    const int64_t values[] = {10, 10, 10, 50, 90, 90};
    for (uint64_t i = 0; i < 6; ++i) {
      c->refs.push_back({0, i, 0});
      c->points.push_back({static_cast<int64_t>(i), values[i], i});
    }
    c->sample_type = {"cpu", "nanoseconds"};
    c->synthetic_time = true;
    return c;
  }

 private Q_SLOTS:
  void BinsAndPaintsCells() {
    HeatmapWidget widget;
    widget.resize(700, 300);
    widget.SetCollection(Collection());
    const Heatmap* h = widget.heatmap();
    QVERIFY(h != nullptr);
    QCOMPARE(h->time_buckets(), 6u);
    QCOMPARE(h->value_buckets(), 6u);
    QImage image(widget.size(), QImage::Format_ARGB32);
    widget.render(&image);
    // Filled cells are darker than empty ones.
    const QRect full = widget.CellRect(0, *h->ValueBucketOf(10));
    const QRect empty = widget.CellRect(0, *h->ValueBucketOf(90));
    QVERIFY(full.isValid() && empty.isValid());
    QVERIFY(full.bottom() > empty.bottom());  // low values at the bottom
    QVERIFY(image.pixelColor(full.center()).lightness() < image.pixelColor(empty.center()).lightness());
    QCOMPARE(widget.CellAt(full.center()), std::make_optional(std::make_pair(0u, *h->ValueBucketOf(10))));
  }

  void DragSelectsTheProfilesOfTheCells() {
    HeatmapWidget widget;
    widget.resize(700, 300);
    widget.SetCollection(Collection());
    widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&widget));
    QSignalSpy selected(&widget, &HeatmapWidget::selectionChanged);
    const Heatmap& h = *widget.heatmap();
    // Brush over times 2..4 and every value: profiles 2, 3, 4.
    const QPoint from = widget.CellRect(2, 0).center();
    const QPoint to = widget.CellRect(4, h.value_buckets() - 1).center();
    QTest::mousePress(&widget, Qt::LeftButton, {}, from);
    QTest::mouseMove(&widget, to);
    QTest::mouseRelease(&widget, Qt::LeftButton, {}, to);
    QCOMPARE(selected.count(), 1);
    QCOMPARE(selected[0][0].value<QList<quint64>>(), QList<quint64>({2, 3, 4}));
    // Only the low-value row over all times: the three profiles at 10.
    widget.SelectCells(0, 0, h.time_buckets() - 1, 0);
    QCOMPARE(selected.last()[0].value<QList<quint64>>(), QList<quint64>({0, 1, 2}));
  }
};

}  // namespace kiln::viewer::qt

QTEST_MAIN(kiln::viewer::qt::HeatmapWidgetTest)
#include "heatmap_widget_test.moc"
