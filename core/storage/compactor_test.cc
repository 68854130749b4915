// Compaction keeps every profile exactly once, shrinks storage, and leaves a
// consistent state when it fails at any step.
#include "kiln/storage/compactor.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "core/storage/storage_test_profiles.h"
#include "kiln/storage/fault_injecting_object_store.h"
#include "kiln/storage/local_metastore.h"
#include "kiln/storage/memory_object_store.h"
#include "kiln/storage/segment_writer.h"

namespace kiln::storage {
namespace {

using testing::CollapseVisible;
using testing::SmallCpuProfile;

class CompactorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("kiln-compactor-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    metastore_ = *OpenLocalMetastore(dir_.string(), nullptr);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // 2n segments: at each of n seconds one profile of tenant a, then one
  // of tenant b.
  void WriteSegments(ObjectStore* store, int n, absl::Time start) {
    for (int i = 0; i < n; ++i) {
      SegmentWriterOptions options;
      options.segment_duration = absl::Milliseconds(1);
      options.now = [=] { return start + absl::Seconds(i); };
      SegmentWriter writer(store, metastore_.get(), options);
      profiles_.push_back(std::make_unique<Profile>(SmallCpuProfile(i + 1, absl::ToUnixNanos(start + absl::Seconds(i)))));
      for (const char* tenant : {"a", "b"}) {
        IngestedProfile in{LabelSet{{"service_name", "svc"}, {"pod", std::to_string(i % 3)}}, {}, profiles_.back().get()};
        ASSERT_TRUE(writer.Write(tenant, {&in, 1}).ok());
      }
    }
  }

  std::filesystem::path dir_;
  std::unique_ptr<Metastore> metastore_;
  std::vector<std::unique_ptr<Profile>> profiles_;
};

TEST_F(CompactorTest, MergesSegmentsIntoOneBlockPerTenantKeepingEveryProfileOnce) {
  MemoryObjectStore store;
  const absl::Time start = absl::FromUnixSeconds(1700000000);
  WriteSegments(&store, 12, start);
  ASSERT_EQ(metastore_->ListBlocks().size(), 24u);
  uint64_t rows_before = 0;
  const auto before = *CollapseVisible(&store, *metastore_, "a", "cpu", &rows_before);
  const uint64_t bytes_before = store.TotalBytes();

  Compactor compactor(&store, metastore_.get());
  CompactionStats stats;
  ASSERT_TRUE(compactor.RunOnce(start + absl::Seconds(30), &stats).ok());
  EXPECT_EQ(stats.jobs, 1u) << "20 segments due by count; the other 4 wait";
  EXPECT_EQ(stats.output_blocks, 2u) << "one per tenant";
  ASSERT_TRUE(compactor.RunOnce(start + absl::Seconds(70), &stats).ok());
  EXPECT_EQ(stats.jobs, 2u) << "the remaining 4 are due by age";

  const auto blocks = metastore_->ListBlocks();
  ASSERT_EQ(blocks.size(), 4u);
  for (const auto& b : blocks) {
    EXPECT_EQ(b->level(), 1u);
    EXPECT_FALSE(b->tenant().empty());
    EXPECT_TRUE(b->key().starts_with("blocks/0/" + b->tenant() + "/")) << b->key();
  }
  uint64_t rows_after = 0;
  EXPECT_EQ(*CollapseVisible(&store, *metastore_, "a", "cpu", &rows_after), before);
  EXPECT_EQ(rows_after, rows_before);
  EXPECT_EQ(rows_after, 12u);
  EXPECT_EQ(metastore_->ListTombstones().size(), 24u);

  // Tombstoned inputs go after the delay; then the store is smaller.
  ASSERT_TRUE(compactor.CollectGarbage(start + absl::Minutes(2), &stats).ok());
  EXPECT_EQ(stats.deleted_objects, 0u);
  ASSERT_TRUE(compactor.CollectGarbage(start + absl::Minutes(20), &stats).ok());
  EXPECT_EQ(stats.deleted_objects, 24u);
  EXPECT_TRUE(metastore_->ListTombstones().empty());
  EXPECT_LT(store.TotalBytes(), bytes_before / 2);
}

TEST_F(CompactorTest, DuplicateProfilesFromRetriesAreStoredOnce) {
  MemoryObjectStore store;
  const absl::Time start = absl::FromUnixSeconds(1700000000);
  const Profile p = SmallCpuProfile(1, absl::ToUnixNanos(start));
  const ProfileId id = NewProfileId();
  for (int i = 0; i < 3; ++i) {  // the client retried twice
    SegmentWriterOptions options;
    options.segment_duration = absl::Milliseconds(1);
    options.now = [=] { return start + absl::Seconds(i); };
    SegmentWriter writer(&store, metastore_.get(), options);
    IngestedProfile in{LabelSet{{"service_name", "svc"}}, id, &p};
    ASSERT_TRUE(writer.Write("t", {&in, 1}).ok());
  }
  Compactor compactor(&store, metastore_.get());
  CompactionStats stats;
  ASSERT_TRUE(compactor.RunOnce(start + absl::Hours(1), &stats).ok());
  EXPECT_EQ(stats.duplicate_profiles, 4u) << "2 retries x 2 sample types";
  uint64_t rows = 0;
  auto collapsed = *CollapseVisible(&store, *metastore_, "t", "samples", &rows);
  EXPECT_EQ(rows, 1u);
  EXPECT_EQ(collapsed["main;work;"], 3);
}

TEST_F(CompactorTest, AFailedOutputWriteLeavesTheInputsVisibleAndTheOrphanIsCollected) {
  MemoryObjectStore base;
  FaultInjectingObjectStore store(&base);
  const absl::Time start = absl::FromUnixSeconds(1700000000);
  WriteSegments(&store, 4, start);
  const auto before = *CollapseVisible(&store, *metastore_, "b", "cpu");
  Compactor compactor(&store, metastore_.get());
  // Tenant a's output is written, tenant b's fails: nothing is committed.
  store.Arm(FaultInjectingObjectStore::Op::kPut, FaultInjectingObjectStore::Fault::kTorn, 2);
  EXPECT_FALSE(compactor.RunOnce(start + absl::Hours(1)).ok());
  EXPECT_EQ(metastore_->ListBlocks().size(), 8u);
  EXPECT_EQ(*CollapseVisible(&store, *metastore_, "b", "cpu"), before);
  EXPECT_EQ(base.List("blocks/")->size(), 2u) << "a's output and b's torn one are orphans";
  CompactionStats stats;
  ASSERT_TRUE(compactor.CollectGarbage(start + absl::Hours(2), &stats).ok());
  EXPECT_EQ(base.List("blocks/")->size(), 0u);
  EXPECT_EQ(base.List("segments/")->size(), 8u) << "visible inputs are never collected";
  // The next run succeeds.
  ASSERT_TRUE(compactor.RunOnce(start + absl::Hours(3)).ok());
  EXPECT_EQ(*CollapseVisible(&store, *metastore_, "b", "cpu"), before);
}

TEST_F(CompactorTest, ACorruptInputFailsItsJobWithTheObjectNamed) {
  MemoryObjectStore store;
  const absl::Time start = absl::FromUnixSeconds(1700000000);
  WriteSegments(&store, 2, start);
  const auto blocks = metastore_->ListBlocks();
  std::string object = *store.Get(blocks[0]->key());
  object[object.size() / 3] ^= 1;
  ASSERT_TRUE(store.Put(blocks[0]->key(), object).ok());
  Compactor compactor(&store, metastore_.get());
  absl::Status s = compactor.RunOnce(start + absl::Hours(1));
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(s.message().find(blocks[0]->key()), std::string::npos) << s;
  EXPECT_EQ(metastore_->ListBlocks().size(), 4u);
}

TEST_F(CompactorTest, RetentionDropsWholeBlocksPastTheTenantsPeriod) {
  MemoryObjectStore store;
  const absl::Time start = absl::FromUnixSeconds(1700000000);
  WriteSegments(&store, 2, start);
  Compactor compactor(&store, metastore_.get());
  ASSERT_TRUE(compactor.RunOnce(start + absl::Hours(1)).ok());
  CompactorOptions options;
  options.retention = absl::Hours(24);
  options.tenant_retention["b"] = absl::Hours(24 * 7);
  Compactor retaining(&store, metastore_.get(), options);
  CompactionStats stats;
  ASSERT_TRUE(retaining.EnforceRetention(start + absl::Hours(23), &stats).ok());
  EXPECT_EQ(stats.expired_blocks, 0u);
  ASSERT_TRUE(retaining.EnforceRetention(start + absl::Hours(25), &stats).ok());
  EXPECT_EQ(stats.expired_blocks, 1u);
  EXPECT_EQ(CollapseVisible(&store, *metastore_, "a", "cpu")->size(), 0u);
  EXPECT_EQ(CollapseVisible(&store, *metastore_, "b", "cpu")->size(), 2u) << "b keeps 7 days";
}

}  // namespace
}  // namespace kiln::storage
