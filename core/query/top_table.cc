#include "kiln/query/top_table.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_map.h"

namespace kiln {

TopTable ComputeTopTable(const Tree& tree) {
  TopTable table;
  table.total = tree.total();
  const size_t num_names = tree.names().size();
  std::vector<int64_t> flat(num_names, 0), cum(num_names, 0);
  std::vector<uint32_t> on_path(num_names, 0);  // how often each name is on the current path
  std::vector<bool> seen(num_names, false);

  // Iterative DFS: a function's cum is added only at its outermost
  // occurrence on a path, so recursion is not double counted.
  struct Frame {
    Tree::NodeId node;
    bool entered;
  };
  std::vector<Frame> stack;
  for (Tree::NodeId c = tree.node(Tree::kRoot).first_child; c != Tree::kNone;
       c = tree.node(c).next_sibling) {
    stack.push_back({c, false});
  }
  while (!stack.empty()) {
    Frame& f = stack.back();
    const Tree::Node& n = tree.node(f.node);
    if (f.entered) {
      --on_path[n.name];
      stack.pop_back();
      continue;
    }
    f.entered = true;
    seen[n.name] = true;
    flat[n.name] += n.self;
    if (on_path[n.name]++ == 0) cum[n.name] += n.total;
    for (Tree::NodeId c = n.first_child; c != Tree::kNone; c = tree.node(c).next_sibling) {
      stack.push_back({c, false});
    }
  }
  for (size_t i = 0; i < num_names; ++i) {
    if (!seen[i]) continue;
    table.rows.push_back({std::string(tree.names().Get(static_cast<StringId>(i))), flat[i], cum[i]});
  }
  std::sort(table.rows.begin(), table.rows.end(), [](const TopRow& a, const TopRow& b) {
    if (a.flat != b.flat) return a.flat > b.flat;
    if (a.cum != b.cum) return a.cum > b.cum;
    return a.name < b.name;
  });
  return table;
}

std::vector<ShareChange> CompareShares(const TopTable& base, const TopTable& next) {
  absl::flat_hash_map<std::string, ShareChange> by_name;
  auto pct = [](int64_t v, int64_t total) { return total == 0 ? 0.0 : 100.0 * v / total; };
  for (const TopRow& r : base.rows) {
    ShareChange& c = by_name[r.name];
    c.name = r.name;
    c.base_flat_pct = pct(r.flat, base.total);
    c.base_cum_pct = pct(r.cum, base.total);
  }
  for (const TopRow& r : next.rows) {
    ShareChange& c = by_name[r.name];
    c.name = r.name;
    c.new_flat_pct = pct(r.flat, next.total);
    c.new_cum_pct = pct(r.cum, next.total);
  }
  std::vector<ShareChange> out;
  out.reserve(by_name.size());
  for (auto& [name, c] : by_name) out.push_back(std::move(c));
  std::sort(out.begin(), out.end(), [](const ShareChange& a, const ShareChange& b) {
    const double fa = std::abs(a.delta_flat_pct()), fb = std::abs(b.delta_flat_pct());
    if (fa != fb) return fa > fb;
    const double ca = std::abs(a.delta_cum_pct()), cb = std::abs(b.delta_cum_pct());
    if (ca != cb) return ca > cb;
    return a.name < b.name;
  });
  return out;
}

}  // namespace kiln
