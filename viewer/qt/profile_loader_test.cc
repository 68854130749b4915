// ProfileLoader: jobs run on the thread pool and report back with signals;
// cancel and supersede never deliver a stale result; errors say what and
// where. Files are written by the test (collapsed text) or read from the
// corpus in place (skipped when absent).
#include "viewer/qt/profile_loader.h"

#include <string>

#include <QDir>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>

#include "viewer/qt/node_tooltip.h"
#include "viewer/qt/qt_test_support.h"

namespace kiln::viewer::qt {
namespace {

using testing::WriteTextFile;

constexpr std::string_view kSmall =
    "main;a;x 30\n"
    "main;a 10\n"
    "main;b 40\n"
    "main;c 15\n"
    "other 5\n";

constexpr int kWaitMs = 60'000;

// The latest result |spy| received.
std::shared_ptr<const LoadResult> ResultOf(const QSignalSpy& spy) {
  return spy.last()[0].value<std::shared_ptr<const LoadResult>>();
}

// A collapsed file of |lines| distinct stacks (a few MB for 200k lines).
std::string BigCollapsed(int lines) {
  std::string out;
  for (int i = 0; i < lines; ++i) {
    out += "main;mod" + std::to_string(i % 97) + ";fn" + std::to_string(i) + ";leaf" + std::to_string(i % 13) +
           " " + std::to_string(1 + i % 7) + "\n";
  }
  return out;
}

}  // namespace

class ProfileLoaderTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString Path(const QString& name) const { return dir_.filePath(name); }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    QVERIFY(WriteTextFile(Path("small.txt"), kSmall));
    QVERIFY(WriteTextFile(Path("base.txt"), "main;a 20\nmain;b 50\nmain;c 30\n"));
    QVERIFY(WriteTextFile(Path("next.txt"), "main;a 120\nmain;b 80\n"));
    QVERIFY(WriteTextFile(Path("big.txt"), BigCollapsed(200'000)));
  }
  void cleanupTestCase() { QThreadPool::globalInstance()->waitForDone(); }

  void OpenDeliversLayoutAndTopTable() {
    ProfileLoader loader;
    QSignalSpy finished(&loader, &ProfileLoader::finished);
    QSignalSpy progress(&loader, &ProfileLoader::progress);
    loader.Open(Path("small.txt"), {}, {});
    QVERIFY(loader.busy());  // returned at once; the work is on the pool
    QVERIFY(finished.wait(kWaitMs));
    QVERIFY(!loader.busy());
    const auto result = ResultOf(finished);
    QVERIFY(result->status.ok());
    QCOMPARE(result->documents.size(), size_t{1});
    QCOMPARE(result->view->layout->total(), int64_t{100});
    QCOMPARE(result->view->tree->total(), int64_t{100});
    QCOMPARE(result->view->top->rows().size(), size_t{6});
    QCOMPARE(result->view->top->rows()[0].name, std::string("b"));
    QVERIFY(!result->view->is_diff);
    QVERIFY(progress.count() > 0);
    QCOMPARE(progress.last()[0].toInt(), 100);
  }

  void SampleTypeSpecIsCheckedAndErrorsSayWhat() {
    ProfileLoader loader;
    QSignalSpy failed(&loader, &ProfileLoader::failed);
    loader.Open(Path("small.txt"), "alloc_space", {});
    QVERIFY(failed.wait(kWaitMs));
    const QString message = failed[0][0].toString();
    QVERIFY2(message.contains("no sample type 'alloc_space'") && message.contains("the file has:"),
             qPrintable(message));

    loader.Open(Path("missing.pb.gz"), {}, {});
    QVERIFY(failed.wait(kWaitMs));
    QVERIFY2(failed[1][0].toString().contains("missing.pb.gz: cannot open file"), qPrintable(failed[1][0].toString()));

    QVERIFY(WriteTextFile(Path("garbage.bin"), "\x01\x02\x03 not a profile"));
    loader.Open(Path("garbage.bin"), {}, {});
    QVERIFY(failed.wait(kWaitMs));
    QVERIFY2(failed[2][0].toString().startsWith(Path("garbage.bin") + ":"), qPrintable(failed[2][0].toString()));
  }

  void CancelReturnsAtOnceAndDropsTheResult() {
    ProfileLoader loader;
    QSignalSpy finished(&loader, &ProfileLoader::finished);
    QSignalSpy canceled(&loader, &ProfileLoader::canceled);
    loader.Open(Path("big.txt"), {}, {});
    QVERIFY(loader.busy());
    loader.Cancel();
    QCOMPARE(canceled.count(), 1);  // synchronously: the UI does not wait
    QVERIFY(!loader.busy());
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::processEvents();
    QTest::qWait(50);
    QCOMPARE(finished.count(), 0);
    QCOMPARE(canceled.count(), 1);
  }

  void ANewJobSupersedesTheRunningOne() {
    ProfileLoader loader;
    QSignalSpy finished(&loader, &ProfileLoader::finished);
    loader.Open(Path("big.txt"), {}, {});
    loader.Open(Path("small.txt"), {}, {});
    QVERIFY(finished.wait(kWaitMs));
    QThreadPool::globalInstance()->waitForDone();
    QTest::qWait(50);
    QCOMPARE(finished.count(), 1);
    QCOMPARE(ResultOf(finished)->view->layout->total(), int64_t{100});
  }

  void BigFileLoads() {
    ProfileLoader loader;
    QSignalSpy finished(&loader, &ProfileLoader::finished);
    loader.Open(Path("big.txt"), {}, {});
    QVERIFY(finished.wait(kWaitMs));
    int64_t expected = 0;
    for (int i = 0; i < 200'000; ++i) expected += 1 + i % 7;
    QCOMPARE(ResultOf(finished)->view->layout->total(), expected);
  }

  void CompareBuildsADiff() {
    ProfileLoader loader;
    QSignalSpy finished(&loader, &ProfileLoader::finished);
    loader.Compare(Path("base.txt"), Path("next.txt"), {}, {});
    QVERIFY(finished.wait(kWaitMs));
    const auto result = ResultOf(finished);
    QVERIFY(result->view->is_diff);
    QCOMPARE(result->documents.size(), size_t{2});
    QCOMPARE(result->view->layout->side_total(0), int64_t{100});
    QCOMPARE(result->view->layout->side_total(1), int64_t{200});
    QCOMPARE(result->view->layout->total(), int64_t{300});
    QCOMPARE(result->view->share_changes.size(), size_t{4});
    QCOMPARE(result->view->share_changes[0].name, std::string("a"));
    QCOMPARE(result->view->share_changes[0].delta_flat_pct(), 40.0);
  }

  void CollectionMergesEveryProfileAndThenASelection() {
    ProfileLoader loader;
    QSignalSpy finished(&loader, &ProfileLoader::finished);
    loader.OpenCollection({Path("small.txt"), Path("base.txt"), Path("next.txt")}, {}, {});
    QVERIFY(finished.wait(kWaitMs));
    const auto result = ResultOf(finished);
    QVERIFY(result->collection != nullptr);
    QCOMPARE(result->collection->points.size(), size_t{3});
    QVERIFY(result->collection->synthetic_time);  // collapsed text has no timestamps
    QCOMPARE(result->collection->points[2].time, int64_t{2});
    QCOMPARE(result->collection->points[2].value, int64_t{200});
    QCOMPARE(result->view->layout->total(), int64_t{400});

    loader.MergeSelection(result->collection, {0, 2}, {});
    QVERIFY(finished.wait(kWaitMs));
    QCOMPARE(ResultOf(finished)->view->layout->total(), int64_t{300});
  }

  void CollapseRecursionOption() {
    QVERIFY(WriteTextFile(Path("recursive.txt"), "main;f;f;f;g 5\nmain;f 1\n"));
    ProfileLoader loader;
    QSignalSpy finished(&loader, &ProfileLoader::finished);
    loader.Open(Path("recursive.txt"), {}, {});
    QVERIFY(finished.wait(kWaitMs));
    QCOMPARE(ResultOf(finished)->view->layout->depth_count(), size_t{6});  // total main f f f g
    ViewOptions collapse;
    collapse.collapse_recursion = true;
    loader.Rebuild(ResultOf(finished)->documents[0], ResultOf(finished)->choice, collapse);
    QVERIFY(finished.wait(kWaitMs));
    QCOMPARE(ResultOf(finished)->view->layout->depth_count(), size_t{4});  // total main f g
    QCOMPARE(ResultOf(finished)->view->layout->total(), int64_t{6});
  }

  void CorpusProfileHasSourceLocations() {
    const QString path = QStringLiteral(KILN_CORPUS_DIR "/pprof/generated-go/cpu.pb.gz");
    if (!QFileInfo::exists(path)) QSKIP("corpus absent: pprof/generated-go/cpu.pb.gz");
    ProfileLoader loader;
    QSignalSpy finished(&loader, &ProfileLoader::finished);
    loader.Open(path, {}, {});
    QVERIFY(finished.wait(kWaitMs));
    const auto result = ResultOf(finished);
    const FlameView& view = *result->view;
    QCOMPARE(view.sample_type.unit, std::string("nanoseconds"));
    QCOMPARE(view.layout->total(), result->documents[0]->profiles()[0].Total(result->choice.type));
    // Go profiles carry file names (and start lines): tooltips of Go
    // functions end in their file.
    int with_source = 0;
    for (NodeId n = 1; n < view.layout->size(); ++n) {
      RenderItem item;
      item.node = n;
      const std::string tip = NodeTooltip(*view.layout, item, view.sample_type.unit, view.sources.get());
      const std::string last = tip.substr(tip.rfind('\n') + 1);
      if (last.find(".go") != std::string::npos) ++with_source;
      if (n == 1) qInfo("first tooltip: %s", tip.c_str());
    }
    qInfo("%d of %zu nodes have a source location", with_source, view.layout->size() - 1);
    QVERIFY(with_source > static_cast<int>(view.layout->size()) / 2);

    // With line numbers in frame names, the tooltip gives file:line.
    ViewOptions lines;
    lines.naming = FrameNaming::kFunctionAndLine;
    loader.Rebuild(result->documents[0], result->choice, lines);
    QVERIFY(finished.wait(kWaitMs));
    const FlameView& by_line = *ResultOf(finished)->view;
    int with_line = 0;
    for (NodeId n = 1; n < by_line.layout->size(); ++n) {
      RenderItem item;
      item.node = n;
      const std::string tip = NodeTooltip(*by_line.layout, item, by_line.sample_type.unit, by_line.sources.get());
      const std::string name(by_line.layout->name(n));
      const std::string line = name.substr(name.rfind(':') + 1);
      if (tip.find(".go:" + line) != std::string::npos) ++with_line;
    }
    qInfo("%d of %zu nodes have file:line", with_line, by_line.layout->size() - 1);
    QVERIFY(with_line > static_cast<int>(by_line.layout->size()) / 2);
  }
};

}  // namespace kiln::viewer::qt

QTEST_MAIN(kiln::viewer::qt::ProfileLoaderTest)
#include "profile_loader_test.moc"
