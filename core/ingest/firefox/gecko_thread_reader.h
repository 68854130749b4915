// One thread of a Gecko profile (the Firefox profiler's raw JSON format):
//
//   {"name": "GeckoMain", "tid", "pid",
//    "samples":    {"schema": {"stack": 0, "time": 1, ...}, "data": [[stack, ms, ...]]},
//    "stackTable": {"schema": {"prefix": 0, "frame": 1}, "data": [[prefix|null, frame]]},
//    "frameTable": {"schema": {"location": 0, ..., "line": 4}, "data": [[string, ...]]},
//    "stringTable": ["(root)", "a (file:///x.js:1:4)", ...]}
//
// A stack is a frame plus the stack of its caller (prefix); a prefix must
// name an earlier row, so stacks cannot form cycles. Frame locations that
// read "name (file:line:col)" (JavaScript) are split into a function name,
// file, 1-based line and column (Gecko's columns are 0-based); any other
// location (native symbols, labels, addresses) is the name as it stands.
// The root frame "(root)" is left out of stacks.
//
// Sample types: samples/count and wall/nanoseconds. The Gecko profiler
// samples registered threads on a timer whether they run or not, so the
// time is wall time: each sample weighs the time until the thread's next
// sample (as speedscope computes it), the last one 0 ns; a time that goes
// backwards is held at the previous one.
#ifndef KILN_CORE_INGEST_FIREFOX_GECKO_THREAD_READER_H_
#define KILN_CORE_INGEST_FIREFOX_GECKO_THREAD_READER_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "core/ingest/json/json_document.h"
#include "kiln/ingest/importer.h"
#include "kiln/model/profile.h"

namespace kiln::firefox {

struct GeckoLocation {
  std::string_view name;
  std::string_view file;
  int64_t line = 0;    // 1-based, 0 = unknown
  int64_t column = 0;  // 1-based, 0 = unknown
};

// "a (file:///x.js:1:4)" -> {a, file:///x.js, 1, 5}; "XRE_Main" -> {XRE_Main}.
GeckoLocation ParseGeckoLocation(std::string_view location);

// |thread| is the object at |path|; |interval_ms| is meta.interval (the
// period). nullopt when the thread has no sample with a stack.
absl::StatusOr<std::optional<Profile>> ReadGeckoThread(const Json& thread, const JsonPath& path,
                                                       double interval_ms,
                                                       const ImportOptions& options);

}  // namespace kiln::firefox

#endif  // KILN_CORE_INGEST_FIREFOX_GECKO_THREAD_READER_H_
