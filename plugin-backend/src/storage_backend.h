// Storage mode: the core query engine over a kiln data directory that a
// `kiln server` writes (or wrote): objects/ read-only, meta/ followed as the
// server commits. Nothing in the directory is ever written.
#ifndef KILN_PLUGIN_BACKEND_SRC_STORAGE_BACKEND_H_
#define KILN_PLUGIN_BACKEND_SRC_STORAGE_BACKEND_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "plugin-backend/src/profile_backend.h"

namespace kiln::plugin {

struct StorageBackendOptions {
  std::string data_dir;  // holds objects/ and meta/
  std::string tenant = "anonymous";
  QueryLimits limits;
};

// NotFound (naming the path) when |data_dir| is not a kiln data directory.
absl::StatusOr<std::unique_ptr<ProfileBackend>> OpenStorageBackend(const StorageBackendOptions& options);

}  // namespace kiln::plugin

#endif  // KILN_PLUGIN_BACKEND_SRC_STORAGE_BACKEND_H_
