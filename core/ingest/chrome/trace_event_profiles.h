// CPU profiles inside Chrome performance traces (DevTools' "Save profile",
// chrome://tracing, Node's --cpu-prof in a trace): a JSON array of trace
// events, or {"traceEvents": [...]}. A CPU profile is spread over events:
//
//   {"name": "Profile", "id": "0x1", "pid", "tid", "ts",
//    "args": {"data": {"startTime": us}}}
//   {"name": "ProfileChunk", "id": "0x1", "ts",
//    "args": {"data": {"cpuProfile": {"nodes": [...], "samples": [...]},
//                      "timeDeltas": [...]}}}
//   {"name": "CpuProfile", "args": {"data": {"cpuProfile": {whole profile}}}}
//
// Chunks of one id (or, without an id, of one pid:tid) are joined in "ts"
// order into one CPU profile, read as cpu_profile_reader.h describes; the
// thread's name, when a "thread_name" metadata event gives it, becomes the
// label `thread_name`. Every other event is ignored.
#ifndef KILN_CORE_INGEST_CHROME_TRACE_EVENT_PROFILES_H_
#define KILN_CORE_INGEST_CHROME_TRACE_EVENT_PROFILES_H_

#include <vector>

#include "absl/status/statusor.h"
#include "core/ingest/json/json_document.h"
#include "kiln/ingest/importer.h"
#include "kiln/model/profile.h"

namespace kiln::chrome {

// |events| is the trace event array at |path|. An error when no event
// holds a CPU profile.
absl::StatusOr<std::vector<Profile>> ReadTraceEventProfiles(const Json& events,
                                                            const JsonPath& path,
                                                            const ImportOptions& options);

}  // namespace kiln::chrome

#endif  // KILN_CORE_INGEST_CHROME_TRACE_EVENT_PROFILES_H_
