#include "core/storage/high_word_sort.h"

#include <algorithm>
#include <array>
#include <bit>

namespace kiln::storage {

void StableSortByHighWord(std::vector<uint64_t>& keys, uint32_t max_high, std::vector<uint64_t>& scratch) {
  const size_t n = keys.size();
  if (n < 64) {
    // Below this, the passes' bucket arrays cost more than the compares.
    std::stable_sort(keys.begin(), keys.end(), [](uint64_t a, uint64_t b) { return (a >> 32) < (b >> 32); });
    return;
  }
  scratch.resize(n);
  const int bits = std::bit_width(max_high);
  for (int shift = 32; shift < 32 + bits; shift += 8) {
    std::array<uint32_t, 256> count{};
    for (uint64_t k : keys) ++count[(k >> shift) & 0xff];
    // A byte every key shares moves nothing.
    if (count[(keys[0] >> shift) & 0xff] == n) continue;
    uint32_t sum = 0;
    for (uint32_t& c : count) {
      const uint32_t here = c;
      c = sum;
      sum += here;
    }
    for (uint64_t k : keys) scratch[count[(k >> shift) & 0xff]++] = k;
    keys.swap(scratch);
  }
}

}  // namespace kiln::storage
