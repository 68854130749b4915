// The data frames Kiln's plugin answers with, in the shapes Grafana's panels
// read (../shared/design/grafana-plugin.md §4):
//  - flame graph: nested set (level, value, self, label enum; a diff adds
//    valueRight/selfRight), meta preferredVisualisationType "flamegraph";
//  - series: one frame per series, `time` + a float64 named after the sample
//    type carrying the series labels, rated for cumulative profile types;
//  - heatmap: Grafana's "heatmap-cells" frame (xMax, yMin, yMax, count);
//  - profiles: a table of individual profiles whose id links to its flame
//    graph (an internal link back to this datasource).
// Thread safety: pure functions.
#ifndef KILN_PLUGIN_BACKEND_SRC_PROFILE_FRAMES_H_
#define KILN_PLUGIN_BACKEND_SRC_PROFILE_FRAMES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "kiln/query/flame_graph.h"
#include "kiln/query/query_engine.h"
#include "plugin-backend/arrow/data_frame.h"

namespace kiln::plugin {

// Grafana's unit of a profile type's sample unit (part 3 of
// name:type:unit:periodType:periodUnit): nanoseconds → ns, count → short,
// anything else as is (bytes).
std::string UnitOfProfileType(const std::string& profile_type_id);
// The sample type (part 2), the series value field's name.
std::string SampleTypeOf(const std::string& profile_type_id);
// Whether values accumulate over time (CPU, allocations, contentions) rather
// than being a level (in-use memory, live objects): the former are shown as
// rates.
bool IsCumulativeProfileType(const std::string& profile_type_id);

// Labels become an enum while there are at most 65,536 distinct names,
// else a plain string field.
Frame FlameGraphFrame(const NestedSet& nested, const std::string& ref_id, const std::string& unit);

// |step_seconds| > 0. Cumulative types are divided by the step (CPU
// nanoseconds become cores).
std::vector<Frame> SeriesFrames(const std::vector<TimeSeries>& series, const std::string& ref_id,
                                const std::string& profile_type_id, double step_seconds);

Frame HeatmapFrame(const std::vector<HeatmapSeries>& heatmap, const std::string& ref_id,
                   const std::string& profile_type_id);

struct ProfileLinkTarget {
  std::string datasource_uid;
  std::string datasource_name;
  std::string profile_type_id;
  std::string label_selector;
};
Frame ProfilesFrame(const std::vector<ProfileSummary>& profiles, const std::string& ref_id,
                    const ProfileLinkTarget& link);

}  // namespace kiln::plugin

#endif  // KILN_PLUGIN_BACKEND_SRC_PROFILE_FRAMES_H_
