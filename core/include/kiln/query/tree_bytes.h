// Pyroscope's "tree bytes" (SelectMergeStacktraces with format TREE,
// pkg/model/tree.go), written by `kiln server` and read by its clients (the
// viewer, the Grafana plugin in server mode): the call tree in depth-first
// pre-order from a virtual root, each node as
//   uvarint(len(name)) name uvarint(self) uvarint(number of children)
// Thread safety: pure functions.
#ifndef KILN_QUERY_TREE_BYTES_H_
#define KILN_QUERY_TREE_BYTES_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "kiln/query/tree.h"

namespace kiln {

// Truncated to |max_nodes| as flame graphs are: a node whose total is below
// the max_nodes-th largest total is summed, with its small siblings, into
// one child of its parent named "other" (merged with a real "other").
// |max_nodes| <= 0: no truncation. An empty tree gives empty bytes.
std::string WriteTreeBytes(const Tree& tree, int64_t max_nodes);

// The tree the bytes describe (empty bytes: an empty tree). InvalidArgument,
// naming the byte offset, for a truncated or malformed tree, trailing bytes,
// or selves adding up past int64.
absl::StatusOr<Tree> ReadTreeBytes(std::string_view bytes);

}  // namespace kiln

#endif  // KILN_QUERY_TREE_BYTES_H_
