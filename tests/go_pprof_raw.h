// Reads what `go tool pprof -raw` prints about a profile: its sample types
// (in order, "type/unit", the default one marked) and the sum of every
// sample's values per type. go tool pprof is Kiln's independent oracle for
// pprof: its totals are computed by Google's parser, not ours.
#ifndef KILN_TESTS_GO_PPROF_RAW_H_
#define KILN_TESTS_GO_PPROF_RAW_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace kiln::testing {

struct GoPprofTotals {
  std::vector<std::string> sample_types;  // "alloc_space/bytes"
  int default_type = -1;                  // index of the "[dflt]" type, if marked
  std::vector<int64_t> totals;            // parallel to sample_types
  int64_t samples = 0;
};

// Parses the "Samples:" section of `go tool pprof -raw` output.
absl::StatusOr<GoPprofTotals> ParseGoPprofRaw(std::string_view raw);

}  // namespace kiln::testing

#endif  // KILN_TESTS_GO_PPROF_RAW_H_
