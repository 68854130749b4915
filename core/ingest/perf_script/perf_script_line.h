// The two kinds of line in `perf script` output: the sample header
//   comm [pid/]tid [cpu] [secs.frac:] [period] event: [event fields]
// and the callchain frame
//   <hex address> <symbol>[+0x<offset>] (<dso>)
// Views point into the caller's line; nothing is copied.
#ifndef KILN_CORE_INGEST_PERF_SCRIPT_PERF_SCRIPT_LINE_H_
#define KILN_CORE_INGEST_PERF_SCRIPT_PERF_SCRIPT_LINE_H_

#include <cstdint>
#include <string_view>

namespace kiln {

struct PerfSampleHeader {
  std::string_view comm;   // may contain spaces ("V8 WorkerThread")
  int64_t pid = -1;        // -1 when perf printed the tid alone
  int64_t tid = 0;
  int32_t cpu = -1;        // -1 without "[cpu]"
  int64_t time_nanos = -1; // -1 without "secs.frac:"
  int64_t period = -1;     // -1 without a period
  std::string_view event;  // "cpu-clock:ppp" (trailing ':' dropped); empty when absent
};

// Parses a header line. The comm is everything before the first
// "<tid> [cpu] [time:] [period] event:" run of tokens that fits, so a comm
// with spaces or digits in it still splits right. False when the line is not
// a header (a header needs a time or an event after the tid).
bool ParsePerfSampleHeader(std::string_view line, PerfSampleHeader* out);

struct PerfFrame {
  uint64_t address = 0;
  std::string_view symbol;  // "[unknown]" when perf printed none; offset removed
  std::string_view dso;     // text inside the parentheses; empty when absent
  bool has_dso = false;
};

// Parses a frame line (leading whitespace allowed, old perf printed none).
// The dso is the last " (...)" group, as stackcollapse-perf.pl reads it.
bool ParsePerfFrame(std::string_view line, PerfFrame* out);

}  // namespace kiln

#endif  // KILN_CORE_INGEST_PERF_SCRIPT_PERF_SCRIPT_LINE_H_
