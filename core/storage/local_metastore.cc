#include "kiln/storage/local_metastore.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <libdeflate.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "kiln/storage/block.h"

namespace kiln::storage {
namespace {

namespace fs = std::filesystem;

constexpr char kJournal[] = "metastore.journal";
constexpr char kSnapshot[] = "metastore.snapshot";
constexpr size_t kFrameHeader = 8;
constexpr uint32_t kMaxRecordBytes = 256u << 20;

uint32_t Crc32(std::string_view data) { return libdeflate_crc32(0, data.data(), data.size()); }

void AppendFrame(std::string_view payload, std::string* out) {
  const uint32_t words[2] = {static_cast<uint32_t>(payload.size()), Crc32(payload)};
  for (uint32_t w : words) {
    for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(w >> (8 * i)));
  }
  out->append(payload);
}

uint32_t ReadWord(std::string_view s) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<uint8_t>(s[i])) << (8 * i);
  return v;
}

absl::Status ErrnoStatus(std::string_view what, const std::string& path) {
  return absl::UnavailableError(absl::StrCat(std::string(what), " ", path, ": ", std::strerror(errno)));
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(path);
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return absl::UnavailableError(absl::StrCat("reading ", path));
  return buf.str();
}

// Writes |data| to |path| atomically (temp file, fsync, rename, fsync dir).
absl::Status WriteFileAtomically(const std::string& path, std::string_view data, bool sync) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus("creating", tmp);
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      absl::Status s = ErrnoStatus("writing", tmp);
      ::close(fd);
      return s;
    }
    done += static_cast<size_t>(n);
  }
  if (sync && ::fsync(fd) != 0) {
    absl::Status s = ErrnoStatus("syncing", tmp);
    ::close(fd);
    return s;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return ErrnoStatus("renaming", tmp);
  if (sync) {
    const int dfd = ::open(fs::path(path).parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      ::fsync(dfd);
      ::close(dfd);
    }
  }
  return absl::OkStatus();
}

class LocalMetastore : public Metastore {
 public:
  LocalMetastore(std::string dir, LocalMetastoreOptions options) : dir_(std::move(dir)), options_(options) {}
  ~LocalMetastore() override {
    if (journal_fd_ >= 0) ::close(journal_fd_);
  }

  // Loads snapshot + journal; reports whether either existed. |writable|:
  // also opens the journal for appending, dropping a torn tail; a reader
  // leaves the files alone (a torn tail may be a commit being written).
  absl::StatusOr<bool> Load(bool writable = true) {
    absl::MutexLock lock(&mu_);
    bool found = false;
    auto snapshot = ReadWholeFile(Path(kSnapshot));
    if (snapshot.ok()) {
      found = true;
      auto records = ParseFrames(*snapshot, Path(kSnapshot), /*tolerate_torn_tail=*/false);
      if (!records.ok()) return records.status();
      if (records->size() != 1) return absl::DataLossError(absl::StrCat(Path(kSnapshot), ": expected one record"));
      v1::MetastoreSnapshot s;
      if (!s.ParseFromString((*records)[0])) return absl::DataLossError(absl::StrCat(Path(kSnapshot), ": does not parse"));
      for (const v1::BlockMeta& b : s.blocks()) blocks_[b.id()] = std::make_shared<const v1::BlockMeta>(b);
      for (const auto& t : s.tombstones()) tombstones_[t.id()] = Tombstone{t.id(), t.key(), t.delete_after_nanos()};
    }
    auto journal = ReadWholeFile(Path(kJournal));
    size_t valid_bytes = 0;
    if (journal.ok()) {
      found = true;
      auto records = ParseFrames(*journal, Path(kJournal), /*tolerate_torn_tail=*/true, &valid_bytes);
      if (!records.ok()) return records.status();
      for (const std::string& payload : *records) {
        v1::MetastoreRecord record;
        if (!record.ParseFromString(payload)) {
          return absl::DataLossError(absl::StrCat(Path(kJournal), ": a record with a valid checksum does not parse"));
        }
        Apply(record);
      }
      journal_records_ = records->size();
    }
    if (!writable) return found;
    journal_fd_ = ::open(Path(kJournal).c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (journal_fd_ < 0) return ErrnoStatus("opening", Path(kJournal));
    // Drop a torn tail so new records follow the last complete one.
    if (::ftruncate(journal_fd_, static_cast<off_t>(valid_bytes)) != 0) return ErrnoStatus("truncating", Path(kJournal));
    if (::lseek(journal_fd_, 0, SEEK_END) < 0) return ErrnoStatus("seeking", Path(kJournal));
    return found;
  }

  absl::Status ReplaceBlocks(std::span<const v1::BlockMeta> add, std::span<const std::string> remove,
                             int64_t delete_after_nanos) override {
    v1::MetastoreRecord record;
    for (const v1::BlockMeta& b : add) *record.add_add() = b;
    for (const std::string& id : remove) record.add_remove(id);
    record.set_delete_after_nanos(delete_after_nanos);
    return Commit(record);
  }

  absl::Status ForgetTombstones(std::span<const std::string> ids) override {
    v1::MetastoreRecord record;
    for (const std::string& id : ids) record.add_forget(id);
    return Commit(record);
  }

  std::vector<BlockMetaPtr> QueryBlocks(std::string_view tenant, int64_t start_nanos,
                                        int64_t end_nanos) const override {
    absl::MutexLock lock(&mu_);
    std::vector<BlockMetaPtr> out;
    for (const auto& [id, meta] : blocks_) {
      if (BlockOverlaps(*meta, tenant, start_nanos, end_nanos)) out.push_back(meta);
    }
    return out;
  }

  std::vector<BlockMetaPtr> ListBlocks() const override {
    absl::MutexLock lock(&mu_);
    std::vector<BlockMetaPtr> out;
    for (const auto& [id, meta] : blocks_) out.push_back(meta);
    return out;
  }

  std::vector<Tombstone> ListTombstones() const override {
    absl::MutexLock lock(&mu_);
    std::vector<Tombstone> out;
    for (const auto& [id, t] : tombstones_) out.push_back(t);
    return out;
  }

 private:
  std::string Path(const char* name) const { return absl::StrCat(dir_, "/", name); }

  static absl::StatusOr<std::vector<std::string>> ParseFrames(std::string_view data, const std::string& path,
                                                              bool tolerate_torn_tail, size_t* valid_bytes = nullptr) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos < data.size()) {
      const bool complete_header = data.size() - pos >= kFrameHeader;
      const uint32_t size = complete_header ? ReadWord(data.substr(pos)) : 0;
      const bool complete = complete_header && size <= kMaxRecordBytes && data.size() - pos - kFrameHeader >= size;
      if (!complete || Crc32(data.substr(pos + kFrameHeader, size)) != ReadWord(data.substr(pos + 4))) {
        // Only the last record can be torn by a crash; a damaged record
        // with more after it is corruption, not an interrupted commit.
        const bool last = !complete || pos + kFrameHeader + size == data.size();
        if (!tolerate_torn_tail || !last) {
          return absl::DataLossError(absl::StrCat(
              path, ": damaged record at byte ", pos,
              "; remove metastore.journal and metastore.snapshot to rebuild the index from the objects"));
        }
        break;
      }
      out.emplace_back(data.substr(pos + kFrameHeader, size));
      pos += kFrameHeader + size;
    }
    if (valid_bytes) *valid_bytes = pos;
    return out;
  }

  // Adds before removes, so one record can index a block as a tombstone.
  void Apply(const v1::MetastoreRecord& record) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    for (const v1::BlockMeta& b : record.add()) blocks_[b.id()] = std::make_shared<const v1::BlockMeta>(b);
    for (const std::string& id : record.remove()) {
      auto it = blocks_.find(id);
      if (it == blocks_.end()) continue;
      tombstones_[id] = Tombstone{id, it->second->key(), record.delete_after_nanos()};
      blocks_.erase(it);
    }
    for (const std::string& id : record.forget()) tombstones_.erase(id);
  }

  absl::Status Commit(const v1::MetastoreRecord& record) {
    std::string frame;
    AppendFrame(record.SerializeAsString(), &frame);
    absl::MutexLock lock(&mu_);
    if (journal_fd_ < 0) return absl::FailedPreconditionError("metastore is not open");
    const off_t start = ::lseek(journal_fd_, 0, SEEK_END);
    size_t done = 0;
    while (done < frame.size()) {
      const ssize_t n = ::write(journal_fd_, frame.data() + done, frame.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        absl::Status s = ErrnoStatus("appending to", Path(kJournal));
        // Cut the partial record so the next commit starts clean.
        if (start >= 0) (void)::ftruncate(journal_fd_, start);
        return s;
      }
      done += static_cast<size_t>(n);
    }
    if (options_.sync && ::fdatasync(journal_fd_) != 0) {
      absl::Status s = ErrnoStatus("syncing", Path(kJournal));
      if (start >= 0) (void)::ftruncate(journal_fd_, start);
      return s;
    }
    Apply(record);
    if (++journal_records_ >= options_.snapshot_every_records) {
      // A failed snapshot leaves the journal authoritative; try next time.
      if (WriteSnapshot().ok()) journal_records_ = 0;
    }
    return absl::OkStatus();
  }

  absl::Status WriteSnapshot() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    v1::MetastoreSnapshot s;
    for (const auto& [id, meta] : blocks_) *s.add_blocks() = *meta;
    for (const auto& [id, t] : tombstones_) {
      auto* out = s.add_tombstones();
      out->set_id(t.id);
      out->set_key(t.key);
      out->set_delete_after_nanos(t.delete_after_nanos);
    }
    std::string data;
    AppendFrame(s.SerializeAsString(), &data);
    if (auto st = WriteFileAtomically(Path(kSnapshot), data, options_.sync); !st.ok()) return st;
    // Replaying the old journal over the new snapshot would be harmless
    // (every record is idempotent in order), so a crash here is safe.
    if (::ftruncate(journal_fd_, 0) != 0) return ErrnoStatus("truncating", Path(kJournal));
    ::lseek(journal_fd_, 0, SEEK_SET);
    if (options_.sync) ::fdatasync(journal_fd_);
    return absl::OkStatus();
  }

  const std::string dir_;
  const LocalMetastoreOptions options_;
  mutable absl::Mutex mu_;
  std::map<std::string, BlockMetaPtr> blocks_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Tombstone> tombstones_ ABSL_GUARDED_BY(mu_);
  int journal_fd_ ABSL_GUARDED_BY(mu_) = -1;
  uint32_t journal_records_ ABSL_GUARDED_BY(mu_) = 0;
};

// Identity and size of a file, to notice that another process changed it.
struct FileVersion {
  bool exists = false;
  ino_t inode = 0;
  off_t size = 0;
  int64_t mtime_nanos = 0;
  bool operator==(const FileVersion&) const = default;
};

FileVersion VersionOf(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return {};
  return {true, st.st_ino, st.st_size, int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec};
}

// A read-only view of another process's LocalMetastore: the index is
// reloaded (at most once per interval) when its files change. The writer
// renames a new snapshot into place and then empties the journal, so a load
// that saw the snapshot change while it read the journal is repeated.
class LocalMetastoreReader : public Metastore {
 public:
  LocalMetastoreReader(std::string dir, absl::Duration interval) : dir_(std::move(dir)), interval_(interval) {}

  absl::Status Reload() const {
    const std::string snapshot = absl::StrCat(dir_, "/", kSnapshot), journal = absl::StrCat(dir_, "/", kJournal);
    for (int attempt = 0; attempt < 5; ++attempt) {
      const FileVersion snap_before = VersionOf(snapshot), journal_before = VersionOf(journal);
      auto loaded = std::make_shared<LocalMetastore>(dir_, LocalMetastoreOptions{});
      auto found = loaded->Load(/*writable=*/false);
      if (!found.ok()) return found.status();
      if (!(VersionOf(snapshot) == snap_before)) continue;
      absl::MutexLock lock(&mu_);
      current_ = std::move(loaded);
      snapshot_version_ = snap_before;
      journal_version_ = journal_before;
      checked_ = absl::Now();
      return absl::OkStatus();
    }
    return absl::UnavailableError(absl::StrCat(dir_, ": the index kept changing while it was read; try again"));
  }

  absl::Status ReplaceBlocks(std::span<const v1::BlockMeta>, std::span<const std::string>, int64_t) override {
    return ReadOnly();
  }
  absl::Status ForgetTombstones(std::span<const std::string>) override { return ReadOnly(); }
  std::vector<BlockMetaPtr> QueryBlocks(std::string_view tenant, int64_t start_nanos,
                                        int64_t end_nanos) const override {
    return Current()->QueryBlocks(tenant, start_nanos, end_nanos);
  }
  std::vector<BlockMetaPtr> ListBlocks() const override { return Current()->ListBlocks(); }
  std::vector<Tombstone> ListTombstones() const override { return Current()->ListTombstones(); }

 private:
  absl::Status ReadOnly() const {
    return absl::FailedPreconditionError(absl::StrCat(dir_, " is opened read-only (its writer is another process)"));
  }

  // The index as of the last load, reloaded first when the files changed.
  // A failed reload keeps serving the last good index.
  std::shared_ptr<const LocalMetastore> Current() const {
    bool stale = false;
    {
      absl::MutexLock lock(&mu_);
      if (absl::Now() - checked_ >= interval_) {
        checked_ = absl::Now();
        stale = !(VersionOf(absl::StrCat(dir_, "/", kSnapshot)) == snapshot_version_) ||
                !(VersionOf(absl::StrCat(dir_, "/", kJournal)) == journal_version_);
      }
    }
    if (stale) (void)Reload();
    absl::MutexLock lock(&mu_);
    return current_;
  }

  const std::string dir_;
  const absl::Duration interval_;
  mutable absl::Mutex mu_;
  mutable std::shared_ptr<const LocalMetastore> current_ ABSL_GUARDED_BY(mu_);
  mutable FileVersion snapshot_version_ ABSL_GUARDED_BY(mu_);
  mutable FileVersion journal_version_ ABSL_GUARDED_BY(mu_);
  mutable absl::Time checked_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

absl::StatusOr<std::unique_ptr<Metastore>> OpenLocalMetastoreReader(const std::string& dir,
                                                                    absl::Duration reload_interval) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::NotFoundError(absl::StrCat(dir, " is not a directory (expected a kiln data directory's meta/)"));
  }
  auto reader = std::make_unique<LocalMetastoreReader>(dir, reload_interval);
  if (absl::Status s = reader->Reload(); !s.ok()) return s;
  return reader;
}

absl::StatusOr<RebuiltIndex> RebuildFromObjects(ObjectStore* store) {
  RebuiltIndex out;
  std::vector<v1::BlockMeta> all;
  for (const char* prefix : {"segments/", "blocks/"}) {
    auto objects = store->List(prefix);
    if (!objects.ok()) return objects.status();
    for (const ObjectInfo& object : *objects) {
      auto reader = BlockReader::Open(store, object.key, object.size, /*whole_object_bytes=*/0);
      if (!reader.ok()) {
        out.unreadable.push_back(absl::StrCat(object.key, ": ", reader.status().message()));
        continue;
      }
      v1::BlockMeta meta = reader->meta();
      meta.set_key(object.key);
      all.push_back(std::move(meta));
    }
  }
  // A compaction's inputs are superseded only if all of its outputs made it
  // into the store; outputs of an unfinished job are orphans.
  std::set<std::string> present, superseded, orphans;
  for (const v1::BlockMeta& b : all) present.insert(b.id());
  for (const v1::BlockMeta& b : all) {
    bool complete = true;
    for (const std::string& id : b.compaction_outputs()) complete = complete && present.count(id);
    if (complete) {
      superseded.insert(b.compacted_from().begin(), b.compacted_from().end());
    } else {
      orphans.insert(b.id());
    }
  }
  for (v1::BlockMeta& b : all) {
    if (orphans.count(b.id())) {
      out.unreadable.push_back(absl::StrCat(b.key(), ": output of an unfinished compaction"));
    } else {
      (superseded.count(b.id()) ? out.superseded : out.visible).push_back(std::move(b));
    }
  }
  return out;
}

absl::StatusOr<std::unique_ptr<Metastore>> OpenLocalMetastore(const std::string& dir, ObjectStore* store,
                                                              LocalMetastoreOptions options) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return absl::UnavailableError(absl::StrCat("creating metastore directory ", dir, ": ", ec.message()));
  auto metastore = std::make_unique<LocalMetastore>(dir, options);
  auto found = metastore->Load();
  if (!found.ok()) return found.status();
  if (!*found && store != nullptr) {
    auto rebuilt = RebuildFromObjects(store);
    if (!rebuilt.ok()) return rebuilt.status();
    // One commit: the visible blocks, and the superseded inputs of a
    // compaction that finished writing, indexed as tombstones so garbage
    // collection removes them.
    std::vector<v1::BlockMeta> add = rebuilt->visible;
    std::vector<std::string> remove;
    for (const auto& b : rebuilt->superseded) {
      add.push_back(b);
      remove.push_back(b.id());
    }
    if (!add.empty()) {
      if (auto s = metastore->ReplaceBlocks(add, remove, 0); !s.ok()) return s;
    }
  }
  return metastore;
}

}  // namespace kiln::storage
