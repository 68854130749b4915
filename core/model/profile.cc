#include "kiln/model/profile.h"

#include <algorithm>
#include <cassert>
#include <tuple>

namespace kiln {

Profile::Profile() { label_sets.emplace_back(); }

void Profile::AddSample(StackId stack, std::span<const int64_t> values, uint32_t label_set) {
  assert(values.size() == num_types());
  sample_stacks.push_back(stack);
  sample_values.insert(sample_values.end(), values.begin(), values.end());
  sample_label_sets.push_back(label_set);
}

uint32_t Profile::InternLabelSet(std::span<const SampleLabel> labels) {
  if (labels.empty()) return 0;
  label_scratch_.assign(labels.begin(), labels.end());
  std::sort(label_scratch_.begin(), label_scratch_.end(), [](const SampleLabel& a, const SampleLabel& b) {
    return std::tie(a.key, a.str, a.num, a.num_unit) < std::tie(b.key, b.str, b.num, b.num_unit);
  });
  // Field by field: SampleLabel has padding whose bytes are unspecified.
  std::string& key = label_key_scratch_;
  key.clear();
  for (const SampleLabel& l : label_scratch_) {
    key.append(reinterpret_cast<const char*>(&l.key), sizeof(l.key));
    key.append(reinterpret_cast<const char*>(&l.str), sizeof(l.str));
    key.append(reinterpret_cast<const char*>(&l.num), sizeof(l.num));
    key.append(reinterpret_cast<const char*>(&l.num_unit), sizeof(l.num_unit));
  }
  if (auto it = label_set_index_.find(absl::string_view(key.data(), key.size())); it != label_set_index_.end()) {
    return it->second;
  }
  const auto id = static_cast<uint32_t>(label_sets.size());
  label_set_index_.emplace(key, id);
  label_sets.push_back(label_scratch_);
  return id;
}

int64_t Profile::Total(size_t type_index) const {
  // Wrapping sum (as pprof's int64 arithmetic): hostile inputs near 2^63
  // must not be undefined behaviour.
  uint64_t total = 0;
  const size_t k = num_types();
  if (type_index >= k) return 0;
  for (size_t i = type_index; i < sample_values.size(); i += k) total += static_cast<uint64_t>(sample_values[i]);
  return static_cast<int64_t>(total);
}

int Profile::FindSampleType(std::string_view type) const {
  for (size_t i = 0; i < sample_types.size(); ++i) {
    if (sample_types[i].type == type) return static_cast<int>(i);
  }
  return -1;
}

size_t Profile::DefaultTypeIndex() const {
  if (!default_sample_type.empty()) {
    int i = FindSampleType(default_sample_type);
    if (i >= 0) return static_cast<size_t>(i);
  }
  return sample_types.empty() ? 0 : sample_types.size() - 1;
}

}  // namespace kiln
