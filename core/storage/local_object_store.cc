#include "kiln/storage/local_object_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace kiln::storage {
namespace {

namespace fs = std::filesystem;

constexpr char kTempMarker[] = ".tmp-";

absl::Status ErrnoError(std::string_view what, const std::string& path, int err) {
  std::string message = absl::StrCat(std::string(what), " ", path, ": ", std::strerror(err));
  if (err == ENOENT) return absl::NotFoundError(message);
  if (err == ENOSPC || err == EDQUOT) return absl::ResourceExhaustedError(message);
  return absl::UnavailableError(message);
}

absl::Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("writing", path, errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("opening directory", dir, errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return ErrnoError("syncing directory", dir, err);
  return absl::OkStatus();
}

class LocalObjectStore : public ObjectStore {
 public:
  LocalObjectStore(std::string root, LocalObjectStoreOptions options)
      : root_(std::move(root)), options_(options) {}

  absl::Status Put(std::string_view key, std::string_view data) override {
    if (options_.read_only) return ReadOnly();
    if (auto s = ValidateObjectKey(key); !s.ok()) return s;
    const std::string path = Path(key);
    const std::string dir = fs::path(path).parent_path().string();
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return absl::UnavailableError(absl::StrCat("creating ", dir, ": ", ec.message()));
    const std::string tmp = absl::StrCat(path, kTempMarker, ::getpid(), "-", ++temp_counter_);
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return ErrnoError("creating", tmp, errno);
    absl::Status status = WriteAll(fd, data, tmp);
    if (status.ok() && options_.sync && ::fsync(fd) != 0) status = ErrnoError("syncing", tmp, errno);
    if (::close(fd) != 0 && status.ok()) status = ErrnoError("closing", tmp, errno);
    if (status.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
      status = ErrnoError("renaming into place", path, errno);
    }
    if (!status.ok()) {
      ::unlink(tmp.c_str());
      return status;
    }
    if (options_.sync) return SyncDirectory(dir);
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> Get(std::string_view key) override {
    if (auto s = ValidateObjectKey(key); !s.ok()) return s;
    return ReadRange(Path(key), 0, UINT64_MAX);
  }

  absl::StatusOr<std::string> GetRange(std::string_view key, uint64_t offset,
                                       uint64_t length) override {
    if (auto s = ValidateObjectKey(key); !s.ok()) return s;
    return ReadRange(Path(key), offset, length);
  }

  absl::StatusOr<std::vector<ObjectInfo>> List(std::string_view prefix) override {
    std::vector<ObjectInfo> out;
    // Walk only the deepest directory the prefix names fully.
    const size_t slash = prefix.rfind('/');
    const std::string dir = slash == std::string_view::npos
                                ? root_
                                : absl::StrCat(root_, "/", std::string(prefix.substr(0, slash)));
    std::error_code ec;
    if (!fs::exists(dir, ec)) return out;
    fs::recursive_directory_iterator it(dir, ec), end;
    if (ec) return absl::UnavailableError(absl::StrCat("listing ", dir, ": ", ec.message()));
    for (; it != end; it.increment(ec)) {
      if (ec) return absl::UnavailableError(absl::StrCat("listing ", dir, ": ", ec.message()));
      if (!it->is_regular_file(ec)) continue;
      std::string key = fs::relative(it->path(), root_, ec).generic_string();
      if (ec || !std::string_view(key).starts_with(prefix) || (std::string_view(key).find(kTempMarker) != std::string_view::npos)) continue;
      const auto size = it->file_size(ec);
      if (ec) continue;  // deleted while listing
      out.push_back({std::move(key), size});
    }
    std::sort(out.begin(), out.end(), [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
    return out;
  }

  absl::Status Delete(std::string_view key) override {
    if (options_.read_only) return ReadOnly();
    if (auto s = ValidateObjectKey(key); !s.ok()) return s;
    const std::string path = Path(key);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return ErrnoError("deleting", path, errno);
    // Empty parent directories are left; they cost nothing and racing
    // writers may be about to use them.
    return absl::OkStatus();
  }

  std::string Describe() const override { return absl::StrCat("local directory ", root_); }

  absl::Status RemoveTemporaries() {
    std::error_code ec;
    for (fs::recursive_directory_iterator it(root_, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file(ec) && (std::string_view(it->path().filename().string()).find(kTempMarker) != std::string_view::npos)) {
        fs::remove(it->path(), ec);
      }
    }
    if (ec) return absl::UnavailableError(absl::StrCat("scanning ", root_, ": ", ec.message()));
    return absl::OkStatus();
  }

 private:
  absl::Status ReadOnly() const {
    return absl::FailedPreconditionError(absl::StrCat("local directory ", root_, " is opened read-only"));
  }
  std::string Path(std::string_view key) const { return absl::StrCat(root_, "/", std::string(key)); }

  absl::StatusOr<std::string> ReadRange(const std::string& path, uint64_t offset, uint64_t length) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoError("opening", path, errno);
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      const int err = errno;
      ::close(fd);
      return ErrnoError("stat", path, err);
    }
    const uint64_t size = static_cast<uint64_t>(st.st_size);
    if (length == UINT64_MAX) {
      length = size > offset ? size - offset : 0;
    } else if (offset > size || length > size - offset) {
      ::close(fd);
      return absl::OutOfRangeError(absl::StrCat("reading ", path, ": range [", offset, ", +", length,
                                                ") past the end of a ", size, "-byte object"));
    }
    std::string out(length, '\0');
    uint64_t done = 0;
    while (done < length) {
      const ssize_t n = ::pread(fd, out.data() + done, length - done, static_cast<off_t>(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const int err = n < 0 ? errno : EIO;
        ::close(fd);
        return ErrnoError("reading", path, err);
      }
      done += static_cast<uint64_t>(n);
    }
    ::close(fd);
    return out;
  }

  const std::string root_;
  const LocalObjectStoreOptions options_;
  std::atomic<uint64_t> temp_counter_{0};
};

}  // namespace

absl::StatusOr<std::unique_ptr<ObjectStore>> OpenLocalObjectStore(const std::string& root,
                                                                  LocalObjectStoreOptions options) {
  if (root.empty()) return absl::InvalidArgumentError("local object store: empty directory path");
  std::error_code ec;
  if (options.read_only) {
    if (!fs::is_directory(root, ec)) {
      return absl::NotFoundError(absl::StrCat("object directory ", root, " does not exist"));
    }
    const std::string absolute = fs::absolute(root, ec).lexically_normal().string();
    return std::make_unique<LocalObjectStore>(ec ? root : absolute, options);
  }
  fs::create_directories(root, ec);
  if (ec) return absl::UnavailableError(absl::StrCat("creating data directory ", root, ": ", ec.message()));
  const std::string absolute = fs::absolute(root, ec).lexically_normal().string();
  auto store = std::make_unique<LocalObjectStore>(ec ? root : absolute, options);
  if (auto s = store->RemoveTemporaries(); !s.ok()) return s;
  if (::access(root.c_str(), W_OK) != 0) return ErrnoError("data directory is not writable:", root, errno);
  return store;
}

}  // namespace kiln::storage
