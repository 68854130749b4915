// Turns one received profile into stored rows, with Pyroscope's semantics:
// one series per sample type (labelled __profile_type__, __name__, __type__,
// __unit__, __period_type__, __period_unit__ besides the client's labels),
// split further by the string sample labels, except span_id / trace_id
// (legacy profile_id), which stay per sample as annotations. Zero values are
// dropped and equal stacks summed. Limits are checked before anything is
// stored, so a rejected profile leaves the dataset unchanged.
#ifndef KILN_STORAGE_PROFILE_APPENDER_H_
#define KILN_STORAGE_PROFILE_APPENDER_H_

#include <cstdint>
#include <functional>

#include "absl/status/statusor.h"
#include "kiln/model/label_set.h"
#include "kiln/model/pending_stacks.h"
#include "kiln/model/profile.h"
#include "kiln/storage/dataset_builder.h"

namespace kiln::storage {

// 0 means "no limit" for every field.
struct IngestLimits {
  uint64_t max_samples_per_profile = 65536;
  uint32_t max_labels_per_series = 30;
  uint32_t max_label_name_length = 1024;
  uint32_t max_label_value_length = 2048;
  uint64_t max_series_per_tenant = 100000;
};

struct IngestedProfile {
  // The client's series labels; service_name is required.
  LabelSet labels;
  // All zero: the appender assigns a random id.
  ProfileId id{};
  // Not owned; must stay alive during the append.
  const Profile* profile = nullptr;
  // When set (not owned), the stacks come from here, interned straight into
  // the dataset, and profile->sample_stacks are ignored.
  PendingStacks* pending_stacks = nullptr;
};

struct AppendResult {
  uint32_t rows = 0;        // stored rows (series × sample types)
  uint32_t duplicates = 0;  // rows already present (retries)
};

// Checks |labels| against |limits|: InvalidArgument naming the label.
absl::Status ValidateSeriesLabels(const LabelSet& labels, const IngestLimits& limits);

// Decides whether a series may be written (e.g. a per-tenant series limit);
// called for every series of a profile before anything is stored.
using SeriesAdmission = std::function<absl::Status(const LabelSet& series)>;

// |builder| must hold the dataset of the profile's service_name.
// |now_nanos| stamps profiles that carry no time.
absl::StatusOr<AppendResult> AppendProfile(const IngestedProfile& in, const IngestLimits& limits,
                                           int64_t now_nanos, DatasetBuilder* builder,
                                           const SeriesAdmission& admit = nullptr);

// A fresh random (version 4) UUID.
ProfileId NewProfileId();

}  // namespace kiln::storage

#endif  // KILN_STORAGE_PROFILE_APPENDER_H_
