// The query parameters of Pyroscope's legacy `POST /ingest`, parsed and
// checked (pyroscope-api.md §1.a):
//   name=app.suffix{k=v,...}  required; the label set of the profile
//   from, until               unix s / ms / µs / ns (by digit count),
//                             YYYYMMDD, or now[+-]<n><unit>... (default now)
//   sampleRate                Hz, default 100 (invalid -> 100, as Pyroscope)
//   spyName                   default "unknown"
//   units, aggregationType    accepted; Pyroscope 2 does not use them either
//   format                    pprof | jfr | speedscope | lines | groups (default)
// Kiln is stricter than Pyroscope where Pyroscope silently guesses: a name
// with an unclosed '{', text after '}', a label without '=', or a time it
// cannot read is a 400 with a message saying where, not a profile stored
// under a mangled name or at "now".
#ifndef KILN_SERVER_DAEMON_INGEST_REQUEST_H_
#define KILN_SERVER_DAEMON_INGEST_REQUEST_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace kiln::server {

// `app.suffix{k=v,...}` parsed.
struct AppLabelSet {
  std::string app_name;  // everything before '{', trimmed (may end in ".cpu" …)
  // The labels inside the braces, in order, trimmed. Empty values are kept
  // here (the label set drops them later).
  std::vector<std::pair<std::string, std::string>> labels;
};

// InvalidArgument: "name: at offset N: ..." for every syntax error.
absl::StatusOr<AppLabelSet> ParseAppLabelSet(std::string_view name);

// Pyroscope's attime forms (see the file comment); |now_nanos| anchors
// "now". InvalidArgument when the text is none of them.
absl::StatusOr<int64_t> ParseAtTime(std::string_view text, int64_t now_nanos);

struct IngestRequest {
  AppLabelSet name;
  int64_t from_nanos = 0;
  int64_t until_nanos = 0;
  uint32_t sample_rate = 100;
  bool sample_rate_given = false;  // sampleRate was present and valid
  std::string spy_name = "unknown";
  std::string units = "samples";
  std::string aggregation_type = "sum";
  std::string format;  // as given (lower-cased); "" = by content type
};

// |params| as the HTTP library decoded the query string (a name may repeat:
// the first value wins, as in Go's url.Values.Get).
absl::StatusOr<IngestRequest> ParseIngestRequest(const std::multimap<std::string, std::string>& params,
                                                 int64_t now_nanos);

}  // namespace kiln::server

#endif  // KILN_SERVER_DAEMON_INGEST_REQUEST_H_
