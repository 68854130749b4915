// ObjectStore on a local directory (Kiln's default). Put writes a temporary
// file, fsyncs it, renames it over the key and fsyncs the directory, so an
// object is either complete or absent after a crash. Temporary files left by
// a crash ("*.tmp-*") are ignored by List and removed by Open.
#ifndef KILN_STORAGE_LOCAL_OBJECT_STORE_H_
#define KILN_STORAGE_LOCAL_OBJECT_STORE_H_

#include <memory>
#include <string>

#include "kiln/storage/object_store.h"

namespace kiln::storage {

struct LocalObjectStoreOptions {
  // fsync files and directories on Put (turn off only in benchmarks that
  // measure something else).
  bool sync = true;
  // A reader beside the writing process: the directory must exist, Open
  // leaves the writer's temporaries alone, Put and Delete answer
  // FailedPrecondition.
  bool read_only = false;
};

// Creates |root| when missing. Fails when it cannot be created or written.
absl::StatusOr<std::unique_ptr<ObjectStore>> OpenLocalObjectStore(
    const std::string& root, LocalObjectStoreOptions options = {});

}  // namespace kiln::storage

#endif  // KILN_STORAGE_LOCAL_OBJECT_STORE_H_
