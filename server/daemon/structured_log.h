// Structured log lines on stderr, one event per line in logfmt:
//   ts=2026-11-30T10:00:00.123Z level=info msg="listening" http_addr=127.0.0.1:4040
// Values with spaces, quotes or '=' are quoted with Go-style escapes, so
// `grep`, `awk` and log shippers (Loki's logfmt parser) read them as fields.
// Thread safety: lines from many threads never interleave.
#ifndef KILN_SERVER_DAEMON_STRUCTURED_LOG_H_
#define KILN_SERVER_DAEMON_STRUCTURED_LOG_H_

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace kiln::server {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

using LogField = std::pair<std::string_view, std::string>;

// Writes one line: ts, level, msg, then |fields| in order.
void Log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields = {});

// The line Log() would write (without the trailing newline), for tests.
std::string FormatLogLine(std::string_view timestamp, LogLevel level, std::string_view msg,
                          std::initializer_list<LogField> fields);

// Lines below |level| are dropped (default: kInfo).
void SetMinLogLevel(LogLevel level);

}  // namespace kiln::server

#endif  // KILN_SERVER_DAEMON_STRUCTURED_LOG_H_
