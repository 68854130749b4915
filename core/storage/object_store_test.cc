// The ObjectStore contract, run against every implementation, plus the
// fault-injecting wrapper's faults.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <unistd.h>

#include "kiln/storage/fault_injecting_object_store.h"
#include "kiln/storage/local_object_store.h"
#include "kiln/storage/memory_object_store.h"

namespace kiln::storage {
namespace {

namespace fs = std::filesystem;

std::string TempDir(const std::string& name) {
  std::string dir = (fs::temp_directory_path() / ("kiln-" + name + "-" + std::to_string(::getpid()))).string();
  fs::remove_all(dir);
  return dir;
}

class ObjectStoreContractTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "memory") {
      store_ = std::make_unique<MemoryObjectStore>();
    } else {
      dir_ = TempDir("store");
      auto store = OpenLocalObjectStore(dir_);
      ASSERT_TRUE(store.ok()) << store.status();
      store_ = *std::move(store);
    }
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  std::unique_ptr<ObjectStore> store_;
  std::string dir_;
};

TEST_P(ObjectStoreContractTest, PutGetRangeListDelete) {
  ASSERT_TRUE(store_->Put("segments/0/a.kb", "hello world").ok());
  ASSERT_TRUE(store_->Put("segments/1/b.kb", "xyz").ok());
  ASSERT_TRUE(store_->Put("blocks/t/c.kb", "").ok());
  EXPECT_EQ(*store_->Get("segments/0/a.kb"), "hello world");
  EXPECT_EQ(*store_->GetRange("segments/0/a.kb", 6, 5), "world");
  EXPECT_EQ(*store_->GetRange("segments/0/a.kb", 11, 0), "");
  EXPECT_EQ(store_->GetRange("segments/0/a.kb", 6, 6).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(store_->Get("segments/0/missing").status().code(), absl::StatusCode::kNotFound);

  auto listed = store_->List("segments/");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].key, "segments/0/a.kb");
  EXPECT_EQ((*listed)[0].size, 11u);
  EXPECT_EQ((*listed)[1].key, "segments/1/b.kb");
  EXPECT_EQ(store_->List("")->size(), 3u);
  EXPECT_EQ(store_->List("nothing/")->size(), 0u);

  ASSERT_TRUE(store_->Put("segments/0/a.kb", "replaced").ok());
  EXPECT_EQ(*store_->Get("segments/0/a.kb"), "replaced");
  ASSERT_TRUE(store_->Delete("segments/0/a.kb").ok());
  ASSERT_TRUE(store_->Delete("segments/0/a.kb").ok()) << "deleting twice is fine";
  EXPECT_EQ(store_->List("segments/")->size(), 1u);
}

TEST_P(ObjectStoreContractTest, RejectsKeysThatEscape) {
  for (const char* key : {"", "/abs", "a/../b", "a//b", "./a", "a/b/", "sp ace"}) {
    EXPECT_EQ(store_->Put(key, "x").code(), absl::StatusCode::kInvalidArgument) << key;
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, ObjectStoreContractTest, ::testing::Values("memory", "local"));

TEST(LocalObjectStoreTest, IgnoresAndCleansTemporaryFilesOfACrashedPut) {
  const std::string dir = TempDir("tmpfiles");
  fs::create_directories(dir + "/segments/0");
  { std::ofstream(dir + "/segments/0/x.kb.tmp-123-1") << "half"; }
  auto store = OpenLocalObjectStore(dir);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->List("")->size(), 0u);
  EXPECT_FALSE(fs::exists(dir + "/segments/0/x.kb.tmp-123-1"));
  fs::remove_all(dir);
}

TEST(LocalObjectStoreTest, ReadOnlyLeavesTheWritersFilesAlone) {
  const std::string dir = TempDir("readonly");
  fs::create_directories(dir + "/segments/0");
  { std::ofstream(dir + "/segments/0/x.kb.tmp-123-1") << "being written"; }
  { std::ofstream(dir + "/segments/0/y.kb") << "done"; }
  LocalObjectStoreOptions options;
  options.read_only = true;
  auto store = OpenLocalObjectStore(dir, options);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_TRUE(fs::exists(dir + "/segments/0/x.kb.tmp-123-1"));
  EXPECT_EQ(*(*store)->Get("segments/0/y.kb"), "done");
  EXPECT_EQ((*store)->Put("segments/0/z.kb", "no").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ((*store)->Delete("segments/0/y.kb").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(fs::exists(dir + "/segments/0/y.kb"));
  EXPECT_EQ(OpenLocalObjectStore(dir + "/missing", options).status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(fs::exists(dir + "/missing"));
  fs::remove_all(dir);
}

TEST(LocalObjectStoreTest, ErrorsNameThePath) {
  auto store = OpenLocalObjectStore("/proc/kiln-cannot-create-this");
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("/proc/kiln-cannot-create-this"), std::string::npos);
}

TEST(FaultInjectingObjectStoreTest, FailsTearsAndCorruptsOnTheNthCall) {
  MemoryObjectStore base;
  FaultInjectingObjectStore store(&base);
  store.Arm(FaultInjectingObjectStore::Op::kPut, FaultInjectingObjectStore::Fault::kFail, 2);
  EXPECT_TRUE(store.Put("a", "1").ok());
  EXPECT_FALSE(store.Put("b", "2").ok());
  EXPECT_TRUE(store.Put("c", "3").ok()) << "not sticky";
  EXPECT_EQ(base.List("")->size(), 2u);

  store.Arm(FaultInjectingObjectStore::Op::kPut, FaultInjectingObjectStore::Fault::kTorn);
  EXPECT_FALSE(store.Put("d", "abcdef").ok());
  EXPECT_EQ(*base.Get("d"), "abc");

  store.Arm(FaultInjectingObjectStore::Op::kGet, FaultInjectingObjectStore::Fault::kCorrupt, 1, false, "d");
  EXPECT_EQ(*store.Get("a"), "1") << "key filter";
  EXPECT_NE(*store.Get("d"), "abc");
  EXPECT_EQ(*store.Get("d"), "abc");
  EXPECT_EQ(store.fired(), 3);

  store.Arm(FaultInjectingObjectStore::Op::kList, FaultInjectingObjectStore::Fault::kFail, 1, true);
  EXPECT_FALSE(store.List("").ok());
  EXPECT_FALSE(store.List("").ok());
  store.Disarm();
  EXPECT_TRUE(store.List("").ok());
}

}  // namespace
}  // namespace kiln::storage
