// The local metastore's journal survives restarts and torn tails, snapshots
// keep it short, and a lost index is rebuilt from the objects.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "kiln/storage/block.h"
#include "kiln/storage/block_id.h"
#include "kiln/storage/dataset_builder.h"
#include "kiln/storage/local_metastore.h"
#include "kiln/storage/memory_object_store.h"

namespace kiln::storage {
namespace {

namespace fs = std::filesystem;

class MetastoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("kiln-metastore-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static v1::BlockMeta Meta(const std::string& id, const std::string& tenant, int64_t min, int64_t max) {
    v1::BlockMeta m;
    m.set_id(id);
    m.set_key("segments/0/" + id + ".kb");
    auto* d = m.add_datasets();
    d->set_tenant(tenant);
    d->set_service("svc");
    d->set_min_time_nanos(min);
    d->set_max_time_nanos(max);
    return m;
  }

  std::string dir_;
};

TEST_F(MetastoreTest, CommitsSurviveReopenAndQueriesFilterByTenantAndTime) {
  {
    auto m = OpenLocalMetastore(dir_, nullptr);
    ASSERT_TRUE(m.ok()) << m.status();
    ASSERT_TRUE((*m)->AddBlock(Meta("a", "t1", 0, 100)).ok());
    ASSERT_TRUE((*m)->AddBlock(Meta("b", "t2", 50, 150)).ok());
    ASSERT_TRUE((*m)->AddBlock(Meta("c", "t1", 200, 300)).ok());
    const v1::BlockMeta merged = Meta("d", "t1", 0, 300);
    const std::string removed[] = {"a", "c"};
    ASSERT_TRUE((*m)->ReplaceBlocks({&merged, 1}, removed, 42).ok());
  }
  auto m = OpenLocalMetastore(dir_, nullptr);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ((*m)->ListBlocks().size(), 2u);
  auto t1 = (*m)->QueryBlocks("t1", 250, 400);
  ASSERT_EQ(t1.size(), 1u);
  EXPECT_EQ(t1[0]->id(), "d");
  EXPECT_EQ((*m)->QueryBlocks("t2", 151, 400).size(), 0u);
  EXPECT_EQ((*m)->QueryBlocks("", 0, 1000).size(), 2u);
  auto tombstones = (*m)->ListTombstones();
  ASSERT_EQ(tombstones.size(), 2u);
  EXPECT_EQ(tombstones[0].key, "segments/0/a.kb");
  EXPECT_EQ(tombstones[0].delete_after_nanos, 42);
  const std::string forget[] = {"a"};
  ASSERT_TRUE((*m)->ForgetTombstones(forget).ok());
  EXPECT_EQ((*m)->ListTombstones().size(), 1u);
}

TEST_F(MetastoreTest, TornTailRecordIsDiscardedAndLaterCommitsFollowIt) {
  {
    auto m = OpenLocalMetastore(dir_, nullptr);
    ASSERT_TRUE((*m)->AddBlock(Meta("a", "t", 0, 1)).ok());
    ASSERT_TRUE((*m)->AddBlock(Meta("b", "t", 0, 1)).ok());
  }
  const std::string journal = dir_ + "/metastore.journal";
  fs::resize_file(journal, fs::file_size(journal) - 5);  // crash mid-append of "b"
  {
    auto m = OpenLocalMetastore(dir_, nullptr);
    ASSERT_TRUE(m.ok()) << m.status();
    ASSERT_EQ((*m)->ListBlocks().size(), 1u);
    ASSERT_TRUE((*m)->AddBlock(Meta("c", "t", 0, 1)).ok());
  }
  auto m = OpenLocalMetastore(dir_, nullptr);
  ASSERT_TRUE(m.ok());
  std::vector<std::string> ids;
  for (const auto& b : (*m)->ListBlocks()) ids.push_back(b->id());
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "c"}));
}

TEST_F(MetastoreTest, DamageBeforeTheLastRecordIsAnError) {
  {
    auto m = OpenLocalMetastore(dir_, nullptr);
    ASSERT_TRUE((*m)->AddBlock(Meta("a", "t", 0, 1)).ok());
    ASSERT_TRUE((*m)->AddBlock(Meta("b", "t", 0, 1)).ok());
  }
  const std::string journal = dir_ + "/metastore.journal";
  std::fstream f(journal, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(12);
  f.put('\x7f');
  f.close();
  // A damaged record followed by a valid one is corruption, not a torn
  // tail: refuse to open rather than silently drop commit "b".
  auto m = OpenLocalMetastore(dir_, nullptr);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(m.status().message().find("rebuild the index"), std::string::npos) << m.status();
  // The advertised remedy works.
  MemoryObjectStore store;
  fs::remove(journal);
  EXPECT_TRUE(OpenLocalMetastore(dir_, &store).ok());
}

TEST_F(MetastoreTest, SnapshotsKeepTheJournalShort) {
  LocalMetastoreOptions options;
  options.snapshot_every_records = 10;
  {
    auto m = OpenLocalMetastore(dir_, nullptr, options);
    for (int i = 0; i < 25; ++i) ASSERT_TRUE((*m)->AddBlock(Meta("b" + std::to_string(i), "t", i, i)).ok());
    const std::string remove[] = {"b3"};
    ASSERT_TRUE((*m)->ReplaceBlocks({}, remove, 7).ok());
  }
  EXPECT_TRUE(fs::exists(dir_ + "/metastore.snapshot"));
  EXPECT_LT(fs::file_size(dir_ + "/metastore.journal"), 2000u);
  auto m = OpenLocalMetastore(dir_, nullptr, options);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ((*m)->ListBlocks().size(), 24u);
  EXPECT_EQ((*m)->ListTombstones().size(), 1u);
}

TEST_F(MetastoreTest, ReaderFollowsTheWriterAcrossSnapshotsAndNeverWrites) {
  LocalMetastoreOptions options;
  options.snapshot_every_records = 4;
  auto writer = OpenLocalMetastore(dir_, nullptr, options);
  ASSERT_TRUE(writer.ok()) << writer.status();
  ASSERT_TRUE((*writer)->AddBlock(Meta("a", "t", 0, 1)).ok());
  auto reader = OpenLocalMetastoreReader(dir_, absl::ZeroDuration());
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->ListBlocks().size(), 1u);
  // Commits past a snapshot (which empties the journal) are all seen.
  for (int i = 0; i < 9; ++i) ASSERT_TRUE((*writer)->AddBlock(Meta("b" + std::to_string(i), "t", 0, 1)).ok());
  EXPECT_EQ((*reader)->ListBlocks().size(), 10u);
  EXPECT_EQ((*reader)->QueryBlocks("t", 0, 1).size(), 10u);
  // A torn tail (a commit being written) is not cut by the reader.
  const std::string journal = dir_ + "/metastore.journal";
  { std::ofstream(journal, std::ios::app | std::ios::binary) << std::string("\x30\0\0\0xx", 6); }
  const auto size = fs::file_size(journal);
  EXPECT_EQ((*reader)->ListBlocks().size(), 10u);
  EXPECT_EQ(fs::file_size(journal), size);
  EXPECT_EQ((*reader)->AddBlock(Meta("c", "t", 0, 1)).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(OpenLocalMetastoreReader(dir_ + "/missing").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(MetastoreTest, RebuildsFromObjectsHonouringFinishedAndUnfinishedCompactions) {
  MemoryObjectStore store;
  DatasetBuilder builder("t", "svc");
  const int64_t time = 1700000000000000000;
  builder.AddProfile(builder.InternSeries(LabelSet{{"service_name", "svc"}}), time, 0, ProfileId{1}, {}, {}, {});
  const Dataset* datasets[] = {&builder.dataset()};
  auto put = [&](const std::string& id, std::vector<std::string> from, std::vector<std::string> outputs) {
    v1::BlockMeta meta;
    meta.set_id(id);
    meta.set_key((from.empty() ? "segments/0/" : "blocks/0/t/") + id + ".kb");
    for (auto& f : from) meta.add_compacted_from(f);
    for (auto& o : outputs) meta.add_compaction_outputs(o);
    ASSERT_TRUE(store.Put(meta.key(), EncodeBlock(datasets, &meta)).ok());
  };
  put("S1", {}, {});
  put("S2", {}, {});
  put("S3", {}, {});
  put("S4", {}, {});
  put("B1", {"S1", "S2"}, {"B1"});              // finished: supersedes S1, S2
  put("B2", {"S3", "S4"}, {"B2", "B3"});        // B3 never written: unfinished
  ASSERT_TRUE(store.Put("segments/0/garbage.kb", "not a block").ok());

  auto m = OpenLocalMetastore(dir_, &store);
  ASSERT_TRUE(m.ok()) << m.status();
  std::vector<std::string> visible, tombstoned;
  for (const auto& b : (*m)->ListBlocks()) visible.push_back(b->id());
  for (const auto& t : (*m)->ListTombstones()) tombstoned.push_back(t.id);
  EXPECT_EQ(visible, (std::vector<std::string>{"B1", "S3", "S4"}));
  EXPECT_EQ(tombstoned, (std::vector<std::string>{"S1", "S2"}));
  auto rebuilt = RebuildFromObjects(&store);
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_EQ(rebuilt->unreadable.size(), 2u) << "garbage.kb and the unfinished B2";
}

}  // namespace
}  // namespace kiln::storage
