#include "kiln/symbols/string_table.h"

#include <algorithm>
#include <cstring>

#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"

namespace kiln {

StringTable::StringTable() { Intern(""); }

size_t StringTable::Hash::operator()(std::string_view s) const {
  return absl::Hash<absl::string_view>{}(absl::string_view(s.data(), s.size()));
}

std::string_view StringTable::Store(std::string_view s) {
  constexpr size_t kChunk = 64 << 10;
  if (s.empty()) return {};
  if (chunk_size_ - chunk_used_ < s.size()) {
    chunk_size_ = std::max(kChunk, s.size());
    chunks_.push_back(std::make_unique_for_overwrite<char[]>(chunk_size_));
    chunk_used_ = 0;
  }
  char* at = chunks_.back().get() + chunk_used_;
  std::memcpy(at, s.data(), s.size());
  chunk_used_ += s.size();
  return {at, s.size()};
}

StringId StringTable::Intern(std::string_view s) {
  auto it = index_.find(s);
  if (it != index_.end()) return it->second;
  const StringId id = static_cast<StringId>(strings_.size());
  strings_.push_back(Store(s));
  index_.emplace(strings_.back(), id);
  bytes_ += s.size();
  return id;
}

int64_t StringTable::Find(std::string_view s) const {
  auto it = index_.find(s);
  return it == index_.end() ? -1 : static_cast<int64_t>(it->second);
}

}  // namespace kiln
