#include "kiln/symbols/string_table.h"

namespace kiln {

StringTable::StringTable() { Intern(""); }

StringId StringTable::Intern(std::string_view s) {
  auto it = index_.find(s);
  if (it != index_.end()) return it->second;
  const StringId id = static_cast<StringId>(strings_.size());
  strings_.emplace_back(s);
  index_.emplace(std::string_view(strings_.back()), id);
  bytes_ += s.size();
  return id;
}

int64_t StringTable::Find(std::string_view s) const {
  auto it = index_.find(s);
  return it == index_.end() ? -1 : static_cast<int64_t>(it->second);
}

}  // namespace kiln
