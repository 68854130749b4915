#include "kiln/storage/memory_object_store.h"

#include "absl/strings/str_cat.h"

namespace kiln::storage {

absl::Status MemoryObjectStore::Put(std::string_view key, std::string_view data) {
  if (auto s = ValidateObjectKey(key); !s.ok()) return s;
  auto object = std::make_shared<const std::string>(data);
  absl::MutexLock lock(&mu_);
  objects_[std::string(key)] = std::move(object);
  return absl::OkStatus();
}

absl::StatusOr<std::string> MemoryObjectStore::Get(std::string_view key) {
  absl::MutexLock lock(&mu_);
  auto it = objects_.find(key);
  if (it == objects_.end()) return absl::NotFoundError(absl::StrCat("object ", std::string(key), " not found"));
  return *it->second;
}

absl::StatusOr<std::string> MemoryObjectStore::GetRange(std::string_view key, uint64_t offset,
                                                        uint64_t length) {
  absl::MutexLock lock(&mu_);
  auto it = objects_.find(key);
  if (it == objects_.end()) return absl::NotFoundError(absl::StrCat("object ", std::string(key), " not found"));
  const std::string& data = *it->second;
  if (offset > data.size() || length > data.size() - offset) {
    return absl::OutOfRangeError(absl::StrCat("object ", std::string(key), ": range [", offset, ", +", length,
                                              ") past the end of a ", data.size(), "-byte object"));
  }
  return data.substr(offset, length);
}

absl::StatusOr<std::vector<ObjectInfo>> MemoryObjectStore::List(std::string_view prefix) {
  absl::MutexLock lock(&mu_);
  std::vector<ObjectInfo> out;
  for (auto it = objects_.lower_bound(prefix); it != objects_.end() && std::string_view(it->first).starts_with(prefix); ++it) {
    out.push_back({it->first, it->second->size()});
  }
  return out;
}

absl::Status MemoryObjectStore::Delete(std::string_view key) {
  absl::MutexLock lock(&mu_);
  auto it = objects_.find(key);
  if (it != objects_.end()) objects_.erase(it);
  return absl::OkStatus();
}

uint64_t MemoryObjectStore::TotalBytes() const {
  absl::MutexLock lock(&mu_);
  uint64_t total = 0;
  for (const auto& [key, data] : objects_) total += data->size();
  return total;
}

}  // namespace kiln::storage
