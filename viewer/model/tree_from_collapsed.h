// Test support: a call tree from collapsed-stack text ("a;b;c 12" lines,
// root first), read by the core's collapsed importer through the registry.
#ifndef KILN_VIEWER_MODEL_TREE_FROM_COLLAPSED_H_
#define KILN_VIEWER_MODEL_TREE_FROM_COLLAPSED_H_

#include <string_view>

#include "kiln/query/tree.h"

namespace kiln::viewer::testing {

// Fails the calling test (ADD_FAILURE) and returns an empty tree when the
// text does not import.
Tree TreeFromCollapsed(std::string_view text);

}  // namespace kiln::viewer::testing

#endif  // KILN_VIEWER_MODEL_TREE_FROM_COLLAPSED_H_
