// A child process ingests continuously — segment writer flushing every few
// milliseconds, a compactor merging and collecting garbage beside it — and
// is killed with SIGKILL at random moments, at least 20 times, some of them
// mid-compaction. After every kill the parent reopens the data directory
// and checks: every acknowledged profile is visible exactly once, nothing
// is visible twice, and every visible object reads back with valid
// checksums.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include "core/storage/storage_test_profiles.h"
#include "kiln/storage/block.h"
#include "kiln/storage/compactor.h"
#include "kiln/storage/local_metastore.h"
#include "kiln/storage/local_object_store.h"
#include "kiln/storage/segment_writer.h"

namespace kiln::storage {
namespace {

namespace fs = std::filesystem;

ProfileId IdOf(uint64_t n) {
  ProfileId id{};
  for (int i = 0; i < 8; ++i) id[8 + i] = static_cast<uint8_t>(n >> (56 - 8 * i));
  id[0] = 0x4b;  // never all zero
  return id;
}

uint64_t NumberOf(const ProfileId& id) {
  uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n = n << 8 | id[8 + i];
  return n;
}

void AppendLine(const std::string& path, const std::string& line) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
  if (fd < 0) _exit(3);
  // One write() per line: a SIGKILL cannot tear it (the page cache keeps
  // what write returned for).
  if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(3);
  ::close(fd);
}

// The child: never returns.
[[noreturn]] void RunChild(const std::string& dir, uint64_t first_number) {
  auto store = OpenLocalObjectStore(dir + "/objects");
  if (!store.ok()) _exit(2);
  auto metastore = OpenLocalMetastore(dir + "/meta", store->get());
  if (!metastore.ok()) _exit(2);
  std::atomic<bool> stop{false};
  std::thread compaction([&] {
    CompactorOptions options;
    options.levels = {{4, absl::ZeroDuration()}, {3, absl::ZeroDuration()}, {3, absl::ZeroDuration()}};
    options.delete_delay = absl::ZeroDuration();
    Compactor compactor(store->get(), metastore->get(), options);
    while (!stop) {
      AppendLine(dir + "/phase", "C");
      (void)compactor.RunOnce(absl::Now());
      (void)compactor.CollectGarbage(absl::Now());
      AppendLine(dir + "/phase", "c");
      std::this_thread::sleep_for(std::chrono::milliseconds(3));
    }
  });
  SegmentWriterOptions options;
  options.segment_duration = absl::Milliseconds(5);
  SegmentWriter writer(store->get(), metastore->get(), options);
  const Profile profile = testing::SmallCpuProfile(1);
  for (uint64_t n = first_number;; ++n) {
    IngestedProfile in{LabelSet{{"service_name", n % 2 ? "api" : "db"}, {"pod", std::to_string(n % 5)}}, IdOf(n),
                       &profile};
    if (writer.Write("t", {&in, 1}).ok()) AppendLine(dir + "/acked", std::to_string(n) + "\n");
  }
}

TEST(StorageCrashTest, AcknowledgedProfilesSurviveSigkillExactlyOnce) {
  const std::string dir = (fs::temp_directory_path() / ("kiln-crash-" + std::to_string(::getpid()))).string();
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::mt19937 rng(12345);
  uint64_t next_number = 1;
  int kills = 0, kills_mid_compaction = 0;
  std::set<uint64_t> acked;
  for (int round = 0; round < 24; ++round) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) RunChild(dir, next_number);
    std::this_thread::sleep_for(std::chrono::milliseconds(60 + rng() % 240));
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child exited by itself with " << WEXITSTATUS(status);
    ++kills;
    {
      std::ifstream phase(dir + "/phase");
      std::string marks((std::istreambuf_iterator<char>(phase)), {});
      if (!marks.empty() && marks.back() == 'C') ++kills_mid_compaction;
      fs::remove(dir + "/phase");
    }
    std::ifstream acked_file(dir + "/acked");
    for (uint64_t n; acked_file >> n;) acked.insert(n);

    // Reopen as a restarted server would, and count what is visible.
    auto store = OpenLocalObjectStore(dir + "/objects");
    ASSERT_TRUE(store.ok()) << store.status();
    auto metastore = OpenLocalMetastore(dir + "/meta", store->get());
    ASSERT_TRUE(metastore.ok()) << metastore.status();
    std::map<uint64_t, int> seen;  // profile number -> rows of type "cpu"
    for (const BlockMetaPtr& meta : (*metastore)->ListBlocks()) {
      auto reader = BlockReader::Open(store->get(), meta->key(), meta->size());
      ASSERT_TRUE(reader.ok()) << "round " << round << ": " << reader.status();
      for (int i = 0; i < reader->meta().datasets_size(); ++i) {
        auto d = reader->ReadDataset(i);  // every section, checksums verified
        ASSERT_TRUE(d.ok()) << "round " << round << ": " << d.status();
        for (const ProfileRow& row : d->profiles) {
          if (d->series[row.series].Get("__type__") == "cpu") ++seen[NumberOf(row.id)];
        }
      }
    }
    for (uint64_t n : acked) {
      ASSERT_EQ(seen[n], 1) << "round " << round << ": acknowledged profile " << n << " visible " << seen[n] << " times";
    }
    for (const auto& [n, count] : seen) ASSERT_EQ(count, 1) << "round " << round << ": profile " << n;
    next_number = (seen.empty() ? next_number : std::max(next_number, seen.rbegin()->first + 1)) + 1000000;
  }
  EXPECT_GE(kills, 20);
  EXPECT_GT(acked.size(), 100u) << "the child made progress between kills";
  std::cout << "crash test: " << kills << " SIGKILLs (" << kills_mid_compaction << " during a compaction or GC pass), "
            << acked.size() << " acknowledged profiles all visible exactly once\n";
  EXPECT_GT(kills_mid_compaction, 0) << "no kill landed during compaction; the test proves less than it claims";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace kiln::storage
