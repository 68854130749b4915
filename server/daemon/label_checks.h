// Checks on labels clients send (the /ingest `name=` label set and push.v1
// series labels): label names are Prometheus-style identifiers (plus '.',
// which Pyroscope 2 accepts for OpenTelemetry names), values are UTF-8.
// Storage limits (count, lengths) are checked later by the segment writer.
#ifndef KILN_SERVER_DAEMON_LABEL_CHECKS_H_
#define KILN_SERVER_DAEMON_LABEL_CHECKS_H_

#include <string_view>

#include "absl/status/status.h"
#include "server/daemon/utf8.h"

namespace kiln::server {

// [A-Za-z0-9_.]+ ; InvalidArgument names the label and the character.
absl::Status CheckLabelName(std::string_view name);

// CheckLabelName plus a UTF-8 value.
absl::Status CheckLabel(std::string_view name, std::string_view value);

}  // namespace kiln::server

#endif  // KILN_SERVER_DAEMON_LABEL_CHECKS_H_
