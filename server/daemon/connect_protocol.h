// The Connect protocol's unary RPCs over HTTP/1.1, as connect-go serves
// them (connectrpc.com/docs/protocol): `POST /<package>.<Service>/<Method>`,
// the bare message as the body in binary protobuf (`application/proto`) or
// protobuf JSON (`application/json`: lowerCamelCase names, int64 as
// strings, enums by name, unknown fields ignored), optionally gzipped
// (Content-Encoding). Errors are a non-200 status with a JSON body
// {"code": "invalid_argument", "message": "..."}; the status follows the
// code (invalid_argument 400, resource_exhausted 429, unimplemented 501 …).
#ifndef KILN_SERVER_DAEMON_CONNECT_PROTOCOL_H_
#define KILN_SERVER_DAEMON_CONNECT_PROTOCOL_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"

namespace kiln::server {

enum class ConnectCodec { kProto, kJson };

// "application/proto" or "application/json", parameters (charset) allowed;
// nullopt for anything else.
std::optional<ConnectCodec> CodecFromContentType(std::string_view content_type);
std::string_view ContentTypeOf(ConnectCodec codec);

// An empty body is the empty message in both codecs (curl -d '' works).
absl::Status DecodeMessage(ConnectCodec codec, std::string_view body, google::protobuf::Message* message);
absl::StatusOr<std::string> EncodeMessage(ConnectCodec codec, const google::protobuf::Message& message);

// "invalid_argument", "resource_exhausted", …
std::string_view ConnectCodeName(absl::StatusCode code);
// The HTTP status Connect uses for |code|.
int ConnectHttpStatus(absl::StatusCode code);
// {"code": "...", "message": "..."}
std::string ConnectErrorBody(const absl::Status& status);

}  // namespace kiln::server

#endif  // KILN_SERVER_DAEMON_CONNECT_PROTOCOL_H_
