// gzip framing for profile payloads (pprof on disk, SDK bodies, *.gz corpus
// files). Decompression is bounded: |max_output| protects every caller from
// a small body that inflates into gigabytes.
#ifndef KILN_BASE_GZIP_H_
#define KILN_BASE_GZIP_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace kiln {

// True when |data| starts with the gzip magic bytes 1f 8b.
bool IsGzip(std::string_view data);

// Inflates every gzip member in |data| (concatenated members are legal and
// occur). Fails with InvalidArgument on corrupt input and ResourceExhausted
// when the output would exceed |max_output| bytes.
absl::StatusOr<std::string> Gunzip(std::string_view data, size_t max_output);
// The same into |out| (replacing its contents), reusing its capacity: a
// caller that inflates body after body keeps one buffer instead of faulting
// in fresh pages for each. On error |out| holds no meaningful data.
absl::Status GunzipInto(std::string_view data, size_t max_output, std::string* out);

// Compresses |data| into one gzip member at |level| (1..12, libdeflate).
std::string Gzip(std::string_view data, int level = 6);

}  // namespace kiln

#endif  // KILN_BASE_GZIP_H_
