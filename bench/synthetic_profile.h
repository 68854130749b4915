// A large, deterministic CPU profile shaped like a real service's: a call
// graph of many functions in a few packages, deep stacks sharing prefixes,
// inlined frames, sample labels. Benchmarks use it so their figures do not
// depend on the corpus being present.
#ifndef KILN_BENCH_SYNTHETIC_PROFILE_H_
#define KILN_BENCH_SYNTHETIC_PROFILE_H_

#include <cstdint>

#include "kiln/model/profile.h"

namespace kiln::bench {

struct SyntheticProfileOptions {
  uint32_t samples = 50000;
  uint32_t functions = 4000;
  uint32_t min_depth = 8;
  uint32_t max_depth = 64;
  // Same seed, same profile; different seeds over the same function universe
  // give profiles that overlap the way two intervals of one service do.
  uint64_t seed = 1;
};

// Sample types samples/count and cpu/nanoseconds, period 10 ms.
Profile MakeSyntheticProfile(const SyntheticProfileOptions& options = {});

}  // namespace kiln::bench

#endif  // KILN_BENCH_SYNTHETIC_PROFILE_H_
