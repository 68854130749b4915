#include "server/daemon/query_gate.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace kiln::server {
namespace {

// The most queries seen running at once while |threads| threads each run
// |rounds| gated queries that take a moment.
int MostRunning(QueryGate* gate, int threads, int rounds) {
  std::atomic<int> running{0}, most{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (int r = 0; r < rounds; ++r) {
        QueryGate::Pass pass = gate->Enter();
        const int now = ++running;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        --running;
      }
    });
  }
  for (std::thread& t : pool) t.join();
  return most.load();
}

TEST(QueryGateTest, NeverMoreThanTheBoundRunAtOnce) {
  QueryGate one(1);
  EXPECT_EQ(MostRunning(&one, 8, 20), 1);
  QueryGate two(2);
  EXPECT_LE(MostRunning(&two, 8, 20), 2);
  // Unbounded: the threads do overlap (which is what makes the checks above
  // mean something).
  QueryGate open(0);
  EXPECT_GT(MostRunning(&open, 8, 20), 1);
}

}  // namespace
}  // namespace kiln::server
