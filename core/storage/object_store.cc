#include "kiln/storage/object_store.h"

#include "absl/strings/str_cat.h"

namespace kiln::storage {

absl::Status ValidateObjectKey(std::string_view key) {
  auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("object key \"", std::string(key), "\": ", std::string(why)));
  };
  if (key.empty()) return bad("empty");
  if (key.size() > 1024) return bad("longer than 1024 bytes");
  if (key.front() == '/') return bad("must be relative");
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find('/', start);
    if (end == std::string_view::npos) end = key.size();
    std::string_view part = key.substr(start, end - start);
    if (part.empty()) return bad("empty path component");
    if (part == "." || part == "..") return bad("'.' and '..' components are not allowed");
    start = end + 1;
  }
  for (char c : key) {
    if (c < 0x21 || c > 0x7e) return bad("only printable ASCII without spaces is allowed");
  }
  return absl::OkStatus();
}

}  // namespace kiln::storage
