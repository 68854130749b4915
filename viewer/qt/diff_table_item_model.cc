#include "viewer/qt/diff_table_item_model.h"

#include <algorithm>
#include <string>
#include <utility>

#include <QColor>

#include "absl/container/flat_hash_map.h"
#include "kiln/viewer/color_key.h"

namespace kiln::viewer::qt {
namespace {

QString FromStd(const std::string& s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

// The ends of the diff flame graph's scale.
QColor ScaleEnd(bool growth, DiffPalette palette) {
  const ColorKey key{ColorClass::kDiff, static_cast<uint8_t>(growth ? kDiffBuckets - 1 : 0)};
  const Rgb c = ColorOf(key, palette);
  return QColor(c.r, c.g, c.b);
}

}  // namespace

DiffTableItemModel::DiffTableItemModel(QObject* parent) : QAbstractTableModel(parent) {}

void DiffTableItemModel::SetRows(std::vector<ShareChange> rows) {
  beginResetModel();
  rows_ = std::move(rows);
  endResetModel();
}

void DiffTableItemModel::SetDiffPalette(DiffPalette palette) {
  palette_ = palette;
  if (!rows_.empty()) {
    Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, kColumnCount - 1), {Qt::ForegroundRole});
  }
}

QString DiffTableItemModel::FunctionAt(int row) const {
  if (row < 0 || row >= rowCount()) return {};
  return FromStd(rows_[row].name);
}

int DiffTableItemModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int DiffTableItemModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : kColumnCount; }

double DiffTableItemModel::ValueOf(const ShareChange& row, int column) {
  switch (column) {
    case kBaseSelf: return row.base_flat_pct;
    case kNewSelf: return row.new_flat_pct;
    case kDeltaSelf: return row.delta_flat_pct();
    case kBaseTotal: return row.base_cum_pct;
    case kNewTotal: return row.new_cum_pct;
    case kDeltaTotal: return row.delta_cum_pct();
  }
  return 0;
}

QVariant DiffTableItemModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const ShareChange& row = rows_[index.row()];
  const int column = index.column();
  switch (role) {
    case Qt::DisplayRole:
      if (column == kFunction) return FromStd(row.name);
      if (column == kDeltaSelf || column == kDeltaTotal) {
        return QStringLiteral("%1%2 pp").arg(ValueOf(row, column) >= 0 ? "+" : "").arg(ValueOf(row, column), 0, 'f', 2);
      }
      return QStringLiteral("%1%").arg(ValueOf(row, column), 0, 'f', 2);
    case Qt::UserRole:
      if (column == kFunction) return FromStd(row.name);
      return ValueOf(row, column);
    case Qt::ForegroundRole:
      if ((column == kDeltaSelf || column == kDeltaTotal) && ValueOf(row, column) != 0) {
        return ScaleEnd(ValueOf(row, column) > 0, palette_);
      }
      break;
    case Qt::TextAlignmentRole:
      if (column != kFunction) return QVariant::fromValue<int>(Qt::AlignRight | Qt::AlignVCenter);
      break;
    case Qt::ToolTipRole:
      return FromStd(row.name);
  }
  return {};
}

QVariant DiffTableItemModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case kFunction: return tr("Function");
    case kBaseSelf: return tr("Base self");
    case kNewSelf: return tr("New self");
    case kDeltaSelf: return tr("Δ self");
    case kBaseTotal: return tr("Base total");
    case kNewTotal: return tr("New total");
    case kDeltaTotal: return tr("Δ total");
  }
  return {};
}

void DiffTableItemModel::sort(int column, Qt::SortOrder order) {
  if (column < 0 || column >= kColumnCount) return;
  Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
  const QModelIndexList before = persistentIndexList();
  std::vector<std::string> names;
  names.reserve(before.size());
  for (const QModelIndex& i : before) names.push_back(rows_[i.row()].name);
  const bool descending = order == Qt::DescendingOrder;
  std::sort(rows_.begin(), rows_.end(), [&](const ShareChange& a, const ShareChange& b) {
    if (column != kFunction) {
      const double va = ValueOf(a, column), vb = ValueOf(b, column);
      if (va != vb) return descending ? va > vb : va < vb;
      return a.name < b.name;  // ties by name, ascending either way
    }
    return descending ? a.name > b.name : a.name < b.name;
  });
  if (!before.isEmpty()) {
    absl::flat_hash_map<std::string, int> row_of;
    for (size_t r = 0; r < rows_.size(); ++r) row_of.emplace(rows_[r].name, static_cast<int>(r));
    QModelIndexList after;
    after.reserve(before.size());
    for (int i = 0; i < before.size(); ++i) after.push_back(index(row_of.at(names[i]), before[i].column()));
    changePersistentIndexList(before, after);
  }
  Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

}  // namespace kiln::viewer::qt
