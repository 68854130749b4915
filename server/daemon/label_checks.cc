#include "server/daemon/label_checks.h"

#include "server/daemon/utf8.h"

#include <cstdint>
#include <string>

#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"

namespace kiln::server {

absl::Status CheckLabelName(std::string_view name) {
  if (name.empty()) return absl::InvalidArgumentError("label name is empty");
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    if (!ok) {
      return absl::InvalidArgumentError(fmt::format(
          "label name {:?}: character {:?} at offset {} is not allowed (allowed: A-Z a-z 0-9 _ .)",
          std::string(name.substr(0, 128)), std::string(1, c), i));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckLabel(std::string_view name, std::string_view value) {
  if (absl::Status s = CheckLabelName(name); !s.ok()) return s;
  if (size_t bad = FindInvalidUtf8(value); bad != std::string_view::npos) {
    return absl::InvalidArgumentError(
        fmt::format("label {}: value is not valid UTF-8 (byte {} of the value)", name, bad));
  }
  return absl::OkStatus();
}

}  // namespace kiln::server
