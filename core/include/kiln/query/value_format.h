// Human-readable values with units, as pprof prints them: 44.51s, 12.30ms,
// 1341.36MB, 9004. Used by the CLI's tables and the viewers' tooltips.
#ifndef KILN_QUERY_VALUE_FORMAT_H_
#define KILN_QUERY_VALUE_FORMAT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace kiln {

// |unit| is a pprof unit: nanoseconds, microseconds, milliseconds, seconds,
// bytes, count (or anything else, printed as a plain number).
std::string FormatValue(int64_t value, std::string_view unit);

}  // namespace kiln

#endif  // KILN_QUERY_VALUE_FORMAT_H_
