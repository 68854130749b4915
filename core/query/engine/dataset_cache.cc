#include "core/query/engine/dataset_cache.h"

namespace kiln::query_engine {

uint64_t DatasetCache::Cost(const storage::Dataset& d) {
  uint64_t strings = 0;
  for (size_t i = 0; i < d.symbols.strings().size(); ++i) strings += d.symbols.String(static_cast<StringId>(i)).size() + 48;
  return strings + d.symbols.num_locations() * 64 + d.symbols.num_functions() * 48 + d.symbols.num_lines() * 24 +
         d.stacks.size() * 24 + d.series.size() * 256 + d.profiles.size() * sizeof(storage::ProfileRow) +
         d.sample_stacks.size() * 16 + d.annotations.size() * 24;
}

std::shared_ptr<const storage::Dataset> DatasetCache::Find(const std::string& key) {
  absl::MutexLock lock(&mu_);
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->dataset;
}

void DatasetCache::Insert(const std::string& key, std::shared_ptr<const storage::Dataset> dataset) {
  const uint64_t cost = Cost(*dataset);
  if (cost > capacity_) return;
  absl::MutexLock lock(&mu_);
  if (index_.contains(key)) return;
  lru_.push_front(Entry{key, std::move(dataset), cost});
  index_[key] = lru_.begin();
  used_ += cost;
  while (used_ > capacity_ && !lru_.empty()) {
    used_ -= lru_.back().cost;
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
}

}  // namespace kiln::query_engine
