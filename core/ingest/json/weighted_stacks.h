// Sums weights per stack, then writes one sample per distinct stack, in
// order of first appearance.
//
// Weights are doubles because JSON profile formats carry fractional values
// (0.25 milliseconds, 1.5 microsecond deltas); they become integers once,
// after scaling to the sample type's unit, so rounding happens once per
// stack rather than once per event: each stack's value is within 0.5 of its
// exact scaled sum. Integer weights stay exact while a stack's sum is below
// 2^53 (about 104 days in nanoseconds).
#ifndef KILN_CORE_INGEST_JSON_WEIGHTED_STACKS_H_
#define KILN_CORE_INGEST_JSON_WEIGHTED_STACKS_H_

#include <cstddef>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "kiln/model/profile.h"

namespace kiln {

class WeightedStacks {
 public:
  WeightedStacks(size_t num_types, size_t max_samples)
      : num_types_(num_types), max_samples_(max_samples) {}

  // Adds |weights| (num_types of them, each >= 0) to |stack|.
  // ResourceExhausted when |stack| would be distinct stack max_samples + 1.
  absl::Status Add(StackId stack, std::span<const double> weights);

  size_t num_stacks() const { return stacks_.size(); }

  // Appends one sample per stack to |profile| (whose sample_types has
  // num_types entries): value t is round(sum_t * scales[t]). Stacks whose
  // values all round to 0 are dropped and counted (zero_values_dropped).
  // InvalidArgument when a value does not fit in int64.
  absl::Status WriteTo(std::span<const double> scales, Profile* profile) const;

 private:
  size_t num_types_;
  size_t max_samples_;
  absl::flat_hash_map<StackId, size_t> index_of_stack_;
  std::vector<StackId> stacks_;
  std::vector<double> sums_;  // num_types_ per stack
};

}  // namespace kiln

#endif  // KILN_CORE_INGEST_JSON_WEIGHTED_STACKS_H_
