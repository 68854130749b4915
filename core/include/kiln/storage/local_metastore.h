// The embedded Metastore: state in memory, every commit appended to a
// journal file (length + CRC-32 framed MetastoreRecord protos, fsync'd
// before the commit returns), compacted into a snapshot file when the
// journal grows. A torn record at the journal's end — a crash mid-commit —
// is discarded: that commit never returned.
//
// When neither file exists but the object store holds blocks, the index is
// rebuilt from the objects' footers (see RebuildFromObjects).
#ifndef KILN_STORAGE_LOCAL_METASTORE_H_
#define KILN_STORAGE_LOCAL_METASTORE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "kiln/storage/metastore.h"
#include "kiln/storage/object_store.h"

namespace kiln::storage {

struct LocalMetastoreOptions {
  // Rewrite the snapshot when the journal holds this many records.
  uint32_t snapshot_every_records = 4096;
  bool sync = true;
};

// |dir| holds metastore.journal and metastore.snapshot. |store| is only
// read, to rebuild a lost index.
absl::StatusOr<std::unique_ptr<Metastore>> OpenLocalMetastore(const std::string& dir, ObjectStore* store,
                                                              LocalMetastoreOptions options = {});

// A read-only view of a metastore another process writes (a stateless
// reader beside `kiln server`): the files are never written; the index is
// reloaded when they change, checked at most once per |reload_interval|.
// Writes answer FailedPrecondition. NotFound when |dir| does not exist.
absl::StatusOr<std::unique_ptr<Metastore>> OpenLocalMetastoreReader(
    const std::string& dir, absl::Duration reload_interval = absl::Seconds(1));

// What a rebuild found: the visible blocks (every readable object not
// superseded by a block compacted from it), the superseded ones still
// present, and the objects that could not be read.
struct RebuiltIndex {
  std::vector<v1::BlockMeta> visible;
  std::vector<v1::BlockMeta> superseded;
  // "key: why" for objects that cannot be read or belong to an unfinished
  // compaction; they stay invisible (garbage collection deletes them).
  std::vector<std::string> unreadable;
};
absl::StatusOr<RebuiltIndex> RebuildFromObjects(ObjectStore* store);

}  // namespace kiln::storage

#endif  // KILN_STORAGE_LOCAL_METASTORE_H_
