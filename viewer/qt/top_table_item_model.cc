#include "viewer/qt/top_table_item_model.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "kiln/query/value_format.h"

namespace kiln::viewer::qt {
namespace {

QString FromStd(const std::string& s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

double Percent(int64_t value, int64_t total) {
  return total == 0 ? 0.0 : 100.0 * static_cast<double>(value) / static_cast<double>(total);
}

}  // namespace

TopTableItemModel::TopTableItemModel(QObject* parent) : QAbstractTableModel(parent) {}

void TopTableItemModel::SetTable(std::shared_ptr<TopTableModel> table, std::string unit,
                                 std::shared_ptr<const SourceIndex> sources) {
  beginResetModel();
  table_ = std::move(table);
  unit_ = std::move(unit);
  sources_ = std::move(sources);
  endResetModel();
}

QString TopTableItemModel::FunctionAt(int row) const {
  if (table_ == nullptr || row < 0 || row >= rowCount()) return {};
  return FromStd(table_->rows()[row].name);
}

int TopTableItemModel::RowOf(const QString& name) const {
  if (table_ == nullptr) return -1;
  const std::string wanted = name.toStdString();
  const auto& rows = table_->rows();
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].name == wanted) return static_cast<int>(i);
  }
  return -1;
}

int TopTableItemModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid() || table_ == nullptr) return 0;
  return static_cast<int>(table_->rows().size());
}

int TopTableItemModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : kColumnCount; }

QVariant TopTableItemModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const TopRow& row = table_->rows()[index.row()];
  const int64_t total = table_->total();
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case kFunction: return FromStd(row.name);
        case kSelf: return FromStd(FormatValue(row.flat, unit_));
        case kSelfPercent: return QStringLiteral("%1%").arg(Percent(row.flat, total), 0, 'f', 2);
        case kTotal: return FromStd(FormatValue(row.cum, unit_));
        case kTotalPercent: return QStringLiteral("%1%").arg(Percent(row.cum, total), 0, 'f', 2);
      }
      break;
    case Qt::UserRole:
      switch (index.column()) {
        case kFunction: return FromStd(row.name);
        case kSelf: return QVariant::fromValue<qlonglong>(row.flat);
        case kSelfPercent: return Percent(row.flat, total);
        case kTotal: return QVariant::fromValue<qlonglong>(row.cum);
        case kTotalPercent: return Percent(row.cum, total);
      }
      break;
    case Qt::TextAlignmentRole:
      if (index.column() != kFunction) return QVariant::fromValue<int>(Qt::AlignRight | Qt::AlignVCenter);
      break;
    case Qt::ToolTipRole:
      if (sources_ != nullptr) {
        const std::string where = sources_->Lookup(row.name);
        if (!where.empty()) return FromStd(row.name + "\n" + where);
      }
      return FromStd(row.name);
  }
  return {};
}

QVariant TopTableItemModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case kFunction: return tr("Function");
    case kSelf: return tr("Self");
    case kSelfPercent: return tr("Self %");
    case kTotal: return tr("Total");
    case kTotalPercent: return tr("Total %");
  }
  return {};
}

void TopTableItemModel::sort(int column, Qt::SortOrder order) {
  if (table_ == nullptr || column < 0 || column >= kColumnCount) return;
  const TopColumn by = column == kFunction ? TopColumn::kName
                       : (column == kSelf || column == kSelfPercent) ? TopColumn::kSelf
                                                                     : TopColumn::kTotal;
  Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
  const QModelIndexList before = persistentIndexList();
  std::vector<std::string> names;
  names.reserve(before.size());
  for (const QModelIndex& i : before) names.push_back(table_->rows()[i.row()].name);
  table_->Sort(by, order == Qt::DescendingOrder);
  if (!before.isEmpty()) {
    absl::flat_hash_map<std::string, int> row_of;
    const auto& rows = table_->rows();
    for (size_t r = 0; r < rows.size(); ++r) row_of.emplace(rows[r].name, static_cast<int>(r));
    QModelIndexList after;
    after.reserve(before.size());
    for (int i = 0; i < before.size(); ++i) after.push_back(index(row_of.at(names[i]), before[i].column()));
    changePersistentIndexList(before, after);
  }
  Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

}  // namespace kiln::viewer::qt
