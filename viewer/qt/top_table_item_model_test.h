// QTest classes of the table models, run by table_models_test_main.cc.
#ifndef KILN_VIEWER_QT_TABLE_MODELS_TEST_H_
#define KILN_VIEWER_QT_TABLE_MODELS_TEST_H_

#include <QObject>

namespace kiln::viewer::qt {

class TopTableItemModelTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void RowsAreTheCoreTopTable();
  void DisplaysValuesWithUnitsAndPercent();
  void SortsByEveryColumn_data();
  void SortsByEveryColumn();
  void PersistentIndexFollowsItsRowWhenSorted();
  void HeaderClickSortsThroughTheView();
  void ResetToEmptyAndBack();
  void ToolTipShowsTheSourceLocation();
};

class DiffTableItemModelTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void RowsAreTheCoreShareChanges();
  void SortsByChange();
  void PersistentIndexFollowsItsRowWhenSorted();
  void ColoursGrowthAndShrinkageByPalette();
};

}  // namespace kiln::viewer::qt

#endif  // KILN_VIEWER_QT_TABLE_MODELS_TEST_H_
