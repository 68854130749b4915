// A view of a call tree with direct recursion merged (hotspot's "collapse
// recursion"; speedscope's getProfileWithRecursionFlattened does the same
// for any recursion): a frame called directly by a frame of the same name
// is folded into its caller, so "main;f;f;f;g" becomes "main;f;g". Indirect
// recursion (f -> g -> f) is kept. Totals are preserved: the root total and
// each surviving path's value equal the input's.
// Thread safety: pure function; the result is a new tree.
#ifndef KILN_VIEWER_RECURSION_COLLAPSE_H_
#define KILN_VIEWER_RECURSION_COLLAPSE_H_

#include "kiln/query/tree.h"

namespace kiln::viewer {

Tree CollapseRecursion(const Tree& tree);

}  // namespace kiln::viewer

#endif  // KILN_VIEWER_RECURSION_COLLAPSE_H_
