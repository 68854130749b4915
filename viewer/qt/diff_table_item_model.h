// The diff table of a comparison as a Qt table model: per function its
// share of each side's total (self and total, in %) and the change in
// percentage points, over the core's CompareShares (initially in its
// order: largest change of self share first). Sortable by any column here
// (ties by name, so every sort is deterministic); persistent indexes
// follow their rows by function name. Changes are coloured like the diff
// flame graph: growth red, shrinkage green (blue with the colour-blind
// palette). Qt::UserRole gives raw numbers.
// Thread safety: UI thread only.
#ifndef KILN_VIEWER_QT_DIFF_TABLE_ITEM_MODEL_H_
#define KILN_VIEWER_QT_DIFF_TABLE_ITEM_MODEL_H_

#include <vector>

#include <QAbstractTableModel>

#include "kiln/query/top_table.h"
#include "kiln/viewer/palette.h"

namespace kiln::viewer::qt {

class DiffTableItemModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    kFunction,
    kBaseSelf,
    kNewSelf,
    kDeltaSelf,
    kBaseTotal,
    kNewTotal,
    kDeltaTotal,
    kColumnCount
  };

  explicit DiffTableItemModel(QObject* parent = nullptr);

  void SetRows(std::vector<ShareChange> rows);
  void SetDiffPalette(DiffPalette palette);
  QString FunctionAt(int row) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

 private:
  static double ValueOf(const ShareChange& row, int column);

  std::vector<ShareChange> rows_;
  DiffPalette palette_ = DiffPalette::kGreenRed;
};

}  // namespace kiln::viewer::qt

#endif  // KILN_VIEWER_QT_DIFF_TABLE_ITEM_MODEL_H_
