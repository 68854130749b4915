// CallResource: the JSON endpoints the plugin's frontend (query editor,
// dashboard variables) calls through Grafana at
// /api/datasources/uid/<uid>/resources/<path>:
//   profileTypes?start&end              [{"id","label"}]
//   labelNames?query&start&end          ["name", ...] (no __internal names)
//   labelValues?label&query&start&end   ["value", ...]
//   series?query&labelNames=a,b&start&end  [{"name":"value",...}]
//   pprof?profileTypeId&labelSelector&start&end  the merged profile (gzipped pprof)
// start/end are epoch milliseconds (default: the last hour). Errors are
// JSON {"error": "..."} with a 4xx/5xx status; unknown paths are 404.
#ifndef KILN_PLUGIN_BACKEND_SRC_RESOURCE_HANDLER_H_
#define KILN_PLUGIN_BACKEND_SRC_RESOURCE_HANDLER_H_

#include <map>
#include <string>

#include "plugin-backend/src/datasource_instances.h"

namespace kiln::plugin {

struct ResourceResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::map<std::string, std::string> headers;  // besides Content-Type
};

// |path| without a leading slash; |url| = path?query as Grafana sends it.
ResourceResponse HandleResource(const std::string& path, const std::string& url, ProfileBackend* backend,
                                int64_t now_ms);

// A JSON error answer {"error": message}.
ResourceResponse ResourceError(int status, const std::string& message);

// The HTTP status of a backend error: 400 for the caller's mistakes, 502 for
// an unreachable or failing server or store.
int HttpStatusOf(const absl::Status& status);

}  // namespace kiln::plugin

#endif  // KILN_PLUGIN_BACKEND_SRC_RESOURCE_HANDLER_H_
