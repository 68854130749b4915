// MainWindow end to end, offscreen: a two-type pprof the test writes is
// opened by drag and drop, the sample-type chooser rebuilds the view, a
// function picked in the flame graph gets a sandwich with the core's
// numbers, and the file lands in the recent list.
#include "viewer/qt/main_window.h"

#include <fstream>

#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QLineEdit>
#include <QMimeData>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include "kiln/export/pprof_writer.h"
#include "kiln/ingest/importer_registry.h"
#include "kiln/query/sandwich.h"
#include "viewer/qt/flame_graph_widget.h"
#include "viewer/qt/sandwich_widget.h"
#include "viewer/qt/top_table_item_model.h"

namespace kiln::viewer::qt {
namespace {

constexpr int kWaitMs = 60'000;

// samples/count and cpu/nanoseconds; cpu is the default (last) type.
// main;work;hash 3 samples (3 ms), main;work 1 (1 ms), main;io 2 (6 ms).
Profile TwoTypeProfile() {
  Profile p;
  p.sample_types = {{"samples", "count"}, {"cpu", "nanoseconds"}};
  const LocationId main = p.symbols.InternFrame("main", "main.go", 1);
  const LocationId work = p.symbols.InternFrame("work", "work.go", 10);
  const LocationId hash = p.symbols.InternFrame("hash", "hash.go", 20);
  const LocationId io = p.symbols.InternFrame("io", "io.go", 30);
  auto add = [&](std::vector<LocationId> root_first, int64_t samples, int64_t ns) {
    const StackId stack = p.stacks.InternRootFirst(root_first);
    const int64_t values[] = {samples, ns};
    p.AddSample(stack, values);
  };
  add({main, work, hash}, 3, 3'000'000);
  add({main, work}, 1, 1'000'000);
  add({main, io}, 2, 6'000'000);
  return p;
}

void Drop(QWidget* target, const QStringList& paths) {
  QMimeData mime;
  QList<QUrl> urls;
  for (const QString& p : paths) urls << QUrl::fromLocalFile(p);
  mime.setUrls(urls);
  QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(target, &enter);
  QVERIFY(enter.isAccepted());
  QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(target, &drop);
}

}  // namespace

class MainWindowTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString pprof_;

 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // QSettings in a test location
    QVERIFY(dir_.isValid());
    pprof_ = dir_.filePath("two-types.pb.gz");
    auto bytes = WritePprof(TwoTypeProfile());
    QVERIFY(bytes.ok());
    std::ofstream(pprof_.toStdString(), std::ios::binary) << *bytes;
  }

  void DropChooseTypeSandwichAndRecent() {
    MainWindow window;
    window.resize(1200, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy ready(&window, &MainWindow::viewReady);

    Drop(&window, {pprof_});
    QVERIFY(ready.wait(kWaitMs));
    QCOMPARE(window.view()->sample_type.type, std::string("cpu"));
    QCOMPARE(window.flame_graph()->layout()->total(), int64_t{10'000'000});
    QComboBox* chooser = window.sample_type_chooser();
    QCOMPARE(chooser->count(), 2);
    QCOMPARE(chooser->currentText(), QString("cpu/nanoseconds"));
    QCOMPARE(window.top_model()->rowCount(), 4);
    QVERIFY(window.RecentFiles().value(0).endsWith("two-types.pb.gz"));

    // The other type, through the chooser as a user picks it.
    chooser->setCurrentIndex(0);
    Q_EMIT chooser->activated(0);
    QVERIFY(ready.wait(kWaitMs));
    QCOMPARE(window.view()->sample_type.type, std::string("samples"));
    QCOMPARE(window.flame_graph()->layout()->total(), int64_t{6});
    QCOMPARE(chooser->currentText(), QString("samples/count"));

    // Click "work" in the flame graph: the sandwich shows its callers and
    // callees with the core's values.
    FlameGraphWidget* flame = window.flame_graph();
    const RenderList& list = flame->CurrentRenderList();
    const RenderItem* work = nullptr;
    for (const RenderItem& item : list.items) {
      if (flame->layout()->name(item.node) == "work") work = &item;
    }
    QVERIFY(work != nullptr);
    QSignalSpy sandwich_ready(window.sandwich(), &SandwichWidget::ready);
    QTest::mouseClick(flame, Qt::LeftButton, {},
                      QPoint(static_cast<int>(work->x + work->w / 2), static_cast<int>(work->y + work->h / 2)));
    QVERIFY(sandwich_ready.wait(kWaitMs));
    QCOMPARE(window.sandwich()->function(), QString("work"));
    const SandwichView core = BuildSandwich(*window.view()->tree, "work");
    QCOMPARE(window.sandwich()->callers()->layout()->total(), core.callers.total());
    QCOMPARE(window.sandwich()->callees()->layout()->total(), core.callees.total());
    QCOMPARE(window.sandwich()->callers()->layout()->total(), int64_t{4});
  }

  void SlashGoesToTheSearchFieldWhichTakesSlashesAsText() {
    MainWindow window;
    window.resize(1200, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy ready(&window, &MainWindow::viewReady);
    window.OpenFile(pprof_);
    QVERIFY(ready.wait(kWaitMs));
    window.activateWindow();
    window.flame_graph()->setFocus();
    QTRY_VERIFY(window.flame_graph()->hasFocus());
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Slash);
    QTRY_VERIFY(window.search_field()->hasFocus());
    QTest::keyClicks(window.search_field(), "wo/rk");
    QCOMPARE(window.search_field()->text(), QString("wo/rk"));
    window.search_field()->setText("work");
    QTest::keyClick(window.search_field(), Qt::Key_Return);
    QVERIFY(window.flame_graph()->search() != nullptr);
    QCOMPARE(window.flame_graph()->search()->matched_value(), int64_t{4'000'000});
    QVERIFY(window.flame_graph()->hasFocus());
    // Esc in the graph clears the search and the field.
    QTest::keyClick(window.flame_graph(), Qt::Key_Escape);
    QVERIFY(window.flame_graph()->search() == nullptr);
    QCOMPARE(window.search_field()->text(), QString());
  }

  void ExportsReadBack() {
    MainWindow window;
    window.resize(1200, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy ready(&window, &MainWindow::viewReady);
    window.OpenFile(pprof_, "samples");
    QVERIFY(ready.wait(kWaitMs));
    // pprof: the opened profile with both types, readable by the core.
    const QString pprof = dir_.filePath("export.pb.gz");
    QVERIFY(window.ExportPprofTo(pprof).ok());
    QFile file(pprof);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    auto back = ImporterRegistry::Default().Import(std::string_view(bytes.data(), bytes.size()), "x.pb.gz");
    QVERIFY(back.ok());
    QCOMPARE((*back)[0].sample_types.size(), size_t{2});
    QCOMPARE((*back)[0].Total(0), int64_t{6});
    QCOMPARE((*back)[0].Total(1), int64_t{10'000'000});
    // SVG: one rect per render item (+ the background), labels as text.
    const QString svg = dir_.filePath("export.svg");
    QVERIFY(window.ExportSvgTo(svg).ok());
    QFile svg_file(svg);
    QVERIFY(svg_file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(svg_file.readAll());
    QCOMPARE(text.count("<rect"), static_cast<qsizetype>(window.flame_graph()->CurrentRenderList().items.size() + 1));
    QVERIFY(text.contains(">work</text>"));
    // PNG: the shown pane.
    const QString png = dir_.filePath("export.png");
    QVERIFY(window.ExportPngTo(png).ok());
    QCOMPARE(QImage(png).size(), window.flame_graph()->size());
  }

  void DroppingTwoFilesCompares() {
    MainWindow window;
    window.resize(1200, 800);
    QSignalSpy ready(&window, &MainWindow::viewReady);
    Drop(&window, {pprof_, pprof_});
    QVERIFY(ready.wait(kWaitMs));
    QVERIFY(window.view()->is_diff);
    QCOMPARE(window.flame_graph()->layout()->side_total(0), int64_t{10'000'000});
    QCOMPARE(window.flame_graph()->layout()->side_total(1), int64_t{10'000'000});
    QVERIFY(!window.ExportPprofTo(dir_.filePath("diff.pb.gz")).ok());  // no single profile
    window.SetOrientation(Orientation::kFlame);
    QCOMPARE(window.flame_graph()->orientation(), Orientation::kFlame);
    window.SetOrientation(Orientation::kIcicle);
    QCOMPARE(window.flame_graph()->orientation(), Orientation::kIcicle);
  }

  void AFailedLoadKeepsTheView() {
    MainWindow::Options options;
    options.interactive = false;
    MainWindow window(options);
    QSignalSpy ready(&window, &MainWindow::viewReady);
    QSignalSpy failed(&window, &MainWindow::loadFailed);
    window.OpenFile(pprof_);
    QVERIFY(ready.wait(kWaitMs));
    window.OpenFile(dir_.filePath("missing.pb.gz"));
    QVERIFY(failed.wait(kWaitMs));
    QVERIFY(failed[0][0].toString().contains("cannot open file"));
    QVERIFY(window.flame_graph()->layout() != nullptr);
    QCOMPARE(window.flame_graph()->layout()->total(), int64_t{10'000'000});
  }
};

}  // namespace kiln::viewer::qt

QTEST_MAIN(kiln::viewer::qt::MainWindowTest)
#include "main_window_test.moc"
