// A client of `kiln server`'s Connect API (and of anything serving the same
// procedures, e.g. Pyroscope): unary calls with binary protobuf bodies over
// HTTP/1.1 or HTTPS, with the credentials and tenant header the server
// expects. Shared by the Grafana plugin's server mode and the ImGui viewer.
// Errors: Unavailable (naming the URL) when the server cannot be reached;
// the Connect error's own code and message otherwise; DataLoss when an
// answer does not parse.
// Thread safety: Call may be called concurrently (calls are serialized on
// one keep-alive connection).
#ifndef KILN_SERVER_CLIENT_CONNECT_CLIENT_H_
#define KILN_SERVER_CLIENT_CONNECT_CLIENT_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace google::protobuf {
class Message;
}
namespace httplib {
class Client;
}

namespace kiln::client {

struct ConnectClientOptions {
  std::string url;           // http(s)://host:port[/prefix]
  std::string bearer_token;  // Authorization: Bearer …
  std::string basic_user;    // Authorization: Basic … when set
  std::string basic_password;
  std::string tenant;        // X-Scope-OrgID when set
  absl::Duration timeout = absl::Seconds(30);
};

class ConnectClient {
 public:
  // InvalidArgument when the URL is not http:// or https:// with a host.
  // Nothing is sent until the first call.
  static absl::StatusOr<std::unique_ptr<ConnectClient>> Open(const ConnectClientOptions& options);
  ~ConnectClient();

  // POST <prefix>|procedure| ("/querier.v1.QuerierService/ProfileTypes").
  absl::Status Call(const std::string& procedure, const google::protobuf::Message& request,
                    google::protobuf::Message* response);

  // "kiln server at <url>", for messages.
  std::string Describe() const;

 private:
  ConnectClient(ConnectClientOptions options, const std::string& scheme_host_port, std::string prefix);

  const ConnectClientOptions options_;
  const std::string prefix_;
  std::mutex mu_;
  std::unique_ptr<httplib::Client> http_;
  std::multimap<std::string, std::string> headers_;
};

}  // namespace kiln::client

#endif  // KILN_SERVER_CLIENT_CONNECT_CLIENT_H_
