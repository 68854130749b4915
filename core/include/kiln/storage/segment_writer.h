// The write path: profiles are appended to an in-memory head per shard; a
// flush thread seals each head every segment_duration (or sooner when it
// reaches max_segment_bytes), writes it as ONE segment object holding a
// dataset per (tenant, service), and commits it to the metastore. Write()
// returns only after the segment holding its profiles is durable and
// indexed: an acknowledged profile is never lost, and each profile is
// written exactly once (there is no write-ahead log storing it again).
//
// On a failed upload or commit every writer waiting on that segment gets
// the error (and may retry); nothing of it becomes visible.
// Thread safety: Write may be called from many threads.
#ifndef KILN_STORAGE_SEGMENT_WRITER_H_
#define KILN_STORAGE_SEGMENT_WRITER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "kiln/storage/metastore.h"
#include "kiln/storage/object_store.h"
#include "kiln/storage/profile_appender.h"

namespace kiln::storage {

struct SegmentWriterOptions {
  absl::Duration segment_duration = absl::Milliseconds(500);
  size_t max_segment_bytes = 64u << 20;
  uint32_t num_shards = 1;
  // Upload attempts per segment before the writers are told it failed.
  int upload_attempts = 3;
  IngestLimits limits;
  // Clock for profile times and block ids (tests replace it).
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

struct SegmentWriterStats {
  uint64_t segments = 0;
  uint64_t segment_bytes = 0;
  uint64_t profiles = 0;  // stored rows
  uint64_t failed_segments = 0;
};

class SegmentWriter {
 public:
  // |store| and |metastore| must outlive the writer.
  SegmentWriter(ObjectStore* store, Metastore* metastore, SegmentWriterOptions options = {});
  // Flushes what is buffered (waiting writers get its outcome), then stops.
  ~SegmentWriter();
  SegmentWriter(const SegmentWriter&) = delete;
  SegmentWriter& operator=(const SegmentWriter&) = delete;

  // Appends |profiles| of |tenant| and blocks until they are durable and
  // indexed. A profile rejected by a limit fails the call before anything
  // of it is stored; profiles earlier in the span stay appended.
  absl::StatusOr<AppendResult> Write(std::string_view tenant, std::span<const IngestedProfile> profiles);

  // Seals and writes every non-empty head now; returns the first error.
  absl::Status Flush();

  SegmentWriterStats stats() const;

 private:
  struct Outcome;
  struct Head;

  void FlushLoop();
  // Seals shard |shard|'s head and writes it; notifies its writers.
  absl::Status FlushShard(uint32_t shard);
  uint32_t ShardOf(std::string_view tenant, std::string_view service) const;
  // limits.max_series_per_tenant counts the distinct series a tenant
  // wrote in the current hour (its active series).
  absl::Status AdmitSeries(std::string_view tenant, const LabelSet& labels) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  ObjectStore* const store_;
  Metastore* const metastore_;
  const SegmentWriterOptions options_;

  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<Head>> heads_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool flush_requested_ ABSL_GUARDED_BY(mu_) = false;
  SegmentWriterStats stats_ ABSL_GUARDED_BY(mu_);
  int64_t series_window_ ABSL_GUARDED_BY(mu_) = -1;
  absl::flat_hash_map<std::string, absl::flat_hash_set<uint64_t>> active_series_ ABSL_GUARDED_BY(mu_);
  // Serialises flushes (the flush thread and Flush()).
  absl::Mutex flush_mu_;
  std::thread flusher_;
};

}  // namespace kiln::storage

#endif  // KILN_STORAGE_SEGMENT_WRITER_H_
