#include "kiln/storage/block_id.h"

#include <random>

#include "absl/synchronization/mutex.h"

namespace kiln::storage {
namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int AlphabetIndex(char c) {
  for (int i = 0; i < 32; ++i) {
    if (kAlphabet[i] == c) return i;
  }
  return -1;
}

}  // namespace

std::string NewBlockId(int64_t unix_millis) {
  static absl::Mutex mu;
  static std::mt19937_64* rng = new std::mt19937_64(std::random_device{}());
  uint64_t r1, r2;
  {
    absl::MutexLock lock(&mu);
    r1 = (*rng)();
    r2 = (*rng)();
  }
  std::string id(26, '0');
  uint64_t t = static_cast<uint64_t>(unix_millis) & ((uint64_t{1} << 48) - 1);
  for (int i = 9; i >= 0; --i) {
    id[i] = kAlphabet[t & 31];
    t >>= 5;
  }
  // 80 random bits: 16 characters of 5 bits.
  for (int i = 25; i >= 10; --i) {
    id[i] = kAlphabet[r1 & 31];
    r1 = (r1 >> 5) | (r2 << 59);
    r2 >>= 5;
  }
  return id;
}

int64_t BlockIdMillis(std::string_view id) {
  if (id.size() != 26) return -1;
  uint64_t t = 0;
  for (int i = 0; i < 26; ++i) {
    const int v = AlphabetIndex(id[i]);
    if (v < 0) return -1;
    if (i < 10) t = t << 5 | static_cast<uint64_t>(v);
  }
  return static_cast<int64_t>(t);
}

}  // namespace kiln::storage
