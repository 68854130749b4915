// V8 sampling heap profiles (.heapprofile, the DevTools protocol's
// HeapProfiler.SamplingHeapProfile):
//
//   {"head": {"callFrame": {...}, "selfSize": bytes, "id": n,
//             "children": [nested nodes]},
//    "samples": [{"size", "nodeId", "ordinal"}]}
//
// One sample type, space/bytes: the bytes each stack's allocations still
// held when the profile was taken (V8 scales its sampled allocations up to
// an estimate, so selfSize is that estimate), as pprof-nodejs names it.
// Every node with a non-zero selfSize is one sample. "samples" (optional,
// per-allocation records) is not needed for that and not read.
#ifndef KILN_CORE_INGEST_CHROME_HEAP_PROFILE_READER_H_
#define KILN_CORE_INGEST_CHROME_HEAP_PROFILE_READER_H_

#include "absl/status/statusor.h"
#include "core/ingest/json/json_document.h"
#include "kiln/ingest/importer.h"
#include "kiln/model/profile.h"

namespace kiln::chrome {

// |profile| is the JSON object at |path|.
absl::StatusOr<Profile> ReadHeapProfile(const Json& profile, const JsonPath& path,
                                        const ImportOptions& options);

}  // namespace kiln::chrome

#endif  // KILN_CORE_INGEST_CHROME_HEAP_PROFILE_READER_H_
