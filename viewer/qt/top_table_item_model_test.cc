#include "viewer/qt/top_table_item_model.h"

#include <memory>
#include <string>
#include <vector>

#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QTableView>
#include <QTest>

#include "kiln/query/top_table.h"
#include "viewer/qt/qt_test_support.h"
#include "viewer/qt/top_table_item_model_test.h"

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

struct Fixture {
  Fixture() : tree(TreeFromCollapsed(kSmall)) {
    model.SetTable(std::make_shared<TopTableModel>(tree), "count", nullptr);
  }
  Tree tree;
  TopTableItemModel model;
  QAbstractItemModelTester tester{&model, QAbstractItemModelTester::FailureReportingMode::QtTest};
};

QStringList Column(const QAbstractItemModel& model, int column, int role = Qt::UserRole) {
  QStringList out;
  for (int r = 0; r < model.rowCount(); ++r) out << model.data(model.index(r, column), role).toString();
  return out;
}

}  // namespace

void TopTableItemModelTest::RowsAreTheCoreTopTable() {
  Fixture f;
  const TopTable core = ComputeTopTable(f.tree);
  QCOMPARE(f.model.rowCount(), static_cast<int>(core.rows.size()));
  QCOMPARE(f.model.columnCount(), static_cast<int>(TopTableItemModel::kColumnCount));
  for (int r = 0; r < f.model.rowCount(); ++r) {
    const TopRow& row = core.rows[static_cast<size_t>(r)];
    QCOMPARE(f.model.data(f.model.index(r, TopTableItemModel::kFunction)).toString(),
             QString::fromStdString(row.name));
    QCOMPARE(f.model.data(f.model.index(r, TopTableItemModel::kSelf), Qt::UserRole).toLongLong(), row.flat);
    QCOMPARE(f.model.data(f.model.index(r, TopTableItemModel::kTotal), Qt::UserRole).toLongLong(), row.cum);
  }
  // The core's order: self descending, then total, then name.
  QCOMPARE(Column(f.model, TopTableItemModel::kFunction),
           QStringList({"b", "x", "c", "a", "other", "main"}));
}

void TopTableItemModelTest::DisplaysValuesWithUnitsAndPercent() {
  Fixture f;
  const int a = f.model.RowOf("a");
  QVERIFY(a >= 0);
  QCOMPARE(f.model.data(f.model.index(a, TopTableItemModel::kSelf)).toString(), QString("10"));
  QCOMPARE(f.model.data(f.model.index(a, TopTableItemModel::kSelfPercent)).toString(), QString("10.00%"));
  QCOMPARE(f.model.data(f.model.index(a, TopTableItemModel::kTotalPercent)).toString(), QString("40.00%"));
  QCOMPARE(f.model.data(f.model.index(a, TopTableItemModel::kTotalPercent), Qt::UserRole).toDouble(), 40.0);
  QCOMPARE(f.model.headerData(TopTableItemModel::kTotal, Qt::Horizontal).toString(), QString("Total"));

  // Units: nanoseconds print as time.
  TopTableItemModel timed;
  QAbstractItemModelTester tester(&timed, QAbstractItemModelTester::FailureReportingMode::QtTest);
  timed.SetTable(std::make_shared<TopTableModel>(f.tree), "nanoseconds", nullptr);
  const QString self_b = timed.data(timed.index(timed.RowOf("b"), TopTableItemModel::kSelf)).toString();
  QVERIFY2(self_b.endsWith("ns"), qPrintable(self_b));
}

void TopTableItemModelTest::SortsByEveryColumn_data() {
  QTest::addColumn<int>("column");
  QTest::addColumn<int>("order");
  QTest::addColumn<QStringList>("names");
  QTest::addRow("name ascending") << int(TopTableItemModel::kFunction) << int(Qt::AscendingOrder)
                                  << QStringList({"a", "b", "c", "main", "other", "x"});
  QTest::addRow("name descending") << int(TopTableItemModel::kFunction) << int(Qt::DescendingOrder)
                                   << QStringList({"x", "other", "main", "c", "b", "a"});
  // Equal keys fall back to the other value column, then the name (the
  // model's rule): totals main 95, b 40 (self 40), a 40 (self 10), x 30, c 15, other 5.
  QTest::addRow("self ascending") << int(TopTableItemModel::kSelf) << int(Qt::AscendingOrder)
                                  << QStringList({"main", "other", "a", "c", "x", "b"});
  QTest::newRow("self percent descending") << int(TopTableItemModel::kSelfPercent) << int(Qt::DescendingOrder)
                                     << QStringList({"b", "x", "c", "a", "other", "main"});
  QTest::addRow("total descending") << int(TopTableItemModel::kTotal) << int(Qt::DescendingOrder)
                                    << QStringList({"main", "b", "a", "x", "c", "other"});
  QTest::newRow("total percent ascending") << int(TopTableItemModel::kTotalPercent) << int(Qt::AscendingOrder)
                                     << QStringList({"other", "c", "x", "a", "b", "main"});
}

void TopTableItemModelTest::SortsByEveryColumn() {
  QFETCH(int, column);
  QFETCH(int, order);
  QFETCH(QStringList, names);
  Fixture f;
  f.model.sort(column, static_cast<Qt::SortOrder>(order));
  QCOMPARE(Column(f.model, TopTableItemModel::kFunction), names);
}

void TopTableItemModelTest::PersistentIndexFollowsItsRowWhenSorted() {
  Fixture f;
  const QPersistentModelIndex x(f.model.index(f.model.RowOf("x"), TopTableItemModel::kTotal));
  const QPersistentModelIndex main(f.model.index(f.model.RowOf("main"), TopTableItemModel::kFunction));
  f.model.sort(TopTableItemModel::kFunction, Qt::AscendingOrder);
  QVERIFY(x.isValid());
  QCOMPARE(x.row(), 5);
  QCOMPARE(x.column(), int(TopTableItemModel::kTotal));
  QCOMPARE(f.model.FunctionAt(x.row()), QString("x"));
  QCOMPARE(f.model.FunctionAt(main.row()), QString("main"));
  f.model.sort(TopTableItemModel::kTotal, Qt::DescendingOrder);
  QCOMPARE(main.row(), 0);
  QCOMPARE(f.model.FunctionAt(x.row()), QString("x"));
}

void TopTableItemModelTest::HeaderClickSortsThroughTheView() {
  Fixture f;
  QTableView view;
  view.setModel(&f.model);
  view.setSortingEnabled(true);
  view.sortByColumn(TopTableItemModel::kTotal, Qt::DescendingOrder);
  QCOMPARE(f.model.FunctionAt(0), QString("main"));
  // A click on the name header sorts by name.
  view.resize(600, 300);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  QHeaderView* header = view.horizontalHeader();
  const int x = header->sectionViewportPosition(TopTableItemModel::kFunction) + 5;
  QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, header->height() / 2));
  QCOMPARE(header->sortIndicatorSection(), int(TopTableItemModel::kFunction));
  const QStringList names = Column(f.model, TopTableItemModel::kFunction);
  QStringList sorted = names;
  if (header->sortIndicatorOrder() == Qt::AscendingOrder) {
    std::sort(sorted.begin(), sorted.end());
  } else {
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
  }
  QCOMPARE(names, sorted);
}

void TopTableItemModelTest::ResetToEmptyAndBack() {
  Fixture f;
  f.model.SetTable(nullptr, "", nullptr);
  QCOMPARE(f.model.rowCount(), 0);
  QVERIFY(!f.model.data(f.model.index(0, 0)).isValid());
  QCOMPARE(f.model.FunctionAt(0), QString());
  f.model.SetTable(std::make_shared<TopTableModel>(f.tree), "count", nullptr);
  QCOMPARE(f.model.rowCount(), 6);
}

void TopTableItemModelTest::ToolTipShowsTheSourceLocation() {
  Profile profile;
  const LocationId loc = profile.symbols.InternFrame("pkg.Work", "src/pkg/work.go", 0);
  // InternFrame keeps the function's file; the start line comes from the
  // function record, so use a function with one.
  Function f;
  f.name = profile.symbols.InternString("pkg.Start");
  f.filename = profile.symbols.InternString("src/pkg/start.go");
  f.start_line = 12;
  profile.symbols.InternFunction(f);
  (void)loc;
  auto sources = std::make_shared<SourceIndex>();
  sources->Add(profile);
  QCOMPARE(QString::fromStdString(sources->Lookup("pkg.Work")), QString("src/pkg/work.go"));
  QCOMPARE(QString::fromStdString(sources->Lookup("pkg.Start")), QString("src/pkg/start.go:12"));
  QCOMPARE(QString::fromStdString(sources->Lookup("pkg.Start:30")), QString("src/pkg/start.go:30"));
  QCOMPARE(QString::fromStdString(sources->Lookup("pkg.Other")), QString());

  Tree tree = TreeFromCollapsed("main;pkg.Start;pkg.Work 3\n");
  TopTableItemModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  model.SetTable(std::make_shared<TopTableModel>(tree), "count", sources);
  const QString tip = model.data(model.index(model.RowOf("pkg.Start"), 0), Qt::ToolTipRole).toString();
  QCOMPARE(tip, QString("pkg.Start\nsrc/pkg/start.go:12"));
}

}  // namespace kiln::viewer::qt
