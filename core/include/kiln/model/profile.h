// The normalized profile every importer produces and every exporter and the
// storage engine consume: pprof's model (sample types, symbols, samples with
// labels), with stacks interned in a StackTraceTree and samples in columns.
//
// Invariants:
//  1. sample_values.size() == num_samples() * sample_types.size(); the values
//     of sample i are sample_values[i*k .. i*k+k), k = sample_types.size().
//  2. sample_stacks, sample_label_sets have num_samples() entries; every stack
//     id is a node of |stacks|, every label set id an index of label_sets.
//  3. label_sets[0] is the empty set.
//  4. Every location, function, mapping and string id refers into |symbols|.
// Ownership: a Profile owns all of its data; it is movable, not copyable.
#ifndef KILN_MODEL_PROFILE_H_
#define KILN_MODEL_PROFILE_H_

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "kiln/base/import_stats.h"
#include "kiln/symbols/stack_trace_tree.h"
#include "kiln/symbols/symbol_table.h"

namespace kiln {

struct ValueType {
  std::string type;
  std::string unit;
  friend bool operator==(const ValueType&, const ValueType&) = default;
};

// A pprof sample label: a string or a number (with an optional unit).
struct SampleLabel {
  StringId key = 0;
  StringId str = 0;
  int64_t num = 0;
  StringId num_unit = 0;
  friend bool operator==(const SampleLabel&, const SampleLabel&) = default;
};

class Profile {
 public:
  Profile();
  Profile(Profile&&) = default;
  Profile& operator=(Profile&&) = default;

  size_t num_samples() const { return sample_stacks.size(); }
  size_t num_types() const { return sample_types.size(); }
  std::span<const int64_t> values(size_t sample) const {
    return {sample_values.data() + sample * num_types(), num_types()};
  }

  // Appends a sample. |values| must have num_types() entries.
  void AddSample(StackId stack, std::span<const int64_t> values, uint32_t label_set = 0);
  // Interns a sample label set (order-insensitive) and returns its id.
  uint32_t InternLabelSet(std::span<const SampleLabel> labels);
  uint32_t InternLabelSet(std::initializer_list<SampleLabel> labels) {
    return InternLabelSet(std::span<const SampleLabel>(labels.begin(), labels.size()));
  }

  // Sum of values of sample type |type_index| over all samples.
  int64_t Total(size_t type_index) const;
  // Index of the sample type named |type| (e.g. "cpu"), or -1.
  int FindSampleType(std::string_view type) const;
  // The sample type pprof tools show by default: default_sample_type if set
  // and present, else the last type.
  size_t DefaultTypeIndex() const;

  SymbolTable symbols;
  StackTraceTree stacks;

  std::vector<ValueType> sample_types;
  ValueType period_type;
  int64_t period = 0;
  int64_t time_nanos = 0;
  int64_t duration_nanos = 0;
  std::string default_sample_type;
  std::vector<std::string> comments;
  std::string drop_frames;
  std::string keep_frames;

  // Pyroscope's profile name ("process_cpu", "memory", "wall" …), when the
  // source format says it; empty means "guess from the sample types".
  std::string name;
  // Series labels the source carries for the whole profile (speedscope
  // profile names, JFR event kinds, OTLP resource attributes …).
  std::vector<std::pair<std::string, std::string>> labels;

  std::vector<StackId> sample_stacks;
  std::vector<int64_t> sample_values;
  std::vector<uint32_t> sample_label_sets;
  std::vector<std::vector<SampleLabel>> label_sets;

  ImportStats stats;

 private:
  absl::flat_hash_map<std::string, uint32_t> label_set_index_;
  // Scratch for InternLabelSet, kept so that a set seen before (most
  // samples' sets) costs no allocation.
  std::vector<SampleLabel> label_scratch_;
  std::string label_key_scratch_;
};

}  // namespace kiln

#endif  // KILN_MODEL_PROFILE_H_
