// Search over a flame graph's unique names (grafana runs its matcher over
// getUniqueLabels() once per query, then paints with set lookups): the
// pattern is tested once per distinct name, then nodes are marked by name
// index. Ancestors of matches are marked too, so a painter does not dim
// the path to a match (hotspot's ChildMatch).
//
// matched_value is the value of the stacks with at least one matching
// frame: the sum of the widths of matching nodes that have no matching
// ancestor (nested matches, e.g. recursion, are not counted twice).
// Thread safety: Run is a pure function; a result is immutable.
#ifndef KILN_VIEWER_SEARCH_H_
#define KILN_VIEWER_SEARCH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kiln/viewer/depth_layout.h"

namespace kiln::viewer {

enum class MatchMode : uint8_t {
  kSubstring,
  kRegex,  // RE2 syntax, matched anywhere in the name unless anchored
};

struct SearchQuery {
  std::string pattern;
  MatchMode mode = MatchMode::kSubstring;
  bool case_sensitive = false;
};

enum class NodeMatch : uint8_t { kNone, kMatch, kAncestorOfMatch };

class SearchResult {
 public:
  // InvalidArgument for an empty pattern or a regex that does not compile
  // (the message quotes the pattern and RE2's reason).
  static absl::StatusOr<SearchResult> Run(const DepthLayout& layout, const SearchQuery& query);

  // Name indices that matched, ascending.
  const std::vector<uint32_t>& matched_names() const { return matched_names_; }
  // Node ids that matched, ascending (pre-order).
  const std::vector<NodeId>& matched_nodes() const { return matched_nodes_; }
  int64_t matched_value() const { return matched_value_[0] + matched_value_[1]; }
  // Per side for a diff (side 0 base, 1 new); side 0 only otherwise.
  int64_t matched_value(int side) const { return matched_value_[side]; }

  NodeMatch state(NodeId node) const { return static_cast<NodeMatch>(state_[node]); }
  // Among layout.level(depth) indices [begin, end): how many match, and how
  // many match or are ancestors of a match. O(1).
  uint32_t MatchesIn(size_t depth, size_t begin, size_t end) const {
    return match_prefix_[depth][end] - match_prefix_[depth][begin];
  }
  uint32_t RelevantIn(size_t depth, size_t begin, size_t end) const {
    return relevant_prefix_[depth][end] - relevant_prefix_[depth][begin];
  }

 private:
  std::vector<uint32_t> matched_names_;
  std::vector<NodeId> matched_nodes_;
  int64_t matched_value_[2] = {0, 0};
  std::vector<uint8_t> state_;  // NodeMatch per node id
  std::vector<std::vector<uint32_t>> match_prefix_;
  std::vector<std::vector<uint32_t>> relevant_prefix_;
};

}  // namespace kiln::viewer

#endif  // KILN_VIEWER_SEARCH_H_
