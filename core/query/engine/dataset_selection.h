// Which series, rows and samples of one dataset a selection picks, computed
// on integer ids (no strings past the series labels): the inner loop of
// every query.
#ifndef KILN_QUERY_ENGINE_DATASET_SELECTION_H_
#define KILN_QUERY_ENGINE_DATASET_SELECTION_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "kiln/model/label_matcher.h"
#include "kiln/query/query_engine.h"
#include "kiln/storage/dataset.h"

namespace kiln::query_engine {

// series -> matches the matchers (and __profile_type__ when non-empty).
std::vector<bool> MatchSeries(const storage::Dataset& d, const std::vector<LabelMatcher>& matchers,
                              const std::string& profile_type);

// Rows of matched series inside [start, end] (and of the selected profile
// ids, when any), in storage order.
std::vector<uint32_t> SelectRows(const storage::Dataset& d, const std::vector<bool>& series,
                                 const ProfileSelection& selection);

// Per-sample filter for span / trace selectors: annotation id -> kept.
// Empty when the selection has no span or trace selector (keep all).
std::vector<bool> SelectAnnotations(const storage::Dataset& d, const ProfileSelection& selection);

// Per stack node: does its root-first path start with |call_site| (frame
// names as FrameNaming::kFunction gives them)? Empty when no call site.
std::vector<bool> MatchCallSite(const storage::Dataset& d, const std::vector<std::string>& call_site);

// Per stack node, for a function named |function|: whether the stack
// contains it (total) or has it as the leaf frame (self).
struct FunctionMembership {
  std::vector<bool> contains;
  std::vector<bool> is_leaf;
};
FunctionMembership MatchFunction(const storage::Dataset& d, const std::string& function);

// Sum of the row's values over the samples kept by the filters (each
// empty filter keeps everything); the row's stored total when none apply.
int64_t RowValue(const storage::Dataset& d, const storage::ProfileRow& row, const std::vector<bool>& annotations,
                 const std::vector<bool>& stacks);

}  // namespace kiln::query_engine

#endif  // KILN_QUERY_ENGINE_DATASET_SELECTION_H_
