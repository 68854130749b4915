// The sandwich (call-site) view of one function: who calls it and what it
// calls, computed from the untruncated tree so nothing hides in "other".
// Only the outermost occurrence of the function on each path counts, so
// recursion is not attributed twice (a caller chain carries exactly the
// value of the call it leads to).
#ifndef KILN_QUERY_SANDWICH_H_
#define KILN_QUERY_SANDWICH_H_

#include <string_view>

#include "kiln/query/tree.h"

namespace kiln {

struct SandwichView {
  // Rooted at the function; children are its direct callers, their children
  // the callers' callers, and so on up to the program's roots.
  Tree callers;
  // Rooted at the function; below it, everything it calls.
  Tree callees;
};

SandwichView BuildSandwich(const Tree& tree, std::string_view function);

}  // namespace kiln

#endif  // KILN_QUERY_SANDWICH_H_
