// Builds the Profile of one sample kind from events of every chunk: interns
// frames and stacks, and sums the values of events with the same stack into
// one sample (as Pyroscope's conversion does), in order of first appearance.
// Applies ImportOptions: stacks deeper than max_stack_depth keep their
// root-most frames, names are cut at max_name_length, and more distinct
// samples than max_samples is ResourceExhausted.
#ifndef KILN_INGEST_JFR_JFR_PROFILE_ACCUMULATOR_H_
#define KILN_INGEST_JFR_JFR_PROFILE_ACCUMULATOR_H_

#include <cstdint>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "core/ingest/jfr/jfr_chunk_constants.h"
#include "core/ingest/jfr/jfr_sample_kinds.h"
#include "kiln/ingest/importer.h"
#include "kiln/model/profile.h"

namespace kiln::jfr {

class ProfileAccumulator {
 public:
  ProfileAccumulator(SampleKind kind, const ImportOptions& options, const FrameNames* names);

  SampleKind kind() const { return kind_; }
  int64_t events() const { return events_; }
  Profile& profile() { return profile_; }

  // Stack keys are per chunk: forget them when a new chunk starts.
  void BeginChunk() { stack_of_key_.clear(); }
  // The stack for |stack_key| if this chunk already interned it.
  bool HasStack(uint64_t stack_key) const { return stack_of_key_.contains(stack_key); }
  void InternStack(uint64_t stack_key, std::span<const ResolvedFrame> leaf_first);
  // Adds one event's values (num_types of them) to the sample of its stack;
  // the stack must have been interned in this chunk.
  absl::Status Add(uint64_t stack_key, std::span<const int64_t> values);

 private:
  SampleKind kind_;
  const ImportOptions& options_;
  const FrameNames& names_;
  Profile profile_;
  int64_t events_ = 0;
  absl::flat_hash_map<uint64_t, StackId> stack_of_key_;
  absl::flat_hash_map<uint64_t, LocationId> location_of_frame_;  // name << 32 | line
  absl::flat_hash_map<StackId, size_t> sample_of_stack_;
  std::vector<LocationId> scratch_;
};

}  // namespace kiln::jfr

#endif  // KILN_INGEST_JFR_JFR_PROFILE_ACCUMULATOR_H_
