// Block ids are ULIDs: 48-bit millisecond time + 80 random bits in
// Crockford base32, so ids sort by creation time and never collide between
// writers that share a bucket.
#ifndef KILN_STORAGE_BLOCK_ID_H_
#define KILN_STORAGE_BLOCK_ID_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace kiln::storage {

std::string NewBlockId(int64_t unix_millis);
// The creation time encoded in |id|, or -1 when |id| is not a ULID.
int64_t BlockIdMillis(std::string_view id);

}  // namespace kiln::storage

#endif  // KILN_STORAGE_BLOCK_ID_H_
