// Files -> laid-out flame graphs for the ImGui frontend: read a file,
// import it with the core's ImporterRegistry (every format the core reads,
// gzip included), build the call tree of one sample type and lay it out
// (DepthLayout::Build, or BuildDiff for two files). Pure functions meant for
// a worker thread (the app runs them with std::async); the result is
// immutable and shared with the UI thread.
#ifndef KILN_VIEWER_IMGUI_PROFILE_SOURCE_H_
#define KILN_VIEWER_IMGUI_PROFILE_SOURCE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kiln/model/profile.h"
#include "kiln/viewer/depth_layout.h"
#include "kiln/viewer/heatmap.h"

namespace kiln::viewer::imgui {

struct LoadedGraph {
  std::string title;  // "cpu.pb.gz — cpu/nanoseconds", "a → b — cpu/nanoseconds"
  ValueType sample_type;
  std::shared_ptr<const DepthLayout> layout;
};

// The profiles of one file; errors name the file.
absl::StatusOr<std::vector<Profile>> ImportFile(const std::string& path);

// Index of the sample type |spec| ("type" or "type/unit"; empty: the
// profile's default type) in |profile|; NotFound lists the types it has.
absl::StatusOr<size_t> FindSampleType(const Profile& profile, const std::string& spec);

// The first profile of |path|, sample type |type_spec|.
absl::StatusOr<LoadedGraph> LoadGraph(const std::string& path, const std::string& type_spec);

// Base |base|, new |next|; both sides use the base's type (by "type/unit",
// then by name), the CLI's `kiln diff` rule.
absl::StatusOr<LoadedGraph> LoadDiffGraph(const std::string& base, const std::string& next,
                                          const std::string& type_spec);

// A selection on a `kiln server` (or anything serving Pyroscope's
// querier.v1 over Connect).
struct ServerSelection {
  std::string url;           // http://127.0.0.1:4040
  std::string profile_type;  // process_cpu:cpu:nanoseconds:cpu:nanoseconds
  std::string selector = "{}";
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  std::string tenant;        // X-Scope-OrgID, when set
  std::string token;         // bearer token, when set
};
// The selection's merged flame graph, asked for untruncated (up to the
// server's cap of 1,048,576 nodes): this frontend is the path for huge
// profiles. Errors name the server.
absl::StatusOr<LoadedGraph> LoadServerGraph(const ServerSelection& selection);

// Every profile of several files as heatmap points, and the merge of a
// selection of them.
struct ProfileSet {
  std::vector<Profile> profiles;       // point i is profiles[i]
  std::vector<size_t> type_index;      // the chosen type of profiles[i]
  std::vector<HeatmapPoint> points;    // time: time_nanos, or i when no profile has one
  ValueType sample_type;
  bool synthetic_time = false;
};
// Profiles without the first file's type (|type_spec|, or its default) are
// left out; NotFound when none has it.
absl::StatusOr<ProfileSet> LoadProfileSet(const std::vector<std::string>& paths, const std::string& type_spec);
// The merged flame graph of the profiles |ids| (indices of set.profiles).
absl::StatusOr<LoadedGraph> MergeSelection(const ProfileSet& set, const std::vector<uint64_t>& ids);

}  // namespace kiln::viewer::imgui

#endif  // KILN_VIEWER_IMGUI_PROFILE_SOURCE_H_
