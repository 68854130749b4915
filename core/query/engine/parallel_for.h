// Runs fn(i) for i in [0, n) on up to |threads| threads (the caller's
// included). Work is handed out one index at a time, so uneven items
// (a huge block next to tiny ones) still balance.
#ifndef KILN_QUERY_ENGINE_PARALLEL_FOR_H_
#define KILN_QUERY_ENGINE_PARALLEL_FOR_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace kiln::query_engine {

template <typename Fn>
void ParallelFor(size_t n, unsigned threads, Fn fn) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<size_t>(threads, n));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < n; i = next++) fn(i);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

}  // namespace kiln::query_engine

#endif  // KILN_QUERY_ENGINE_PARALLEL_FOR_H_
