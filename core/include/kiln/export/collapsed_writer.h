// Brendan Gregg's collapsed (folded) stacks: one line per unique stack, root
// first, frames joined by ';', a space, the integer value. Lines are sorted
// so the output is stable across runs. The format cannot escape: a ";" in a
// frame name is written as ":" and a line break as a space.
#ifndef KILN_EXPORT_COLLAPSED_WRITER_H_
#define KILN_EXPORT_COLLAPSED_WRITER_H_

#include <string>

#include "kiln/query/tree.h"

namespace kiln {

std::string WriteCollapsed(const Tree& tree);

}  // namespace kiln

#endif  // KILN_EXPORT_COLLAPSED_WRITER_H_
