#include "viewer/qt/diff_table_item_model.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QTest>

#include "kiln/query/top_table.h"
#include "kiln/viewer/color_key.h"
#include "kiln/viewer/palette.h"
#include "viewer/qt/qt_test_support.h"
#include "viewer/qt/top_table_item_model_test.h"

namespace kiln::viewer::qt {
namespace {

using testing::TreeFromCollapsed;

// Base: a 20 %, b 50 %, c 30 % of 100. New: a 60 %, b 40 %, d ... of 200.
constexpr std::string_view kBase =
    "main;a 20\n"
    "main;b 50\n"
    "main;c 30\n";
constexpr std::string_view kNew =
    "main;a 120\n"
    "main;b 80\n";

std::vector<ShareChange> Changes() {
  Tree base = TreeFromCollapsed(kBase);
  Tree next = TreeFromCollapsed(kNew);
  return CompareShares(ComputeTopTable(base), ComputeTopTable(next));
}

QStringList Names(const DiffTableItemModel& model) {
  QStringList out;
  for (int r = 0; r < model.rowCount(); ++r) out << model.FunctionAt(r);
  return out;
}

QColor ColorOfBucket(int bucket, DiffPalette palette) {
  const Rgb c = ColorOf(ColorKey{ColorClass::kDiff, static_cast<uint8_t>(bucket)}, palette);
  return QColor(c.r, c.g, c.b);
}

}  // namespace

void DiffTableItemModelTest::RowsAreTheCoreShareChanges() {
  DiffTableItemModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  const std::vector<ShareChange> core = Changes();
  model.SetRows(core);
  QCOMPARE(model.rowCount(), static_cast<int>(core.size()));
  QCOMPARE(model.columnCount(), int(DiffTableItemModel::kColumnCount));
  for (int r = 0; r < model.rowCount(); ++r) {
    const ShareChange& c = core[static_cast<size_t>(r)];
    QCOMPARE(model.FunctionAt(r), QString::fromStdString(c.name));
    QCOMPARE(model.data(model.index(r, DiffTableItemModel::kBaseSelf), Qt::UserRole).toDouble(), c.base_flat_pct);
    QCOMPARE(model.data(model.index(r, DiffTableItemModel::kNewSelf), Qt::UserRole).toDouble(), c.new_flat_pct);
    QCOMPARE(model.data(model.index(r, DiffTableItemModel::kDeltaTotal), Qt::UserRole).toDouble(),
             c.delta_cum_pct());
  }
  // a: 20 % -> 60 %, the largest change of self share, first (the core's order).
  QCOMPARE(model.FunctionAt(0), QString("a"));
  QCOMPARE(model.data(model.index(0, DiffTableItemModel::kDeltaSelf)).toString(), QString("+40.00 pp"));
  QCOMPARE(model.data(model.index(0, DiffTableItemModel::kBaseSelf)).toString(), QString("20.00%"));
  const int c = Names(model).indexOf("c");
  QCOMPARE(model.data(model.index(c, DiffTableItemModel::kDeltaSelf)).toString(), QString("-30.00 pp"));
}

void DiffTableItemModelTest::SortsByChange() {
  DiffTableItemModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  model.SetRows(Changes());
  // Self changes: a +40, b -10, c -30, main 0.
  model.sort(DiffTableItemModel::kDeltaSelf, Qt::DescendingOrder);
  QCOMPARE(Names(model), QStringList({"a", "main", "b", "c"}));
  model.sort(DiffTableItemModel::kDeltaSelf, Qt::AscendingOrder);
  QCOMPARE(Names(model), QStringList({"c", "b", "main", "a"}));
  model.sort(DiffTableItemModel::kFunction, Qt::AscendingOrder);
  QCOMPARE(Names(model), QStringList({"a", "b", "c", "main"}));
  // Equal values (main's total share is 100 % on both sides, no other ties)
  // keep a deterministic order by name.
  model.sort(DiffTableItemModel::kNewTotal, Qt::DescendingOrder);
  QCOMPARE(Names(model), QStringList({"main", "a", "b", "c"}));
}

void DiffTableItemModelTest::PersistentIndexFollowsItsRowWhenSorted() {
  DiffTableItemModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  model.SetRows(Changes());
  const QPersistentModelIndex c(model.index(Names(model).indexOf("c"), DiffTableItemModel::kNewSelf));
  model.sort(DiffTableItemModel::kDeltaSelf, Qt::AscendingOrder);
  QCOMPARE(c.row(), 0);
  QCOMPARE(c.column(), int(DiffTableItemModel::kNewSelf));
  model.sort(DiffTableItemModel::kFunction, Qt::DescendingOrder);
  QCOMPARE(model.FunctionAt(c.row()), QString("c"));
}

void DiffTableItemModelTest::ColoursGrowthAndShrinkageByPalette() {
  DiffTableItemModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  model.SetRows(Changes());
  const int a = Names(model).indexOf("a"), c = Names(model).indexOf("c"), main = Names(model).indexOf("main");
  auto fg = [&](int row) {
    return model.data(model.index(row, DiffTableItemModel::kDeltaSelf), Qt::ForegroundRole).value<QColor>();
  };
  QCOMPARE(fg(a), ColorOfBucket(kDiffBuckets - 1, DiffPalette::kGreenRed));  // red
  QCOMPARE(fg(c), ColorOfBucket(0, DiffPalette::kGreenRed));                 // green
  QVERIFY(!model.data(model.index(main, DiffTableItemModel::kDeltaSelf), Qt::ForegroundRole).isValid());
  model.SetDiffPalette(DiffPalette::kColorBlind);
  QCOMPARE(fg(c), ColorOfBucket(0, DiffPalette::kColorBlind));  // blue
  QVERIFY(fg(c) != ColorOfBucket(0, DiffPalette::kGreenRed));
}

}  // namespace kiln::viewer::qt
