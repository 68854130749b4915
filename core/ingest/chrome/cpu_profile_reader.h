// V8 CPU profiles (.cpuprofile, the DevTools protocol's Profiler.Profile):
//
//   {"nodes": [{id, callFrame, hitCount?, children? | parent?}],
//    "startTime": us, "endTime": us, "samples": [node id], "timeDeltas": [us]}
//
// and the older shape (Chrome < 60, v8-profiler):
//
//   {"head": {nested nodes}, "startTime": s, "endTime": s,
//    "samples": [node id], "timestamps": [us]}
//
// Sample types: samples/count and cpu/nanoseconds. Sample i happens at
// t_i = startTime + timeDeltas[0] + ... + timeDeltas[i] (or timestamps[i])
// and weighs t_{i+1} - t_i: the time until the next sample, as Chrome
// DevTools' flame chart and speedscope compute it. The last sample has no
// next one and weighs 0 ns (it still counts as a sample). A negative delta
// (V8 emits them when it reorders samples) does not move time backwards:
// t_i is never less than t_{i-1}, as in speedscope. Without samples, each
// node's hitCount is its sample count and cpu time is shared out evenly over
// endTime - startTime.
#ifndef KILN_CORE_INGEST_CHROME_CPU_PROFILE_READER_H_
#define KILN_CORE_INGEST_CHROME_CPU_PROFILE_READER_H_

#include "absl/status/statusor.h"
#include "core/ingest/json/json_document.h"
#include "kiln/ingest/importer.h"
#include "kiln/model/profile.h"

namespace kiln::chrome {

// |profile| is the JSON object at |path|. Errors name the JSON path and,
// for call tree problems, the node id.
absl::StatusOr<Profile> ReadCpuProfile(const Json& profile, const JsonPath& path,
                                       const ImportOptions& options);

}  // namespace kiln::chrome

#endif  // KILN_CORE_INGEST_CHROME_CPU_PROFILE_READER_H_
