#include "server/client/connect_client.h"

#include <google/protobuf/message.h>
#include <httplib.h>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"

namespace kiln::client {
namespace {

// Connect error codes (connectrpc.com/docs/protocol#error-codes) to Abseil's.
absl::StatusCode CodeOfConnect(std::string_view code) {
  static const std::pair<std::string_view, absl::StatusCode> kCodes[] = {
      {"canceled", absl::StatusCode::kCancelled},
      {"unknown", absl::StatusCode::kUnknown},
      {"invalid_argument", absl::StatusCode::kInvalidArgument},
      {"deadline_exceeded", absl::StatusCode::kDeadlineExceeded},
      {"not_found", absl::StatusCode::kNotFound},
      {"already_exists", absl::StatusCode::kAlreadyExists},
      {"permission_denied", absl::StatusCode::kPermissionDenied},
      {"resource_exhausted", absl::StatusCode::kResourceExhausted},
      {"failed_precondition", absl::StatusCode::kFailedPrecondition},
      {"aborted", absl::StatusCode::kAborted},
      {"out_of_range", absl::StatusCode::kOutOfRange},
      {"unimplemented", absl::StatusCode::kUnimplemented},
      {"internal", absl::StatusCode::kInternal},
      {"unavailable", absl::StatusCode::kUnavailable},
      {"data_loss", absl::StatusCode::kDataLoss},
      {"unauthenticated", absl::StatusCode::kUnauthenticated},
  };
  for (const auto& [name, status] : kCodes) {
    if (name == code) return status;
  }
  return absl::StatusCode::kUnknown;
}

// The HTTP status of a Connect error without a JSON body.
absl::StatusCode CodeOfHttp(int status) {
  switch (status) {
    case 400: return absl::StatusCode::kInvalidArgument;
    case 401: return absl::StatusCode::kUnauthenticated;
    case 403: return absl::StatusCode::kPermissionDenied;
    case 404: return absl::StatusCode::kUnimplemented;
    case 408: return absl::StatusCode::kDeadlineExceeded;
    case 429: return absl::StatusCode::kResourceExhausted;
    case 502: case 503: case 504: return absl::StatusCode::kUnavailable;
    default: return absl::StatusCode::kUnknown;
  }
}

// The two string fields of a Connect error body {"code":"…","message":"…"};
// a small scan rather than a JSON parser, since only these matter.
std::string JsonStringField(std::string_view body, std::string_view key) {
  const std::string quoted = fmt::format("\"{}\"", key);
  size_t pos = body.find(quoted);
  if (pos == std::string_view::npos) return "";
  pos = body.find(':', pos + quoted.size());
  if (pos == std::string_view::npos) return "";
  pos = body.find('"', pos);
  if (pos == std::string_view::npos) return "";
  std::string out;
  for (size_t i = pos + 1; i < body.size(); ++i) {
    if (body[i] == '\\' && i + 1 < body.size()) {
      out.push_back(body[++i]);
    } else if (body[i] == '"') {
      return out;
    } else {
      out.push_back(body[i]);
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ConnectClient>> ConnectClient::Open(const ConnectClientOptions& options) {
  const std::string& url = options.url;
  const size_t scheme_end = url.find("://");
  const std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") {
    return absl::InvalidArgumentError(
        fmt::format("server URL {:?} must start with http:// or https:// (e.g. http://127.0.0.1:4040)", url));
  }
  const size_t host_start = scheme_end + 3;
  const size_t path_start = url.find('/', host_start);
  std::string authority =
      url.substr(host_start, path_start == std::string::npos ? std::string::npos : path_start - host_start);
  if (authority.empty()) return absl::InvalidArgumentError(fmt::format("server URL {:?} has no host", url));
  std::string prefix = path_start == std::string::npos ? "" : url.substr(path_start);
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  return std::unique_ptr<ConnectClient>(new ConnectClient(options, scheme + "://" + authority, std::move(prefix)));
}

ConnectClient::ConnectClient(ConnectClientOptions options, const std::string& scheme_host_port, std::string prefix)
    : options_(std::move(options)), prefix_(std::move(prefix)), http_(std::make_unique<httplib::Client>(scheme_host_port)) {
  const auto timeout = absl::ToChronoMilliseconds(options_.timeout);
  http_->set_connection_timeout(std::min(timeout, std::chrono::milliseconds(5000)));
  http_->set_read_timeout(timeout);
  http_->set_write_timeout(timeout);
  http_->set_keep_alive(true);
  // httplib writes a request's headers and body apart; with Nagle's
  // algorithm the body then waits for the server's delayed ACK (~40 ms per
  // call on Linux), which made every call take ~90 ms.
  http_->set_tcp_nodelay(true);
  if (!options_.bearer_token.empty()) {
    headers_.emplace("Authorization", "Bearer " + options_.bearer_token);
  } else if (!options_.basic_user.empty()) {
    std::string encoded;
    absl::Base64Escape(options_.basic_user + ":" + options_.basic_password, &encoded);
    headers_.emplace("Authorization", "Basic " + encoded);
  }
  if (!options_.tenant.empty()) headers_.emplace("X-Scope-OrgID", options_.tenant);
  headers_.emplace("Connect-Protocol-Version", "1");
}

ConnectClient::~ConnectClient() = default;

std::string ConnectClient::Describe() const { return fmt::format("kiln server at {}", options_.url); }

absl::Status ConnectClient::Call(const std::string& procedure, const google::protobuf::Message& request,
                                 google::protobuf::Message* response) {
  const std::string path = prefix_ + procedure;
  httplib::Headers headers(headers_.begin(), headers_.end());
  // httplib::Client is not safe for concurrent requests.
  std::unique_lock<std::mutex> lock(mu_);
  httplib::Result res = http_->Post(path, headers, request.SerializeAsString(), "application/proto");
  lock.unlock();
  if (!res) {
    return absl::UnavailableError(
        fmt::format("{} is unreachable (POST {}): {}", Describe(), procedure, httplib::to_string(res.error())));
  }
  if (res->status != 200) {
    std::string code = JsonStringField(res->body, "code");
    std::string message = JsonStringField(res->body, "message");
    if (message.empty()) message = res->body.substr(0, 200);
    const absl::StatusCode status = code.empty() ? CodeOfHttp(res->status) : CodeOfConnect(code);
    return absl::Status(status,
                        fmt::format("{} answered HTTP {} to {}: {}", Describe(), res->status, procedure, message));
  }
  if (!response->ParseFromString(res->body)) {
    return absl::DataLossError(fmt::format("{} answered {} with {} bytes that are not a {}", Describe(), procedure,
                                           res->body.size(), response->GetTypeName()));
  }
  return absl::OkStatus();
}

}  // namespace kiln::client
