// Lets fmt format Abseil's string_view and Status. Debian's Abseil has its
// own string_view type (ABSL_OPTION_USE_STD_STRING_VIEW is 0), which fmt
// does not know.
#ifndef KILN_BASE_FMT_ABSL_H_
#define KILN_BASE_FMT_ABSL_H_

#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "fmt/format.h"

template <>
struct fmt::formatter<absl::string_view> : fmt::formatter<std::string_view> {
  template <typename Context>
  auto format(absl::string_view s, Context& ctx) const {
    return fmt::formatter<std::string_view>::format(std::string_view(s.data(), s.size()), ctx);
  }
};

template <>
struct fmt::formatter<absl::Status> : fmt::formatter<std::string_view> {
  template <typename Context>
  auto format(const absl::Status& s, Context& ctx) const {
    return fmt::formatter<std::string_view>::format(s.ToString(), ctx);
  }
};

#endif  // KILN_BASE_FMT_ABSL_H_
