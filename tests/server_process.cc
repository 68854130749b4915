#include "tests/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include <httplib.h>

#include "fmt/format.h"

namespace kiln::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The port of "<key>=127.0.0.1:PORT" on the "msg=listening" line, or 0.
int ListeningPort(const std::string& log, const char* key = "http_addr=") {
  const size_t line = log.find("msg=listening");
  if (line == std::string::npos) return 0;
  const size_t addr = log.find(key, line);
  if (addr == std::string::npos) return 0;
  const size_t colon = log.find(':', addr);
  if (colon == std::string::npos) return 0;
  return std::atoi(log.c_str() + colon + 1);
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(const std::string& binary,
                                                                    const std::string& data_dir,
                                                                    const std::vector<std::string>& extra_args,
                                                                    const std::string& log_path) {
  // Free ports for both listeners: tests run side by side.
  std::vector<std::string> argv = {binary,        "server",     "--data-dir",  data_dir,
                                   "--http-addr", "127.0.0.1:0", "--grpc-addr", "127.0.0.1:0"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> args;
  for (std::string& s : argv) args.push_back(s.data());
  args.push_back(nullptr);
  // Emptied before the child starts: a log left by an earlier server on the
  // same path must not be read for this one's port.
  std::ofstream(log_path, std::ios::trunc).close();
  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int in = open("/dev/null", O_RDONLY);
    if (log < 0 || in < 0) _exit(127);
    dup2(in, 0);
    dup2(log, 1);
    dup2(log, 2);
    execv(args[0], args.data());
    _exit(127);
  }
  std::unique_ptr<ServerProcess> server(new ServerProcess(pid, log_path));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::string last_answer = "no answer yet";
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      server->pid_ = -1;
      return absl::FailedPreconditionError("kiln server exited during startup:\n" + server->Log());
    }
    if (server->port_ == 0) {
      const std::string log = server->Log();
      server->port_ = ListeningPort(log);
      server->grpc_port_ = ListeningPort(log, "grpc_addr=");
      server->tls_ = log.find("tls=on") != std::string::npos;
    }
    if (server->port_ != 0) {
      // A server started with a certificate answers HTTPS only; its
      // certificate is the test's own, so only readiness is checked here.
      httplib::Client client(fmt::format("{}://127.0.0.1:{}", server->tls_ ? "https" : "http", server->port_));
      client.enable_server_certificate_verification(false);
      client.set_connection_timeout(1, 0);
      auto res = client.Get("/ready");
      if (res && res->status == 200) return server;
      last_answer = res ? "/ready answered " + std::to_string(res->status) : "/ready: " + httplib::to_string(res.error());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return absl::DeadlineExceededError("kiln server did not become ready in 60 s (" + last_answer + "):\n" +
                                     server->Log());
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

int ServerProcess::Stop(int timeout_seconds) {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

std::string ServerProcess::Log() const { return ReadFile(log_path_); }

}  // namespace kiln::testing
