#include "kiln/query/value_format.h"

#include <cmath>
#include <cstdlib>

#include "fmt/format.h"

namespace kiln {
namespace {

// Two decimals, trailing zeros dropped: 44.51, 44.5, 44.
std::string Trim(double v) {
  std::string s = fmt::format("{:.2f}", v);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

std::string FormatValue(int64_t value, std::string_view unit) {
  const double v = static_cast<double>(value);
  const double a = std::abs(v);
  double ns_per_unit = 0;
  if (unit == "nanoseconds" || unit == "ns") ns_per_unit = 1;
  if (unit == "microseconds" || unit == "us") ns_per_unit = 1e3;
  if (unit == "milliseconds" || unit == "ms") ns_per_unit = 1e6;
  if (unit == "seconds" || unit == "s") ns_per_unit = 1e9;
  if (ns_per_unit > 0) {
    const double ns = a * ns_per_unit;
    const double sign = v < 0 ? -1 : 1;
    if (ns == 0) return "0";
    if (ns < 1e3) return Trim(sign * ns) + "ns";
    if (ns < 1e6) return Trim(sign * ns / 1e3) + "us";
    if (ns < 1e9) return Trim(sign * ns / 1e6) + "ms";
    if (ns < 60e9 * 60) return Trim(sign * ns / 1e9) + "s";
    return Trim(sign * ns / 3600e9) + "hrs";
  }
  if (unit == "bytes" || unit == "B") {
    if (a == 0) return "0";
    if (a < 1024) return fmt::format("{}B", value);
    if (a < 1024.0 * 1024) return Trim(v / 1024) + "kB";
    if (a < 1024.0 * 1024 * 1024) return Trim(v / (1024.0 * 1024)) + "MB";
    return Trim(v / (1024.0 * 1024 * 1024)) + "GB";
  }
  return fmt::format("{}", value);
}

}  // namespace kiln
