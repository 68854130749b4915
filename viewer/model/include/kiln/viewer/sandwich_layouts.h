// The sandwich view of one function laid out for painting: its callers and
// its callees as two flame graph layouts, over the core's BuildSandwich
// (which counts only the outermost occurrence on each path, so recursion is
// not attributed twice). Paint |callers| in flame orientation above and
// |callees| in icicle orientation below, so the function sits in the middle
// with callers growing up and callees growing down.
// Thread safety: pure function, for a worker thread.
#ifndef KILN_VIEWER_SANDWICH_LAYOUTS_H_
#define KILN_VIEWER_SANDWICH_LAYOUTS_H_

#include <cstdint>
#include <string_view>

#include "kiln/query/tree.h"
#include "kiln/viewer/depth_layout.h"

namespace kiln::viewer {

struct SandwichLayouts {
  // Depth 1 is the function; deeper rows are its callers, then theirs.
  DepthLayout callers;
  // Depth 1 is the function; deeper rows are what it calls.
  DepthLayout callees;
  // The function's value: every stack it is on, counted once.
  int64_t function_total = 0;
};

// Empty layouts (total 0) when |function| is not in |tree|.
SandwichLayouts BuildSandwichLayouts(const Tree& tree, std::string_view function);

}  // namespace kiln::viewer

#endif  // KILN_VIEWER_SANDWICH_LAYOUTS_H_
