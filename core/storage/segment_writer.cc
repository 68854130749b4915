#include "kiln/storage/segment_writer.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "kiln/base/fingerprint.h"
#include "kiln/storage/block.h"
#include "kiln/storage/block_id.h"

namespace kiln::storage {

// What became of one head's segment; writers wait on it.
struct SegmentWriter::Outcome {
  void Set(absl::Status s) {
    absl::MutexLock lock(&mu);
    status = std::move(s);
    done = true;
  }
  absl::Status Wait() {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(&done));
    return status;
  }
  absl::Mutex mu;
  bool done ABSL_GUARDED_BY(mu) = false;
  absl::Status status ABSL_GUARDED_BY(mu);
};

struct SegmentWriter::Head {
  // (tenant, service) -> dataset; ordered so segments are deterministic.
  std::map<std::pair<std::string, std::string>, std::unique_ptr<DatasetBuilder>> datasets;
  size_t bytes = 0;
  std::shared_ptr<Outcome> outcome = std::make_shared<Outcome>();
};

SegmentWriter::SegmentWriter(ObjectStore* store, Metastore* metastore, SegmentWriterOptions options)
    : store_(store), metastore_(metastore), options_(std::move(options)) {
  for (uint32_t i = 0; i < std::max<uint32_t>(options_.num_shards, 1); ++i) heads_.push_back(std::make_unique<Head>());
  flusher_ = std::thread([this] { FlushLoop(); });
}

SegmentWriter::~SegmentWriter() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  flusher_.join();
}

uint32_t SegmentWriter::ShardOf(std::string_view tenant, std::string_view service) const {
  const uint64_t h = FingerprintMix(FingerprintBytes(service, FingerprintBytes(tenant)));
  return static_cast<uint32_t>(h % heads_.size());
}

absl::Status SegmentWriter::AdmitSeries(std::string_view tenant, const LabelSet& labels) {
  const uint64_t limit = options_.limits.max_series_per_tenant;
  if (limit == 0) return absl::OkStatus();
  const int64_t window = absl::ToUnixSeconds(options_.now()) / 3600;
  if (window != series_window_) {
    active_series_.clear();
    series_window_ = window;
  }
  auto& seen = active_series_[std::string(tenant)];
  const uint64_t fp = labels.Fingerprint();
  if (seen.contains(fp)) return absl::OkStatus();
  if (seen.size() >= limit) {
    return absl::ResourceExhaustedError(absl::StrCat("tenant ", std::string(tenant), " has ", seen.size(),
                                                     " active series; the limit is ", limit,
                                                     " (new series ", labels.ToString(), " rejected)"));
  }
  seen.insert(fp);
  return absl::OkStatus();
}

absl::StatusOr<AppendResult> SegmentWriter::Write(std::string_view tenant, std::span<const IngestedProfile> profiles) {
  const int64_t now_nanos = absl::ToUnixNanos(options_.now());
  std::vector<std::shared_ptr<Outcome>> waits;
  AppendResult total;
  absl::Status append_error;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return absl::UnavailableError("segment writer is shutting down");
    for (const IngestedProfile& in : profiles) {
      const std::string service(in.labels.Get("service_name"));
      if (service.empty()) {
        append_error = absl::InvalidArgumentError("profile has no service_name label");
        break;
      }
      Head& head = *heads_[ShardOf(tenant, service)];
      std::unique_ptr<DatasetBuilder>& builder = head.datasets[{std::string(tenant), service}];
      if (!builder) builder = std::make_unique<DatasetBuilder>(std::string(tenant), service);
      const size_t before = builder->ApproximateBytes();
      auto result = AppendProfile(in, options_.limits, now_nanos, builder.get(),
                                  [&](const LabelSet& series) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                                    return AdmitSeries(tenant, series);
                                  });
      if (!result.ok()) {
        if (builder->dataset().profiles.empty()) head.datasets.erase({std::string(tenant), service});
        append_error = result.status();
        break;
      }
      total.rows += result->rows;
      total.duplicates += result->duplicates;
      head.bytes += builder->ApproximateBytes() - before;
      if (std::find(waits.begin(), waits.end(), head.outcome) == waits.end()) waits.push_back(head.outcome);
      if (head.bytes >= options_.max_segment_bytes) flush_requested_ = true;
    }
  }
  absl::Status status = append_error;
  for (const auto& outcome : waits) {
    absl::Status s = outcome->Wait();
    if (status.ok()) status = s;
  }
  if (!status.ok()) return status;
  return total;
}

absl::Status SegmentWriter::Flush() {
  absl::Status first;
  for (uint32_t shard = 0; shard < heads_.size(); ++shard) {
    absl::Status s = FlushShard(shard);
    if (first.ok()) first = s;
  }
  return first;
}

void SegmentWriter::FlushLoop() {
  absl::Time next = options_.now() + options_.segment_duration;
  for (;;) {
    bool stop;
    {
      absl::MutexLock lock(&mu_);
      auto wake = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_ || flush_requested_; };
      mu_.AwaitWithDeadline(absl::Condition(&wake), next);
      stop = stopping_;
      flush_requested_ = false;
    }
    // Deadlines follow real time even when tests fake options_.now().
    next = absl::Now() + options_.segment_duration;
    (void)Flush();
    if (stop) return;
  }
}

absl::Status SegmentWriter::FlushShard(uint32_t shard) {
  absl::MutexLock flush_lock(&flush_mu_);
  std::unique_ptr<Head> head;
  {
    absl::MutexLock lock(&mu_);
    if (heads_[shard]->datasets.empty()) return absl::OkStatus();
    head = std::move(heads_[shard]);
    heads_[shard] = std::make_unique<Head>();
  }
  std::vector<const Dataset*> datasets;
  for (const auto& [key, builder] : head->datasets) datasets.push_back(&builder->dataset());
  const absl::Time now = options_.now();
  v1::BlockMeta meta;
  meta.set_id(NewBlockId(absl::ToUnixMillis(now)));
  meta.set_key(absl::StrCat("segments/", shard, "/", meta.id(), ".kb"));
  meta.set_shard(shard);
  meta.set_level(0);
  meta.set_created_at_nanos(absl::ToUnixNanos(now));
  const std::string object = EncodeBlock(datasets, &meta);

  absl::Status status;
  for (int attempt = 0; attempt < std::max(options_.upload_attempts, 1); ++attempt) {
    status = store_->Put(meta.key(), object);
    if (status.ok()) break;
  }
  if (status.ok()) {
    status = metastore_->AddBlock(meta);
    // Not indexed means not acknowledged; the object is garbage now.
    if (!status.ok()) (void)store_->Delete(meta.key());
  }
  if (!status.ok()) {
    status = absl::Status(status.code(), absl::StrCat("segment ", meta.id(), " was not stored: ", status.message()));
  }
  uint64_t rows = 0;
  for (const Dataset* d : datasets) rows += d->profiles.size();
  {
    absl::MutexLock lock(&mu_);
    if (status.ok()) {
      ++stats_.segments;
      stats_.segment_bytes += object.size();
      stats_.profiles += rows;
    } else {
      ++stats_.failed_segments;
    }
  }
  head->outcome->Set(status);
  return status;
}

SegmentWriterStats SegmentWriter::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

}  // namespace kiln::storage
