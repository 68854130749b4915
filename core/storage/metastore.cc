#include "kiln/storage/metastore.h"

namespace kiln::storage {

bool BlockOverlaps(const v1::BlockMeta& meta, std::string_view tenant, int64_t start_nanos, int64_t end_nanos) {
  for (const v1::DatasetMeta& d : meta.datasets()) {
    if (!tenant.empty() && d.tenant() != tenant) continue;
    if (d.max_time_nanos() >= start_nanos && d.min_time_nanos() <= end_nanos) return true;
  }
  return false;
}

}  // namespace kiln::storage
