#include "kiln/base/gzip.h"

#include <libdeflate.h>

#include <algorithm>
#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "fmt/format.h"
#include "kiln/base/status_macros.h"

namespace kiln {
namespace {

struct DecompressorDeleter {
  void operator()(libdeflate_decompressor* d) const { libdeflate_free_decompressor(d); }
};
struct CompressorDeleter {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};

// Deflate cannot expand data by more than about 1032:1 (a 258-byte match
// in about two bits); anything beyond that from |compressed| bytes is a
// truncated or corrupt stream, whatever its trailer claims.
constexpr size_t kMaxDeflateRatio = 1032;
size_t MostOutputFrom(size_t compressed) { return compressed * kMaxDeflateRatio + 4096; }

// ISIZE, the last four bytes of a member, is the uncompressed size mod 2^32:
// a good first guess for the output buffer when there is one member. Not
// trusted past what the input could hold: a truncated body's last bytes
// are arbitrary, and must not make us allocate a gigabyte.
size_t SizeHint(std::string_view data) {
  if (data.size() < 18) return 4096;
  const auto* p = reinterpret_cast<const uint8_t*>(data.data() + data.size() - 4);
  uint32_t isize = uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
  return std::clamp<size_t>(isize, 4096, MostOutputFrom(data.size()));
}

}  // namespace

bool IsGzip(std::string_view data) {
  return data.size() >= 2 && static_cast<uint8_t>(data[0]) == 0x1f &&
         static_cast<uint8_t>(data[1]) == 0x8b;
}

absl::StatusOr<std::string> Gunzip(std::string_view data, size_t max_output) {
  std::string out;
  RETURN_IF_ERROR(GunzipInto(data, max_output, &out));
  return out;
}

absl::Status GunzipInto(std::string_view data, size_t max_output, std::string* out_string) {
  // One decompressor per thread: allocation is a measurable share of small bodies.
  thread_local std::unique_ptr<libdeflate_decompressor, DecompressorDeleter> decompressor(
      libdeflate_alloc_decompressor());
  std::string& out = *out_string;
  out.clear();
  size_t in_pos = 0;
  size_t capacity = std::min(SizeHint(data), max_output);
  int member = 0;
  while (in_pos < data.size()) {
    if (!IsGzip(data.substr(in_pos))) {
      if (member > 0 && data.substr(in_pos).find_first_not_of('\0') == std::string_view::npos) {
        break;  // zero padding after the last member, as tar and some writers leave
      }
      return absl::InvalidArgumentError(
          fmt::format("gzip: no gzip member at byte {} (magic 1f 8b expected)", in_pos));
    }
    const size_t base = out.size();
    while (true) {
      out.resize(base + capacity);
      size_t in_used = 0, out_used = 0;
      libdeflate_result r = libdeflate_gzip_decompress_ex(
          decompressor.get(), data.data() + in_pos, data.size() - in_pos, out.data() + base,
          capacity, &in_used, &out_used);
      if (r == LIBDEFLATE_SUCCESS) {
        out.resize(base + out_used);
        in_pos += in_used;
        break;
      }
      if (r == LIBDEFLATE_INSUFFICIENT_SPACE) {
        if (capacity >= MostOutputFrom(data.size() - in_pos)) {
          // libdeflate reads zeros past a truncated end and keeps inflating.
          return absl::InvalidArgumentError(fmt::format(
              "gzip: member {} starting at byte {} is truncated or corrupt (it inflates past {} bytes, "
              "more than deflate can encode in its {} bytes)",
              member, in_pos, capacity, data.size() - in_pos));
        }
        if (base + capacity >= max_output) {
          return absl::ResourceExhaustedError(fmt::format(
              "gzip: decompressed size exceeds the limit of {} bytes", max_output));
        }
        capacity = std::min(capacity * 2, max_output - base);
        continue;
      }
      return absl::InvalidArgumentError(fmt::format(
          "gzip: corrupt deflate data in member {} starting at byte {}", member, in_pos));
    }
    ++member;
    capacity = std::max<size_t>(4096, std::min(capacity, max_output - out.size()));
  }
  return absl::OkStatus();
}

std::string Gzip(std::string_view data, int level) {
  std::unique_ptr<libdeflate_compressor, CompressorDeleter> c(libdeflate_alloc_compressor(level));
  std::string out(libdeflate_gzip_compress_bound(c.get(), data.size()), '\0');
  size_t n = libdeflate_gzip_compress(c.get(), data.data(), data.size(), out.data(), out.size());
  out.resize(n);
  return out;
}

}  // namespace kiln
