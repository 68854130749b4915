#include "core/ingest/pprof_legacy/hex_addresses.h"

#include "fmt/format.h"
#include "core/ingest/pprof_legacy/go_integer_syntax.h"

namespace kiln::pprof_legacy {
namespace {
bool IsLowerHexDigit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }
}  // namespace

absl::Status ParseHexAddresses(std::string_view text, std::vector<uint64_t>* out) {
  size_t i = 0;
  while (i + 2 < text.size()) {
    if (text[i] != '0' || text[i + 1] != 'x' || !IsLowerHexDigit(text[i + 2])) {
      ++i;
      continue;
    }
    size_t end = i + 2;
    while (end < text.size() && IsLowerHexDigit(text[end])) ++end;
    uint64_t address;
    if (ParseGoUint(text.substr(i + 2, end - i - 2), 16, &address) != GoIntResult::kOk) {
      std::string_view number = text.substr(i, end - i);
      if (number.size() > 40) number = number.substr(0, 40);
      return absl::InvalidArgumentError(
          fmt::format("failed to parse as hex 64-bit number: {}{}", number,
                      end - i > 40 ? "…" : ""));
    }
    out->push_back(address);
    i = end;
  }
  return absl::OkStatus();
}

}  // namespace kiln::pprof_legacy
