// Stable 64-bit fingerprints for things that are persisted or compared across
// processes (label sets, stacks). Unlike absl::Hash these never change between
// runs or builds: the value is part of Kiln's on-disk formats.
#ifndef KILN_BASE_FINGERPRINT_H_
#define KILN_BASE_FINGERPRINT_H_

#include <cstdint>
#include <string_view>

namespace kiln {

inline constexpr uint64_t kFingerprintSeed = 0xcbf29ce484222325ULL;  // FNV-1a offset basis

// FNV-1a over |data|, continuing from |seed|; chain calls to hash several fields.
constexpr uint64_t FingerprintBytes(std::string_view data, uint64_t seed = kFingerprintSeed) {
  uint64_t h = seed;
  for (char c : data) {
    h ^= static_cast<uint8_t>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

// Final avalanche (splitmix64) so that nearby inputs spread over all bits.
constexpr uint64_t FingerprintMix(uint64_t h) {
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

}  // namespace kiln

#endif  // KILN_BASE_FINGERPRINT_H_
