// A merged Tree as a pprof-model Profile (one function and one location per
// frame name, one sample per node with self > 0), so a query's merged result
// can be downloaded and read by `go tool pprof` (SelectMergeProfile).
#ifndef KILN_EXPORT_TREE_TO_PROFILE_H_
#define KILN_EXPORT_TREE_TO_PROFILE_H_

#include "kiln/model/profile.h"
#include "kiln/query/tree.h"

namespace kiln {

Profile TreeToProfile(const Tree& tree, const ValueType& sample_type,
                      const ValueType& period_type = {}, int64_t period = 0);

}  // namespace kiln

#endif  // KILN_EXPORT_TREE_TO_PROFILE_H_
