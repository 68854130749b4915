// pprof-style filters over a tree, by regular expression (RE2) on frame
// names, matched anywhere in the name unless anchored:
//  - focus: keep only stacks with at least one matching frame;
//  - ignore: drop stacks with any matching frame;
//  - hide: remove matching frames from stacks (their value moves to the
//    nearest kept caller).
#ifndef KILN_QUERY_TREE_FILTER_H_
#define KILN_QUERY_TREE_FILTER_H_

#include <string>

#include "absl/status/statusor.h"
#include "kiln/query/tree.h"

namespace kiln {

struct TreeFilter {
  std::string focus;   // empty = no focus
  std::string ignore;  // empty = nothing ignored
  std::string hide;    // empty = nothing hidden
};

// Fails with InvalidArgument naming the filter whose regex does not compile.
absl::StatusOr<Tree> FilterTree(const Tree& tree, const TreeFilter& filter);

}  // namespace kiln

#endif  // KILN_QUERY_TREE_FILTER_H_
