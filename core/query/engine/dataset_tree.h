// Symbolizes one dataset's merged stack values into a call Tree: each
// stack node that carries value (or leads to one) is named once, not once
// per sample, so the cost follows the distinct stacks, not the samples.
#ifndef KILN_QUERY_ENGINE_DATASET_TREE_H_
#define KILN_QUERY_ENGINE_DATASET_TREE_H_

#include <vector>

#include "absl/status/statusor.h"
#include "kiln/query/tree.h"
#include "kiln/query/tree_builder.h"
#include "kiln/storage/dataset.h"

namespace kiln::query_engine {

// |value_by_stack| is indexed by stack node id of |d|. Fails with
// ResourceExhausted when the tree would exceed |max_nodes| (0: no limit).
absl::StatusOr<Tree> BuildDatasetTree(const storage::Dataset& d, const std::vector<int64_t>& value_by_stack,
                                      FrameNaming naming, uint64_t max_nodes);

}  // namespace kiln::query_engine

#endif  // KILN_QUERY_ENGINE_DATASET_TREE_H_
