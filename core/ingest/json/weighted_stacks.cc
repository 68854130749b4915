#include "core/ingest/json/weighted_stacks.h"

#include <cmath>

#include "fmt/format.h"

namespace kiln {

absl::Status WeightedStacks::Add(StackId stack, std::span<const double> weights) {
  auto [it, inserted] = index_of_stack_.try_emplace(stack, stacks_.size());
  if (inserted) {
    if (stacks_.size() >= max_samples_) {
      index_of_stack_.erase(it);
      return absl::ResourceExhaustedError(fmt::format(
          "more than {} distinct stacks (ImportOptions::max_samples)", max_samples_));
    }
    stacks_.push_back(stack);
    sums_.resize(sums_.size() + num_types_, 0.0);
  }
  double* sums = sums_.data() + it->second * num_types_;
  for (size_t t = 0; t < num_types_; ++t) sums[t] += weights[t];
  return absl::OkStatus();
}

absl::Status WeightedStacks::WriteTo(std::span<const double> scales, Profile* profile) const {
  std::vector<int64_t> values(num_types_);
  for (size_t i = 0; i < stacks_.size(); ++i) {
    bool all_zero = true;
    for (size_t t = 0; t < num_types_; ++t) {
      const double v = std::round(sums_[i * num_types_ + t] * scales[t]);
      // 2^63 is the first double that does not fit.
      if (!std::isfinite(v) || v >= 9223372036854775808.0 || v <= -9223372036854775808.0) {
        return absl::InvalidArgumentError(fmt::format(
            "the total weight of one stack, {} {}, does not fit in 64 bits",
            sums_[i * num_types_ + t] * scales[t], profile->sample_types[t].unit));
      }
      values[t] = static_cast<int64_t>(v);
      if (values[t] != 0) all_zero = false;
    }
    if (all_zero) {
      profile->stats.Bump(ImportStat::zero_values_dropped);
      continue;
    }
    profile->AddSample(stacks_[i], values);
  }
  return absl::OkStatus();
}

}  // namespace kiln
