// The recording settings one chunk states in jdk.ActiveSetting events (id =
// the event type the setting belongs to, name, value), e.g. the JDK's
// jdk.ExecutionSample "period" = "20 ms", or async-profiler's "interval" =
// "10000000" and "event" = "cpu" | "itimer" | "wall" | ….
#ifndef KILN_INGEST_JFR_JFR_ACTIVE_SETTINGS_H_
#define KILN_INGEST_JFR_JFR_ACTIVE_SETTINGS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace kiln::jfr {

class ActiveSettings {
 public:
  // A later event for the same (type, name) replaces the earlier value.
  void Set(int64_t event_type_id, std::string name, std::string value);
  // The value of |name| for |event_type_id|, or nullptr.
  const std::string* Get(int64_t event_type_id, std::string_view name) const;
  // The value of |name| for any event type (the last one set), or nullptr.
  const std::string* GetAny(std::string_view name) const;
  bool empty() const { return values_.empty(); }

 private:
  std::map<std::pair<int64_t, std::string>, std::string, std::less<>> values_;
  std::map<std::string, std::string, std::less<>> any_;
};

// "20 ms", "10ms", "1 s", "500 us", "10000000" (no unit: nanoseconds) ->
// nanoseconds; nullopt for "off", "everyChunk", malformed or non-positive.
std::optional<int64_t> ParseTimespanNanos(std::string_view text);

}  // namespace kiln::jfr

#endif  // KILN_INGEST_JFR_JFR_ACTIVE_SETTINGS_H_
