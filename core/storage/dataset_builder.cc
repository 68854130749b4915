#include "kiln/storage/dataset_builder.h"

#include <tuple>

#include "absl/hash/hash.h"

namespace kiln::storage {

DatasetBuilder::DatasetBuilder(std::string tenant, std::string service) {
  dataset_.tenant = std::move(tenant);
  dataset_.service = std::move(service);
  annotation_index_[SampleAnnotation{}] = 0;
}

size_t DatasetBuilder::AnnotationHash::operator()(const SampleAnnotation& a) const {
  return absl::Hash<std::tuple<uint64_t, uint64_t, uint64_t>>{}(
      std::make_tuple(a.span_id, a.trace_id_high, a.trace_id_low));
}

uint32_t DatasetBuilder::InternSeries(const LabelSet& labels) {
  std::vector<uint32_t>& candidates = series_by_fingerprint_[labels.Fingerprint()];
  for (uint32_t id : candidates) {
    if (dataset_.series[id] == labels) return id;
  }
  const uint32_t id = static_cast<uint32_t>(dataset_.series.size());
  dataset_.series.push_back(labels);
  candidates.push_back(id);
  return id;
}

uint32_t DatasetBuilder::InternAnnotation(const SampleAnnotation& annotation) {
  auto [it, inserted] = annotation_index_.try_emplace(annotation, static_cast<uint32_t>(dataset_.annotations.size()));
  if (inserted) dataset_.annotations.push_back(annotation);
  return it->second;
}

bool DatasetBuilder::AddProfile(uint32_t series, int64_t time_nanos, int64_t duration_nanos,
                                const ProfileId& id, std::span<const StackId> stacks,
                                std::span<const int64_t> values, std::span<const uint32_t> annotations) {
  if (!rows_.insert(RowKey{series, time_nanos, id}).second) return false;
  ProfileRow row;
  row.series = series;
  row.time_nanos = time_nanos;
  row.duration_nanos = duration_nanos;
  row.id = id;
  row.first_sample = dataset_.sample_stacks.size();
  // Stamps run 1 .. 2^32-1 (0 marks a slot never set); when they wrap to 1,
  // old stamps could alias, so the slots are cleared then.
  const auto stamp = static_cast<uint32_t>(dataset_.profiles.size() % 0xffffffffu + 1);
  if (stamp == 1) stack_slot_.assign(stack_slot_.size(), StackSlot{});
  if (stack_slot_.size() < dataset_.stacks.size()) stack_slot_.resize(dataset_.stacks.size());
  annotated_slot_.clear();
  for (size_t i = 0; i < stacks.size(); ++i) {
    if (values[i] == 0) continue;
    const uint32_t annotation = annotations.empty() ? 0 : annotations[i];
    const auto next = static_cast<uint32_t>(dataset_.sample_stacks.size() - row.first_sample);
    uint32_t slot;
    bool inserted;
    if (annotation == 0 && stacks[i] < stack_slot_.size()) {
      StackSlot& s = stack_slot_[stacks[i]];
      inserted = s.row != stamp;
      if (inserted) s = {stamp, next};
      slot = s.slot;
    } else {
      auto [it, added] = annotated_slot_.try_emplace(uint64_t{stacks[i]} << 32 | annotation, next);
      inserted = added;
      slot = it->second;
    }
    if (inserted) {
      dataset_.sample_stacks.push_back(stacks[i]);
      dataset_.sample_values.push_back(values[i]);
      dataset_.sample_annotations.push_back(annotation);
    } else {
      dataset_.sample_values[row.first_sample + slot] += values[i];
    }
    row.total += values[i];
  }
  row.num_samples = static_cast<uint32_t>(dataset_.sample_stacks.size() - row.first_sample);
  dataset_.profiles.push_back(row);
  return true;
}

size_t DatasetBuilder::ApproximateBytes() const {
  const Dataset& d = dataset_;
  return d.sample_stacks.size() * 16 + d.profiles.size() * sizeof(ProfileRow) +
         d.stacks.size() * 24 + d.symbols.num_locations() * 24 + d.symbols.num_functions() * 24 +
         d.symbols.strings().size() * 32 + d.series.size() * 128;
}

}  // namespace kiln::storage
