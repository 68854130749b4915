#include "server/daemon/connect_protocol.h"

#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"

namespace kiln::server {
namespace {

std::string_view MediaType(std::string_view content_type) {
  std::string_view t = content_type.substr(0, content_type.find(';'));
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  return t;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

}  // namespace

std::optional<ConnectCodec> CodecFromContentType(std::string_view content_type) {
  const std::string_view t = MediaType(content_type);
  if (EqualsIgnoreCase(t, "application/proto")) return ConnectCodec::kProto;
  if (EqualsIgnoreCase(t, "application/json")) return ConnectCodec::kJson;
  return std::nullopt;
}

std::string_view ContentTypeOf(ConnectCodec codec) {
  return codec == ConnectCodec::kProto ? "application/proto" : "application/json";
}

absl::Status DecodeMessage(ConnectCodec codec, std::string_view body, google::protobuf::Message* message) {
  const std::string& type = message->GetDescriptor()->full_name();
  if (body.empty()) return absl::OkStatus();
  if (codec == ConnectCodec::kProto) {
    if (!message->ParseFromArray(body.data(), static_cast<int>(body.size()))) {
      return absl::InvalidArgumentError(
          fmt::format("the body ({} bytes) is not a binary protobuf {}", body.size(), type));
    }
    return absl::OkStatus();
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;  // as connect-go (protojson DiscardUnknown)
  auto s = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(body.data(), body.size()), message, options);
  if (!s.ok()) {
    return absl::InvalidArgumentError(
        fmt::format("the body is not a JSON {}: {}", type, std::string(s.message().data(), s.message().size())));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> EncodeMessage(ConnectCodec codec, const google::protobuf::Message& message) {
  std::string out;
  if (codec == ConnectCodec::kProto) {
    if (!message.SerializeToString(&out)) return absl::InternalError("response could not be serialized");
    return out;
  }
  google::protobuf::util::JsonPrintOptions options;
  auto s = google::protobuf::util::MessageToJsonString(message, &out, options);
  if (!s.ok()) {
    return absl::InternalError(
        fmt::format("response could not be written as JSON: {}", std::string(s.message().data(), s.message().size())));
  }
  return out;
}

std::string_view ConnectCodeName(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kCancelled: return "canceled";
    case absl::StatusCode::kUnknown: return "unknown";
    case absl::StatusCode::kInvalidArgument: return "invalid_argument";
    case absl::StatusCode::kDeadlineExceeded: return "deadline_exceeded";
    case absl::StatusCode::kNotFound: return "not_found";
    case absl::StatusCode::kAlreadyExists: return "already_exists";
    case absl::StatusCode::kPermissionDenied: return "permission_denied";
    case absl::StatusCode::kResourceExhausted: return "resource_exhausted";
    case absl::StatusCode::kFailedPrecondition: return "failed_precondition";
    case absl::StatusCode::kAborted: return "aborted";
    case absl::StatusCode::kOutOfRange: return "out_of_range";
    case absl::StatusCode::kUnimplemented: return "unimplemented";
    case absl::StatusCode::kInternal: return "internal";
    case absl::StatusCode::kUnavailable: return "unavailable";
    case absl::StatusCode::kDataLoss: return "data_loss";
    case absl::StatusCode::kUnauthenticated: return "unauthenticated";
    default: return "unknown";
  }
}

int ConnectHttpStatus(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kCancelled: return 499;
    case absl::StatusCode::kInvalidArgument: return 400;
    case absl::StatusCode::kDeadlineExceeded: return 504;
    case absl::StatusCode::kNotFound: return 404;
    case absl::StatusCode::kAlreadyExists: return 409;
    case absl::StatusCode::kPermissionDenied: return 403;
    case absl::StatusCode::kResourceExhausted: return 429;
    case absl::StatusCode::kFailedPrecondition: return 400;
    case absl::StatusCode::kAborted: return 409;
    case absl::StatusCode::kOutOfRange: return 400;
    case absl::StatusCode::kUnimplemented: return 501;
    case absl::StatusCode::kUnavailable: return 503;
    case absl::StatusCode::kUnauthenticated: return 401;
    default: return 500;  // unknown, internal, data_loss
  }
}

std::string ConnectErrorBody(const absl::Status& status) {
  nlohmann::json j;
  j["code"] = std::string(ConnectCodeName(status.code()));
  j["message"] = std::string(status.message());
  // Invalid UTF-8 in a message (echoing a client's bytes) is replaced, not thrown.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace kiln::server
