// The index of stored objects: which blocks exist, what tenants, services,
// profile types and time ranges they hold, and which are tombstoned (no
// longer visible, to be deleted). Queries plan from it; writers make data
// visible only by committing to it, so an object it does not list is
// invisible even if it exists in the store.
//
// Invariants:
//  1. A commit is atomic: ReplaceBlocks makes all of |add| visible and all
//     of |remove| invisible at once, or changes nothing.
//  2. When a commit returns OK it survives a crash.
//  3. A block id is visible at most once; re-adding it replaces its meta.
// Thread safety: every method may be called concurrently.
#ifndef KILN_STORAGE_METASTORE_H_
#define KILN_STORAGE_METASTORE_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "kiln/storage/v1/block_meta.pb.h"

namespace kiln::storage {

using BlockMetaPtr = std::shared_ptr<const v1::BlockMeta>;

struct Tombstone {
  std::string id;
  std::string key;
  int64_t delete_after_nanos = 0;
};

class Metastore {
 public:
  virtual ~Metastore() = default;

  absl::Status AddBlock(const v1::BlockMeta& meta) { return ReplaceBlocks({&meta, 1}, {}, 0); }
  // Tombstones the removed blocks; their objects may be deleted once
  // |delete_after_nanos| has passed (readers that planned with them before
  // the commit may still be reading).
  virtual absl::Status ReplaceBlocks(std::span<const v1::BlockMeta> add, std::span<const std::string> remove,
                                     int64_t delete_after_nanos) = 0;
  // Visible blocks holding a dataset of |tenant| that overlaps
  // [start_nanos, end_nanos]; an empty tenant matches every tenant.
  virtual std::vector<BlockMetaPtr> QueryBlocks(std::string_view tenant, int64_t start_nanos,
                                                int64_t end_nanos) const = 0;
  virtual std::vector<BlockMetaPtr> ListBlocks() const = 0;
  virtual std::vector<Tombstone> ListTombstones() const = 0;
  // Drops tombstones whose objects have been deleted.
  virtual absl::Status ForgetTombstones(std::span<const std::string> ids) = 0;
};

// True when |meta| holds a dataset of |tenant| (any, when empty)
// overlapping [start, end].
bool BlockOverlaps(const v1::BlockMeta& meta, std::string_view tenant, int64_t start_nanos, int64_t end_nanos);

}  // namespace kiln::storage

#endif  // KILN_STORAGE_METASTORE_H_
