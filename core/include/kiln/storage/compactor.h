// Merges small objects into larger ones, level by level, per (tenant,
// shard, time window): L0 segments (multi-tenant, one per flush) become one
// L1 block per tenant, L1 blocks become L2, L2 become L3 (final). Inputs are
// read whole, datasets of the same service merged with their symbols
// re-deduplicated and duplicate profiles (same series, time and id) dropped;
// outputs are written, then committed to the metastore in ONE commit that
// also tombstones the inputs. A crash before the commit leaves invisible
// orphans (deleted later by CollectGarbage); after it, only the outputs
// count. Never both, never neither.
//
// Also: deletes tombstoned objects once their delay passed, deletes orphans
// (objects no commit made visible) after a grace period, and enforces
// retention by tombstoning blocks whose data is all older than it.
// Thread safety: one compactor per metastore; methods are not reentrant.
#ifndef KILN_STORAGE_COMPACTOR_H_
#define KILN_STORAGE_COMPACTOR_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "kiln/storage/metastore.h"
#include "kiln/storage/object_store.h"

namespace kiln::storage {

struct CompactionLevel {
  uint32_t max_blocks;       // compact as soon as this many wait
  absl::Duration max_wait;   // or when the oldest has waited this long
};

struct CompactorOptions {
  // levels[i] says when level-i blocks become one level-(i+1) block.
  // Pyroscope 2's thresholds.
  std::vector<CompactionLevel> levels = {
      {20, absl::Seconds(36)}, {10, absl::Minutes(12)}, {10, absl::Hours(3)}};
  // Blocks are only merged with blocks of the same window of time.
  absl::Duration window = absl::Hours(6);
  // Tombstoned inputs stay readable this long for queries already planned.
  absl::Duration delete_delay = absl::Minutes(15);
  // Objects no commit references are deleted once this old.
  absl::Duration orphan_grace = absl::Minutes(10);
  absl::Duration retention = absl::Hours(24 * 31);
  std::map<std::string, absl::Duration> tenant_retention;  // overrides; zero = keep forever
};

struct CompactionStats {
  uint32_t jobs = 0;
  uint32_t input_blocks = 0;
  uint32_t output_blocks = 0;
  uint64_t input_bytes = 0;
  uint64_t output_bytes = 0;
  uint64_t duplicate_profiles = 0;
  uint32_t deleted_objects = 0;
  uint32_t expired_blocks = 0;
};

class Compactor {
 public:
  // |store| and |metastore| must outlive the compactor.
  Compactor(ObjectStore* store, Metastore* metastore, CompactorOptions options = {});

  // Runs every job that is due at |now|; adds what it did to |stats|.
  absl::Status RunOnce(absl::Time now, CompactionStats* stats = nullptr);
  // Deletes tombstoned objects whose delay has passed and old orphans.
  absl::Status CollectGarbage(absl::Time now, CompactionStats* stats = nullptr);
  // Tombstones blocks whose every dataset is older than its tenant's
  // retention.
  absl::Status EnforceRetention(absl::Time now, CompactionStats* stats = nullptr);

  // Merges |inputs| (same shard, same level) into one block per tenant at
  // |level|, writes and commits them. Exposed for tests and tools.
  absl::Status Compact(const std::vector<BlockMetaPtr>& inputs, uint32_t level, absl::Time now,
                       CompactionStats* stats = nullptr);

 private:
  ObjectStore* const store_;
  Metastore* const metastore_;
  const CompactorOptions options_;
};

}  // namespace kiln::storage

#endif  // KILN_STORAGE_COMPACTOR_H_
