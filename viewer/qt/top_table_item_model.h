// The top table (self/total per function) as a Qt table model over the
// viewer model's TopTableModel: columns Function, Self, Self %, Total,
// Total %. Sorting (QTableView's header) calls the model's Sort, so the
// order and tie-breaks are the model's; persistent indexes (the view's
// selection) follow their rows by function name, which is unique per row.
// DisplayRole shows values with units (FormatValue); Qt::UserRole gives
// the raw number (or the name), for tests and copy; ToolTipRole gives the
// function's file:line when known.
// Thread safety: UI thread only.
#ifndef KILN_VIEWER_QT_TOP_TABLE_ITEM_MODEL_H_
#define KILN_VIEWER_QT_TOP_TABLE_ITEM_MODEL_H_

#include <memory>
#include <string>

#include <QAbstractTableModel>

#include "kiln/viewer/top_table_model.h"
#include "viewer/qt/source_index.h"

namespace kiln::viewer::qt {

class TopTableItemModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { kFunction, kSelf, kSelfPercent, kTotal, kTotalPercent, kColumnCount };

  explicit TopTableItemModel(QObject* parent = nullptr);

  // Shows |table| (null: empty); |unit| formats values.
  void SetTable(std::shared_ptr<TopTableModel> table, std::string unit,
                std::shared_ptr<const SourceIndex> sources);
  // The function name of |row|.
  QString FunctionAt(int row) const;
  // The row of |name|, or -1.
  int RowOf(const QString& name) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

 private:
  std::shared_ptr<TopTableModel> table_;
  std::shared_ptr<const SourceIndex> sources_;
  std::string unit_;
};

}  // namespace kiln::viewer::qt

#endif  // KILN_VIEWER_QT_TOP_TABLE_ITEM_MODEL_H_
