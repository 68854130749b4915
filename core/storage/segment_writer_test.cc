// Writes return only once durable and indexed; failures are reported, never
// acknowledged; concurrent writers share segments.
#include "kiln/storage/segment_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include <thread>

#include "core/storage/storage_test_profiles.h"
#include "kiln/storage/block.h"
#include "kiln/storage/fault_injecting_object_store.h"
#include "kiln/storage/local_metastore.h"
#include "kiln/storage/memory_object_store.h"

namespace kiln::storage {
namespace {

using testing::CollapseVisible;
using testing::SmallCpuProfile;

class InMemoryMetastore {
 public:
  InMemoryMetastore() {
    dir_ = std::filesystem::temp_directory_path() /
           ("kiln-sw-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::remove_all(dir_);
    LocalMetastoreOptions options;
    options.sync = false;
    metastore_ = *OpenLocalMetastore(dir_.string(), nullptr, options);
  }
  ~InMemoryMetastore() { std::filesystem::remove_all(dir_); }
  Metastore* get() { return metastore_.get(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path dir_;
  std::unique_ptr<Metastore> metastore_;
};

TEST(SegmentWriterTest, AcknowledgedProfilesAreIndexedAndReadable) {
  MemoryObjectStore store;
  InMemoryMetastore metastore;
  SegmentWriterOptions options;
  options.segment_duration = absl::Milliseconds(20);
  options.num_shards = 2;
  SegmentWriter writer(&store, metastore.get(), options);
  const Profile p = SmallCpuProfile(1);
  IngestedProfile in[] = {{LabelSet{{"service_name", "api"}}, {}, &p}, {LabelSet{{"service_name", "db"}}, {}, &p}};
  auto result = writer.Write("t1", in);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->rows, 4u);
  // Acknowledged: already in the index, no flush needed.
  ASSERT_GE(metastore.get()->ListBlocks().size(), 1u);
  uint64_t rows = 0;
  auto collapsed = CollapseVisible(&store, *metastore.get(), "t1", "cpu", &rows);
  ASSERT_TRUE(collapsed.ok()) << collapsed.status();
  EXPECT_EQ(rows, 2u);
  EXPECT_EQ((*collapsed)["main;work;"], 60000000);
  EXPECT_EQ((*collapsed)["main;work;hash;"], 100000000);
  const auto blocks = metastore.get()->ListBlocks();
  EXPECT_EQ(blocks[0]->level(), 0u);
  EXPECT_TRUE(blocks[0]->key().starts_with("segments/"));
}

TEST(SegmentWriterTest, ConcurrentWritersShareSegmentsAndNothingIsLost) {
  MemoryObjectStore store;
  InMemoryMetastore metastore;
  SegmentWriterOptions options;
  options.segment_duration = absl::Milliseconds(50);
  SegmentWriter writer(&store, metastore.get(), options);
  const Profile p = SmallCpuProfile(1);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        IngestedProfile in{LabelSet{{"service_name", "svc"}, {"pod", std::to_string(t)}}, {}, &p};
        if (!writer.Write("t", {&in, 1}).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  uint64_t rows = 0;
  auto collapsed = CollapseVisible(&store, *metastore.get(), "t", "samples", &rows);
  ASSERT_TRUE(collapsed.ok());
  EXPECT_EQ(rows, 40u);
  EXPECT_EQ((*collapsed)["main;work;hash;"], 5 * 40);
  EXPECT_LT(writer.stats().segments, 40u) << "writers batched into shared segments";
}

TEST(SegmentWriterTest, FailedUploadIsReportedAndNothingBecomesVisible) {
  MemoryObjectStore base;
  FaultInjectingObjectStore store(&base);
  InMemoryMetastore metastore;
  SegmentWriterOptions options;
  options.segment_duration = absl::Milliseconds(10);
  options.upload_attempts = 2;
  SegmentWriter writer(&store, metastore.get(), options);
  const Profile p = SmallCpuProfile(1);
  IngestedProfile in{LabelSet{{"service_name", "svc"}}, {}, &p};

  store.Arm(FaultInjectingObjectStore::Op::kPut, FaultInjectingObjectStore::Fault::kFail, 1, /*sticky=*/true);
  auto failed = writer.Write("t", {&in, 1});
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("was not stored"), std::string::npos) << failed.status();
  EXPECT_EQ(metastore.get()->ListBlocks().size(), 0u);

  // One torn attempt, then success on retry: acknowledged once, readable.
  store.Arm(FaultInjectingObjectStore::Op::kPut, FaultInjectingObjectStore::Fault::kTorn);
  ASSERT_TRUE(writer.Write("t", {&in, 1}).ok());
  uint64_t rows = 0;
  auto collapsed = CollapseVisible(&base, *metastore.get(), "t", "samples", &rows);
  ASSERT_TRUE(collapsed.ok()) << collapsed.status();
  EXPECT_EQ(rows, 1u);
  EXPECT_EQ(writer.stats().failed_segments, 1u);
}

TEST(SegmentWriterTest, RejectsBadProfilesAndEnforcesTheSeriesLimit) {
  MemoryObjectStore store;
  InMemoryMetastore metastore;
  SegmentWriterOptions options;
  options.segment_duration = absl::Milliseconds(10);
  options.limits.max_series_per_tenant = 3;  // one profile = 2 series (2 types)
  SegmentWriter writer(&store, metastore.get(), options);
  const Profile p = SmallCpuProfile(1);
  IngestedProfile no_service{LabelSet{{"pod", "a"}}, {}, &p};
  EXPECT_EQ(writer.Write("t", {&no_service, 1}).status().code(), absl::StatusCode::kInvalidArgument);
  IngestedProfile a{LabelSet{{"service_name", "svc"}, {"pod", "a"}}, {}, &p};
  IngestedProfile b{LabelSet{{"service_name", "svc"}, {"pod", "b"}}, {}, &p};
  ASSERT_TRUE(writer.Write("t", {&a, 1}).ok());
  auto rejected = writer.Write("t", {&b, 1});
  EXPECT_EQ(rejected.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(rejected.status().message().find("the limit is 3"), std::string::npos) << rejected.status();
  EXPECT_TRUE(writer.Write("other-tenant", {&b, 1}).ok()) << "limits are per tenant";
  EXPECT_TRUE(writer.Write("t", {&a, 1}).ok()) << "known series are still accepted";
}

}  // namespace
}  // namespace kiln::storage
