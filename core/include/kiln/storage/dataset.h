// A dataset: every stored profile of one service of one tenant in one
// object, with the symbols and stacks they share. It is the unit of storage
// (one per (tenant, service) per segment or block) and of merging.
//
// Invariants:
//  1. Every profile row refers to a series index, and to the samples
//     [first_sample, first_sample + num_samples) of the sample columns.
//  2. Sample stack ids are nodes of |stacks|; locations refer to |symbols|.
//  3. annotations[0] is "no span/trace"; sample_annotations index it.
//  4. total == sum of the row's sample values.
// Ownership: a Dataset owns all of its data; movable, not copyable.
#ifndef KILN_STORAGE_DATASET_H_
#define KILN_STORAGE_DATASET_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "kiln/model/label_set.h"
#include "kiln/symbols/stack_trace_tree.h"
#include "kiln/symbols/symbol_table.h"

namespace kiln::storage {

// A profile's id (a UUID as Pyroscope's push.v1 sends it); all zero = none.
using ProfileId = std::array<uint8_t, 16>;

// Parses "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" or 32 hex digits.
bool ParseProfileId(std::string_view text, ProfileId* id);
std::string FormatProfileId(const ProfileId& id);

struct ProfileRow {
  uint32_t series = 0;
  int64_t time_nanos = 0;
  int64_t duration_nanos = 0;
  ProfileId id{};
  int64_t total = 0;
  uint64_t first_sample = 0;
  uint32_t num_samples = 0;
};

// The span and trace a sample was recorded in (Pyroscope's span_id /
// trace_id sample labels); zero means unknown.
struct SampleAnnotation {
  uint64_t span_id = 0;
  uint64_t trace_id_high = 0;
  uint64_t trace_id_low = 0;
  friend bool operator==(const SampleAnnotation&, const SampleAnnotation&) = default;
};

struct Dataset {
  Dataset() : annotations(1) {}
  Dataset(Dataset&&) = default;
  Dataset& operator=(Dataset&&) = default;

  std::string tenant;
  std::string service;
  SymbolTable symbols;
  StackTraceTree stacks;
  // Series label sets, each with __profile_type__ and service_name.
  std::vector<LabelSet> series;
  std::vector<ProfileRow> profiles;
  std::vector<StackId> sample_stacks;
  std::vector<int64_t> sample_values;
  std::vector<uint32_t> sample_annotations;
  std::vector<SampleAnnotation> annotations;

  int64_t MinTime() const;
  int64_t MaxTime() const;
};

}  // namespace kiln::storage

#endif  // KILN_STORAGE_DATASET_H_
