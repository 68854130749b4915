// Runs one parsed panel query against a datasource instance and builds its
// frames: the flame graph, series, diff, heatmap, profile table or span
// profile the query type asks for (profile_frames.h). Errors are the
// query's own (DataResponse.error); nothing here throws or aborts.
// Thread safety: a pure function of its arguments and the backend.
#ifndef KILN_PLUGIN_BACKEND_SRC_QUERY_RUNNER_H_
#define KILN_PLUGIN_BACKEND_SRC_QUERY_RUNNER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "plugin-backend/arrow/data_frame.h"
#include "plugin-backend/src/datasource_instances.h"
#include "plugin-backend/src/plugin_query.h"

namespace kiln::plugin {

struct QueryContext {
  std::string datasource_uid;   // for links back to this datasource
  std::string datasource_name;
};

// The series step in seconds: the panel's interval, at least the
// datasource's minStep, and coarse enough for maxDataPoints.
double SeriesStepSeconds(const PluginQuery& query, const DatasourceSettings& settings);

absl::StatusOr<std::vector<Frame>> RunQuery(const PluginQuery& query, const DatasourceInstance& instance,
                                            const QueryContext& context);

}  // namespace kiln::plugin

#endif  // KILN_PLUGIN_BACKEND_SRC_QUERY_RUNNER_H_
