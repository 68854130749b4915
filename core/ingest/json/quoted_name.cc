#include "core/ingest/json/quoted_name.h"

namespace kiln {

std::string QuotedName(std::string_view name) {
  bool cut = false;
  if (name.size() > kMaxQuotedName) {
    size_t end = kMaxQuotedName;
    // Back up over UTF-8 continuation bytes (10xxxxxx) to a character start.
    while (end > 0 && (static_cast<unsigned char>(name[end]) & 0xC0) == 0x80) --end;
    name = name.substr(0, end);
    cut = true;
  }
  std::string out = "\"";
  for (char c : name) out += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
  if (cut) out += "...";
  out += '"';
  return out;
}

}  // namespace kiln
