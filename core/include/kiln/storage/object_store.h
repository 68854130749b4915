// Where every stored byte goes: a flat namespace of immutable objects, as in
// S3. Keys are '/'-separated relative paths ("segments/0/01J….kb").
//
// Contract every implementation keeps:
//  1. Put is atomic and durable: when it returns OK the whole object is
//     readable, now and after a crash; when it fails, readers see either no
//     object or a previous complete one — never a torn one.
//  2. Objects are never modified in place; Put on an existing key replaces it
//     atomically (Kiln only does this for idempotent retries).
//  3. Get of a missing key fails with NotFound; errors name the key.
// Thread safety: every method may be called concurrently.
#ifndef KILN_STORAGE_OBJECT_STORE_H_
#define KILN_STORAGE_OBJECT_STORE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace kiln::storage {

struct ObjectInfo {
  std::string key;
  uint64_t size = 0;
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  virtual absl::Status Put(std::string_view key, std::string_view data) = 0;
  virtual absl::StatusOr<std::string> Get(std::string_view key) = 0;
  // Bytes [offset, offset+length) of the object; fails with OutOfRange when
  // the range extends past the end.
  virtual absl::StatusOr<std::string> GetRange(std::string_view key, uint64_t offset,
                                               uint64_t length) = 0;
  // Objects whose key starts with |prefix|, sorted by key.
  virtual absl::StatusOr<std::vector<ObjectInfo>> List(std::string_view prefix) = 0;
  // Deleting a missing key is not an error (deletes are retried).
  virtual absl::Status Delete(std::string_view key) = 0;
  // What the store is, for messages ("local directory /var/lib/kiln").
  virtual std::string Describe() const = 0;
};

// Validates a key: non-empty, relative, no "." or ".." components, no empty
// components, printable ASCII. Stores call it so a bad key is an error, not a
// write outside the store.
absl::Status ValidateObjectKey(std::string_view key);

}  // namespace kiln::storage

#endif  // KILN_STORAGE_OBJECT_STORE_H_
