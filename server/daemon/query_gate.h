// Bounds how many queries the server runs at once. Ingest acknowledgements
// wait on the CPU too (import and segment flush); without a bound, a few
// dashboards refreshing back to back take every core and push ingest past
// its latency target. Queries over the bound wait their turn.
// Thread safety: Enter may be called from any thread.
#ifndef KILN_SERVER_DAEMON_QUERY_GATE_H_
#define KILN_SERVER_DAEMON_QUERY_GATE_H_

#include "absl/synchronization/mutex.h"

namespace kiln::server {

class QueryGate {
 public:
  // |max_running| <= 0: unbounded.
  explicit QueryGate(int max_running) : max_(max_running) {}

  // Held while a query runs; leaving the scope lets the next one in.
  class Pass {
   public:
    explicit Pass(QueryGate* gate) : gate_(gate) {}
    Pass(Pass&& other) noexcept : gate_(other.gate_) { other.gate_ = nullptr; }
    Pass(const Pass&) = delete;
    Pass& operator=(const Pass&) = delete;
    Pass& operator=(Pass&&) = delete;
    ~Pass() {
      if (gate_ != nullptr) gate_->Leave();
    }

   private:
    QueryGate* gate_;
  };

  // Blocks until fewer than max_running queries run.
  Pass Enter();

 private:
  void Leave();

  const int max_;
  absl::Mutex mu_;
  int running_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace kiln::server

#endif  // KILN_SERVER_DAEMON_QUERY_GATE_H_
