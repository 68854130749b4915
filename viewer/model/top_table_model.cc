#include "kiln/viewer/top_table_model.h"

#include <algorithm>
#include <tuple>

namespace kiln::viewer {

TopTableModel::TopTableModel(const Tree& tree) : table_(ComputeTopTable(tree)) {}

void TopTableModel::Sort(TopColumn column, bool descending) {
  column_ = column;
  descending_ = descending;
  // The sort key first, then the other columns in a fixed order, then the
  // name: a total order, so equal keys never swap between sorts.
  auto key = [column](const TopRow& r) {
    switch (column) {
      case TopColumn::kSelf: return std::make_tuple(r.flat, r.cum);
      case TopColumn::kTotal: return std::make_tuple(r.cum, r.flat);
      case TopColumn::kName: break;
    }
    return std::make_tuple(int64_t{0}, int64_t{0});
  };
  std::sort(table_.rows.begin(), table_.rows.end(), [&](const TopRow& a, const TopRow& b) {
    const auto ka = key(a), kb = key(b);
    if (ka != kb) return descending ? ka > kb : ka < kb;
    return descending && column == TopColumn::kName ? a.name > b.name : a.name < b.name;
  });
}

}  // namespace kiln::viewer
