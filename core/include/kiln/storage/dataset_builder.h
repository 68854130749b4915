// Builds a Dataset in memory: interns series and span annotations, appends
// profile rows, and drops a row whose (series, time, profile id) is already
// present — retried pushes and overlapping compaction inputs are stored once.
// Thread safety: none (the segment writer serialises access per shard).
#ifndef KILN_STORAGE_DATASET_BUILDER_H_
#define KILN_STORAGE_DATASET_BUILDER_H_

#include <span>
#include <string>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "kiln/storage/dataset.h"

namespace kiln::storage {

class DatasetBuilder {
 public:
  DatasetBuilder(std::string tenant, std::string service);

  uint32_t InternSeries(const LabelSet& labels);
  uint32_t InternAnnotation(const SampleAnnotation& annotation);

  // Appends one profile. Samples with the same (stack, annotation) are
  // summed and zero values dropped. |annotations| is empty or parallel to
  // |stacks|. Returns false (and stores nothing) for a duplicate.
  bool AddProfile(uint32_t series, int64_t time_nanos, int64_t duration_nanos, const ProfileId& id,
                  std::span<const StackId> stacks, std::span<const int64_t> values,
                  std::span<const uint32_t> annotations);

  Dataset& dataset() { return dataset_; }
  const Dataset& dataset() const { return dataset_; }
  // Bytes held, roughly: what the segment writer's size limit counts.
  size_t ApproximateBytes() const;
  Dataset Finish() && { return std::move(dataset_); }

 private:
  struct RowKey {
    uint32_t series;
    int64_t time;
    ProfileId id;
    friend bool operator==(const RowKey&, const RowKey&) = default;
    template <typename H>
    friend H AbslHashValue(H h, const RowKey& k) {
      return H::combine(std::move(h), k.series, k.time, k.id);
    }
  };
  struct AnnotationHash {
    size_t operator()(const SampleAnnotation& a) const;
  };

  Dataset dataset_;
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> series_by_fingerprint_;
  absl::flat_hash_map<SampleAnnotation, uint32_t, AnnotationHash> annotation_index_;
  absl::flat_hash_set<RowKey> rows_;
  // Scratch for summing duplicate stacks of one profile. Samples without an
  // annotation (nearly all) use an array indexed by stack id, stamped with
  // the row it belongs to so that it is never cleared; the rest a map.
  struct StackSlot {
    uint32_t row = 0;   // the stamp of the row that set |slot| (see AddProfile)
    uint32_t slot = 0;  // the sample's index within that row
  };
  std::vector<StackSlot> stack_slot_;
  absl::flat_hash_map<uint64_t, uint32_t> annotated_slot_;
};

}  // namespace kiln::storage

#endif  // KILN_STORAGE_DATASET_BUILDER_H_
