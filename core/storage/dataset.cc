#include "kiln/storage/dataset.h"

#include <algorithm>
#include <limits>

namespace kiln::storage {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool ParseProfileId(std::string_view text, ProfileId* id) {
  std::string hex;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '-' && (i == 8 || i == 13 || i == 18 || i == 23) && text.size() == 36) continue;
    hex.push_back(text[i]);
  }
  if (hex.size() != 32) return false;
  for (size_t i = 0; i < 16; ++i) {
    const int hi = HexValue(hex[2 * i]), lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    (*id)[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

std::string FormatProfileId(const ProfileId& id) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[id[i] >> 4]);
    out.push_back(kHex[id[i] & 15]);
  }
  return out;
}

int64_t Dataset::MinTime() const {
  int64_t t = std::numeric_limits<int64_t>::max();
  for (const ProfileRow& row : profiles) t = std::min(t, row.time_nanos);
  return profiles.empty() ? 0 : t;
}

int64_t Dataset::MaxTime() const {
  int64_t t = std::numeric_limits<int64_t>::min();
  for (const ProfileRow& row : profiles) t = std::max(t, row.time_nanos + std::max<int64_t>(row.duration_nanos, 0));
  return profiles.empty() ? 0 : t;
}

}  // namespace kiln::storage
