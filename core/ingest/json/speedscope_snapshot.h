// Test support: speedscope's Jest snapshots (oracles/<path>.speedscope-
// snapshot.txt[.gz] in the shared corpus) and the same per-frame figures
// computed from a Kiln Profile, so JSON importers can be checked against
// what speedscope's own importers produced. Never linked into a product.
//
// A snapshot lists, for the first profile of a file, every frame with
// "selfWeight" (weight of stacks whose leaf it is) and "totalWeight" (weight
// of stacks it is on, once per stack even when it recurses), in the
// profile's own unit.
#ifndef KILN_CORE_INGEST_JSON_SPEEDSCOPE_SNAPSHOT_H_
#define KILN_CORE_INGEST_JSON_SPEEDSCOPE_SNAPSHOT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "kiln/model/profile.h"

namespace kiln::testing {

struct SnapshotFrame {
  std::string name;
  std::string file;             // "" when undefined
  std::optional<int64_t> line;  // nullopt when undefined
  std::optional<int64_t> col;
  double self = 0;
  double total = 0;
};

// The frames of the first "### ... 1" snapshot in |snapshot|.
std::vector<SnapshotFrame> ParseSnapshotFrames(std::string_view snapshot);

// The oracle file for corpus file |path| (plain or .gz), or "" when the
// corpus has none.
std::string ReadSpeedscopeSnapshot(const std::string& path);

// (function name, file, line, column) of a frame as Kiln models it.
using FrameKey = std::tuple<std::string, std::string, int64_t, int64_t>;
struct FrameWeights {
  int64_t self = 0;
  int64_t total = 0;
};

// Self and total of every frame of |profile| for sample type |type|,
// computed as speedscope does (total once per stack).
std::map<FrameKey, FrameWeights> ComputeFrameWeights(const Profile& profile, size_t type);

}  // namespace kiln::testing

#endif  // KILN_CORE_INGEST_JSON_SPEEDSCOPE_SNAPSHOT_H_
