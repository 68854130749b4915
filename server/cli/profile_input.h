// Reading profiles for the offline CLI: a file (or "-" for stdin) through
// the importer registry, and picking one sample type out of what it holds.
#ifndef KILN_SERVER_CLI_PROFILE_INPUT_H_
#define KILN_SERVER_CLI_PROFILE_INPUT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kiln/model/profile.h"

namespace kiln::cli {

// Imports every profile in |path|; |format| forces an importer. Import
// stats (skipped records and where) are printed to stderr.
absl::StatusOr<std::vector<Profile>> LoadProfiles(const std::string& path,
                                                  const std::string& format = "");

struct SampleTypeRef {
  size_t profile = 0;  // index into the loaded profiles
  size_t type = 0;     // index into that profile's sample_types
};

// |spec| is a sample type name ("cpu"), "type/unit" ("alloc_space/bytes"),
// or empty for the first profile's default type. The error lists what exists.
absl::StatusOr<SampleTypeRef> SelectSampleType(const std::vector<Profile>& profiles,
                                               const std::string& spec);

// "cpu/nanoseconds, samples/count" of every profile, for messages.
std::string DescribeSampleTypes(const std::vector<Profile>& profiles);

}  // namespace kiln::cli

#endif  // KILN_SERVER_CLI_PROFILE_INPUT_H_
