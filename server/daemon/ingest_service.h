// Turns what ingest clients send into stored profiles, with Pyroscope's
// semantics (pyroscope-api.md §1.a, §1.b):
//  - IngestLegacy: `POST /ingest` bodies — pprof (raw, gzip, or the
//    multipart form `profile` + `sample_type_config` the Go SDK sends), JFR
//    (raw or multipart `jfr`), collapsed stacks ("groups", the default),
//    `lines` (one stack per line), speedscope JSON.
//  - Push: push.v1 PushRequest (pprof per sample, gzip or not).
// Every profile of a request is decoded and checked before any is written,
// then all are written with one SegmentWriter::Write, which returns once
// they are durable and queryable: an OK outcome is an acknowledgement.
// Thread safety: const methods may be called concurrently.
#ifndef KILN_SERVER_DAEMON_INGEST_SERVICE_H_
#define KILN_SERVER_DAEMON_INGEST_SERVICE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "kiln/storage/profile_appender.h"
#include "kiln/storage/segment_writer.h"
#include "push/v1/push.pb.h"
#include "server/daemon/ingest_request.h"
#include "server/daemon/server_metrics.h"

namespace kiln::server {

// Why a request was not stored; each front door maps it to its status codes.
enum class IngestFailure {
  kNone,
  kBadRequest,            // parameters or framing (name=, from/until, form fields)
  kUnsupportedMediaType,  // a format Kiln does not read (trie, tree, unknown format=)
  kInvalidProfile,        // the body is not a readable profile of its format
  kTooLarge,              // decompressed size over the limit (gzip bomb guard)
  kLimits,                // a storage limit (samples, labels, label lengths)
  kTooManySeries,         // the tenant's active series limit
  kStorage,               // the write failed (disk, metastore); may be retried
};

// The metrics label of a failure ("bad_request", "limits", …).
std::string_view IngestFailureReason(IngestFailure failure);

struct IngestOutcome {
  absl::Status status;
  IngestFailure failure = IngestFailure::kNone;
  uint32_t profiles = 0;  // profiles stored
  uint32_t rows = 0;      // series rows stored (profiles x sample types x label splits)
  // What the importers skipped or repaired (ImportStats::ToString of each
  // profile), empty when nothing: /ingest returns it as the response body.
  std::string import_notes;
};

// One part of a multipart/form-data body.
struct FormPart {
  std::string name;
  std::string filename;
  std::string content_type;
  std::string content;
};

// An /ingest body with its Content-Encoding already undone.
struct IngestBody {
  std::string content_type;
  bool multipart = false;
  std::string data;             // when !multipart
  std::vector<FormPart> parts;  // when multipart
};

struct IngestServiceOptions {
  // Bound on every decompression of a profile (gzip inside pprof, JFR …).
  size_t max_decompressed_bytes = size_t{128} << 20;
  // The writer's limits, checked before writing so that a request is
  // rejected as a whole rather than half-stored.
  storage::IngestLimits limits;
};

class IngestService {
 public:
  // |writer| and |metrics| must outlive the service.
  IngestService(storage::SegmentWriter* writer, IngestServiceOptions options, ServerMetrics* metrics);

  IngestOutcome IngestLegacy(const std::string& tenant, const IngestRequest& request, const IngestBody& body) const;
  IngestOutcome Push(const std::string& tenant, const push::v1::PushRequest& request) const;
  // OTLP profiles: a binary ExportProfilesServiceRequest (v1development).
  // One stored profile per OTLP profile and service, labelled as the
  // importer labels it (service_name, resource attributes).
  IngestOutcome ExportOtlp(const std::string& tenant, std::string_view request) const;

 private:
  struct Decoded;
  IngestOutcome Write(const std::string& tenant, std::string_view endpoint, std::vector<Decoded>& decoded) const;

  storage::SegmentWriter* const writer_;
  const IngestServiceOptions options_;
  ServerMetrics* const metrics_;
};

// Pyroscope's profile type for text formats (collapsed, lines), chosen by
// the suffix after the last '.' of the application name ("app.cpu",
// "app.alloc_space"; no suffix means cpu). |app| is the name without it.
struct TextProfileType {
  std::string app;
  std::string name;         // process_cpu, wall, memory, …
  std::string sample_type;  // samples, inuse_space, contentions, …
  std::string sample_unit;  // count, bytes, nanoseconds
};
absl::StatusOr<TextProfileType> TextProfileTypeOf(std::string_view app_name);

}  // namespace kiln::server

#endif  // KILN_SERVER_DAEMON_INGEST_SERVICE_H_
