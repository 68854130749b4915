// Small profiles and dataset readers shared by the storage tests.
#ifndef KILN_STORAGE_STORAGE_TEST_PROFILES_H_
#define KILN_STORAGE_STORAGE_TEST_PROFILES_H_

#include <map>
#include <string>

#include "kiln/model/profile.h"
#include "kiln/storage/block.h"
#include "kiln/storage/metastore.h"

namespace kiln::storage::testing {

// A CPU profile (samples/count + cpu/nanoseconds) at |time_nanos| with
// stacks main;work (3*scale samples) and main;work;hash (5*scale).
Profile SmallCpuProfile(int64_t scale, int64_t time_nanos = 1700000000000000000);

// Sum of sample values per "root;…;leaf;" path of a dataset's rows (only
// rows of series whose __type__ is |type|, all when empty), computed by
// walking parent pointers directly.
std::map<std::string, int64_t> CollapseDataset(const Dataset& d, std::string_view type = {});

// Reads every visible block of |metastore| and collapses all datasets of
// |tenant| with CollapseDataset; also counts the profile rows.
absl::StatusOr<std::map<std::string, int64_t>> CollapseVisible(ObjectStore* store, const Metastore& metastore,
                                                               std::string_view tenant, std::string_view type,
                                                               uint64_t* rows = nullptr);

}  // namespace kiln::storage::testing

#endif  // KILN_STORAGE_STORAGE_TEST_PROFILES_H_
