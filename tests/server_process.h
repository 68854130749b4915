// A `kiln server` child process for end-to-end tests: started on
// 127.0.0.1 with free ports (--http-addr and --grpc-addr 127.0.0.1:0; both
// are read from the server's "listening" log line, so there is no race),
// waited for until /ready answers, and stopped with SIGTERM (SIGKILL when
// it does not exit in time, and always in the destructor).
#ifndef KILN_TESTS_SERVER_PROCESS_H_
#define KILN_TESTS_SERVER_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace kiln::testing {

class ServerProcess {
 public:
  // Runs |binary| server --data-dir |data_dir| --http-addr 127.0.0.1:0
  // |extra_args|..., with stdout and stderr going to |log_path|.
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(const std::string& binary, const std::string& data_dir,
                                                              const std::vector<std::string>& extra_args,
                                                              const std::string& log_path);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  int grpc_port() const { return grpc_port_; }  // OTLP over gRPC
  // SIGTERM, then waits up to |timeout_seconds|; the exit code, or -1 when
  // it had to be killed or died of a signal.
  int Stop(int timeout_seconds = 30);
  bool running() const { return pid_ > 0; }
  // Everything the server logged so far.
  std::string Log() const;

 private:
  ServerProcess(pid_t pid, std::string log_path) : pid_(pid), log_path_(std::move(log_path)) {}
  pid_t pid_;
  int port_ = 0;
  int grpc_port_ = 0;
  bool tls_ = false;  // the listening line says tls=on
  std::string log_path_;
};

}  // namespace kiln::testing

#endif  // KILN_TESTS_SERVER_PROCESS_H_
