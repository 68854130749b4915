// ObjectStore in memory, for tests and benchmarks: same contract as the
// local one, nothing durable beyond the process.
#ifndef KILN_STORAGE_MEMORY_OBJECT_STORE_H_
#define KILN_STORAGE_MEMORY_OBJECT_STORE_H_

#include <map>
#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "kiln/storage/object_store.h"

namespace kiln::storage {

class MemoryObjectStore : public ObjectStore {
 public:
  absl::Status Put(std::string_view key, std::string_view data) override;
  absl::StatusOr<std::string> Get(std::string_view key) override;
  absl::StatusOr<std::string> GetRange(std::string_view key, uint64_t offset,
                                       uint64_t length) override;
  absl::StatusOr<std::vector<ObjectInfo>> List(std::string_view prefix) override;
  absl::Status Delete(std::string_view key) override;
  std::string Describe() const override { return "in-memory store"; }

  // Total bytes stored (for size benchmarks).
  uint64_t TotalBytes() const;

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, std::shared_ptr<const std::string>, std::less<>> objects_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace kiln::storage

#endif  // KILN_STORAGE_MEMORY_OBJECT_STORE_H_
