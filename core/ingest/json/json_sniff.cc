#include "core/ingest/json/json_sniff.h"

#include <string>

namespace kiln {

bool ContainsJsonKey(std::string_view json, std::string_view key) {
  const std::string quoted = "\"" + std::string(key) + "\"";
  for (size_t at = json.find(quoted); at != std::string_view::npos;
       at = json.find(quoted, at + 1)) {
    size_t i = at + quoted.size();
    while (i < json.size() && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' ||
                               json[i] == '\r')) {
      ++i;
    }
    if (i < json.size() && json[i] == ':') return true;
  }
  return false;
}

}  // namespace kiln
