// Pyroscope's "tree bytes" (SelectMergeStacktraces with format TREE,
// pkg/model/tree.go): the call tree in depth-first pre-order from a
// virtual root, each node as
//   uvarint(len(name)) name uvarint(self) uvarint(number of children)
// truncated to |max_nodes| as flame graphs are: a node whose total is below
// the max_nodes-th largest total is summed, with its small siblings, into
// one child of its parent named "other" (merged with a real "other").
#ifndef KILN_SERVER_DAEMON_TREE_BYTES_WRITER_H_
#define KILN_SERVER_DAEMON_TREE_BYTES_WRITER_H_

#include <cstdint>
#include <string>

#include "kiln/query/tree.h"

namespace kiln::server {

// |max_nodes| <= 0: no truncation. An empty tree gives empty bytes.
std::string WriteTreeBytes(const Tree& tree, int64_t max_nodes);

}  // namespace kiln::server

#endif  // KILN_SERVER_DAEMON_TREE_BYTES_WRITER_H_
