// The top table (self/total per function) of a tree, sortable by any
// column: the rows are the core's ComputeTopTable (flat = self, cum = total,
// counted once per stack under recursion); this class only orders them.
// Ties break by name, so every sort is deterministic.
// Thread safety: none; build on a worker thread, then sort on one thread.
#ifndef KILN_VIEWER_TOP_TABLE_MODEL_H_
#define KILN_VIEWER_TOP_TABLE_MODEL_H_

#include <cstdint>
#include <vector>

#include "kiln/query/top_table.h"
#include "kiln/query/tree.h"

namespace kiln::viewer {

enum class TopColumn : uint8_t { kName, kSelf, kTotal };

class TopTableModel {
 public:
  // Sorted by self descending (the core's order).
  explicit TopTableModel(const Tree& tree);

  void Sort(TopColumn column, bool descending);
  TopColumn sort_column() const { return column_; }
  bool descending() const { return descending_; }

  const std::vector<TopRow>& rows() const { return table_.rows; }
  int64_t total() const { return table_.total; }

 private:
  TopTable table_;
  TopColumn column_ = TopColumn::kSelf;
  bool descending_ = true;
};

}  // namespace kiln::viewer

#endif  // KILN_VIEWER_TOP_TABLE_MODEL_H_
