// Flat/cum table by function, as `go tool pprof -top` prints it: flat = the
// function's self value; cum = the value of every stack the function is on,
// counted once per stack even when it recurses.
#ifndef KILN_QUERY_TOP_TABLE_H_
#define KILN_QUERY_TOP_TABLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "kiln/query/tree.h"

namespace kiln {

struct TopRow {
  std::string name;
  int64_t flat = 0;
  int64_t cum = 0;
};

struct TopTable {
  int64_t total = 0;
  // Sorted by flat descending, then cum descending, then name.
  std::vector<TopRow> rows;
};

TopTable ComputeTopTable(const Tree& tree);

// A function's share of each side and how it changed, for `kiln diff`.
struct ShareChange {
  std::string name;
  double base_flat_pct = 0, new_flat_pct = 0;
  double base_cum_pct = 0, new_cum_pct = 0;
  double delta_flat_pct() const { return new_flat_pct - base_flat_pct; }
  double delta_cum_pct() const { return new_cum_pct - base_cum_pct; }
};

// Every function on either side, sorted by |delta of flat share| descending
// (ties by |delta of cum share|, then name). Shares are % of each side's total.
std::vector<ShareChange> CompareShares(const TopTable& base, const TopTable& next);

}  // namespace kiln

#endif  // KILN_QUERY_TOP_TABLE_H_
