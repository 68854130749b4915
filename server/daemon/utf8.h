// UTF-8 checks and repair. Clients' labels must be valid UTF-8 (they are
// rejected otherwise); profile strings are stored as sent (importers keep
// invalid bytes and count them), so answers replace invalid sequences with
// U+FFFD: proto3 `string` fields must hold UTF-8, and Go clients (Grafana)
// refuse a message that does not.
#ifndef KILN_SERVER_DAEMON_UTF8_H_
#define KILN_SERVER_DAEMON_UTF8_H_

#include <string>
#include <string_view>

#include "kiln/base/utf8.h"  // FindInvalidUtf8

namespace google::protobuf {
class Message;
}

namespace kiln::server {

// Replaces each invalid sequence of |*s| with U+FFFD; false when |*s| was
// already valid (and is unchanged).
bool ReplaceInvalidUtf8(std::string* s);

// ReplaceInvalidUtf8 on every string field (not bytes) of |message|,
// recursively; returns how many strings were repaired.
size_t ReplaceInvalidUtf8InMessage(google::protobuf::Message* message);

}  // namespace kiln::server

#endif  // KILN_SERVER_DAEMON_UTF8_H_
