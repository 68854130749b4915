// The stack addresses of a text record: every "0x[0-9a-f]+" in the text, in
// order (google/pprof's parseHexAddresses; uppercase digits end a number).
#ifndef KILN_INGEST_PPROF_LEGACY_HEX_ADDRESSES_H_
#define KILN_INGEST_PPROF_LEGACY_HEX_ADDRESSES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace kiln::pprof_legacy {

// Appends to |out|; an address wider than 64 bits is an error naming it.
absl::Status ParseHexAddresses(std::string_view text, std::vector<uint64_t>* out);

}  // namespace kiln::pprof_legacy

#endif  // KILN_INGEST_PPROF_LEGACY_HEX_ADDRESSES_H_
