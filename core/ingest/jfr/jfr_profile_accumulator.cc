#include "core/ingest/jfr/jfr_profile_accumulator.h"

#include <string>

#include "fmt/format.h"

namespace kiln::jfr {

ProfileAccumulator::ProfileAccumulator(SampleKind kind, const ImportOptions& options,
                                       const FrameNames* names)
    : kind_(kind), options_(options), names_(*names) {
  const SampleKindSpec& spec = SpecOf(kind);
  for (size_t i = 0; i < spec.num_types; ++i) {
    profile_.sample_types.push_back(
        {std::string(spec.types[i].type), std::string(spec.types[i].unit)});
  }
  profile_.period_type = {std::string(spec.period_type.type), std::string(spec.period_type.unit)};
  profile_.name = std::string(spec.profile_name);
}

void ProfileAccumulator::InternStack(uint64_t stack_key,
                                     std::span<const ResolvedFrame> leaf_first) {
  if (leaf_first.size() > options_.max_stack_depth) {
    leaf_first = leaf_first.subspan(leaf_first.size() - options_.max_stack_depth);
    profile_.stats.Bump(ImportStat::stacks_truncated);
  }
  scratch_.clear();
  for (const ResolvedFrame& f : leaf_first) {
    const uint64_t frame_key = (uint64_t{f.name} << 32) | static_cast<uint32_t>(f.line);
    auto [it, inserted] = location_of_frame_.try_emplace(frame_key, 0);
    if (inserted) {
      std::string_view name = names_.at(f.name);
      if (name.size() > options_.max_name_length) {
        name = name.substr(0, options_.max_name_length);
        profile_.stats.Bump(ImportStat::names_truncated);
      }
      it->second = profile_.symbols.InternFrame(name, {}, f.line);
    }
    scratch_.push_back(it->second);
  }
  stack_of_key_[stack_key] = profile_.stacks.InternLeafFirst(scratch_);
}

absl::Status ProfileAccumulator::Add(uint64_t stack_key, std::span<const int64_t> values) {
  ++events_;
  const StackId stack = stack_of_key_.at(stack_key);
  const size_t k = profile_.num_types();
  auto [it, inserted] = sample_of_stack_.try_emplace(stack, profile_.num_samples());
  if (inserted) {
    if (profile_.num_samples() >= options_.max_samples) {
      return absl::ResourceExhaustedError(fmt::format(
          "{} profile has more than {} distinct samples (ImportOptions::max_samples)",
          profile_.name, options_.max_samples));
    }
    profile_.AddSample(stack, values.first(k));
    return absl::OkStatus();
  }
  int64_t* dst = profile_.sample_values.data() + it->second * k;
  for (size_t i = 0; i < k; ++i) {
    // Wrapping add: a hostile file must not be undefined behaviour.
    dst[i] = static_cast<int64_t>(static_cast<uint64_t>(dst[i]) + static_cast<uint64_t>(values[i]));
  }
  return absl::OkStatus();
}

}  // namespace kiln::jfr
