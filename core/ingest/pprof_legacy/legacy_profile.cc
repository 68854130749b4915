#include "core/ingest/pprof_legacy/legacy_profile.h"

namespace kiln::pprof_legacy {

uint32_t LegacyProfile::LocationAt(uint64_t address) {
  auto [it, inserted] = by_address_.try_emplace(address, static_cast<uint32_t>(locations.size()));
  if (inserted) locations.push_back(LegacyLocation{.address = address});
  return it->second;
}

}  // namespace kiln::pprof_legacy
