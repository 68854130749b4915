#include "plugin-backend/src/hclog_logger.h"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <mutex>

#include "fmt/format.h"
#include "plugin-backend/arrow/json_string.h"

namespace kiln::plugin {
namespace {

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace: return "trace";
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
  }
  return "info";
}

}  // namespace

std::string FormatHclogLine(LogLevel level, const std::string& message, const LogFields& fields,
                            int64_t unix_micros) {
  const time_t seconds = static_cast<time_t>(unix_micros / 1000000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  const std::string timestamp =
      fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, unix_micros % 1000000);
  std::string line = "{\"@level\":";
  AppendJsonString(LevelName(level), &line);
  line += ",\"@message\":";
  AppendJsonString(message, &line);
  line += ",\"@timestamp\":";
  AppendJsonString(timestamp, &line);
  for (const auto& [key, value] : fields) {
    line += ',';
    AppendJsonString(key, &line);
    line += ':';
    AppendJsonString(value, &line);
  }
  line += '}';
  return line;
}

void Log(LogLevel level, const std::string& message, const LogFields& fields) {
  static std::mutex mu;
  const int64_t micros = std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  std::string line = FormatHclogLine(level, message, fields, micros);
  line += '\n';
  std::lock_guard<std::mutex> lock(mu);
  size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(STDERR_FILENO, line.data() + done, line.size() - done);
    if (n <= 0) break;  // stderr closed: nothing more to do
    done += static_cast<size_t>(n);
  }
}

}  // namespace kiln::plugin
