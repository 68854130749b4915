// Decoded datasets kept between queries, least recently used out first.
// Objects are immutable, so an entry never goes stale; its key is the block
// id, the dataset index and the sections decoded.
#ifndef KILN_QUERY_ENGINE_DATASET_CACHE_H_
#define KILN_QUERY_ENGINE_DATASET_CACHE_H_

#include <list>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "kiln/storage/dataset.h"

namespace kiln::query_engine {

class DatasetCache {
 public:
  explicit DatasetCache(uint64_t capacity_bytes) : capacity_(capacity_bytes) {}

  std::shared_ptr<const storage::Dataset> Find(const std::string& key);
  void Insert(const std::string& key, std::shared_ptr<const storage::Dataset> dataset);

  // Rough in-memory size of a decoded dataset.
  static uint64_t Cost(const storage::Dataset& d);

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const storage::Dataset> dataset;
    uint64_t cost;
  };
  const uint64_t capacity_;
  absl::Mutex mu_;
  std::list<Entry> lru_ ABSL_GUARDED_BY(mu_);  // front = most recent
  absl::flat_hash_map<std::string, std::list<Entry>::iterator> index_ ABSL_GUARDED_BY(mu_);
  uint64_t used_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace kiln::query_engine

#endif  // KILN_QUERY_ENGINE_DATASET_CACHE_H_
