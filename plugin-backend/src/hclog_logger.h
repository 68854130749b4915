// Logging the way go-plugin hosts expect from a plugin: one hclog JSON
// object per line on stderr ({"@level","@message","@timestamp", key/values}),
// which Grafana re-logs under plugin.<id> with the level it names. Values
// are strings; `@timestamp` uses hclog's exact layout
// (2006-01-02T15:04:05.000000Z07:00), or the host logs the line raw.
// Thread safety: Log may be called from any thread (lines never interleave).
#ifndef KILN_PLUGIN_BACKEND_SRC_HCLOG_LOGGER_H_
#define KILN_PLUGIN_BACKEND_SRC_HCLOG_LOGGER_H_

#include <string>
#include <utility>
#include <vector>

namespace kiln::plugin {

enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError };

using LogFields = std::vector<std::pair<std::string, std::string>>;

void Log(LogLevel level, const std::string& message, const LogFields& fields = {});

// The JSON line (without the newline), exposed for tests.
std::string FormatHclogLine(LogLevel level, const std::string& message, const LogFields& fields, int64_t unix_micros);

}  // namespace kiln::plugin

#endif  // KILN_PLUGIN_BACKEND_SRC_HCLOG_LOGGER_H_
