#include "server/daemon/query_gate.h"

namespace kiln::server {

QueryGate::Pass QueryGate::Enter() {
  if (max_ <= 0) return Pass(nullptr);
  absl::MutexLock lock(&mu_);
  auto has_room = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return running_ < max_; };
  mu_.Await(absl::Condition(&has_room));
  ++running_;
  return Pass(this);
}

void QueryGate::Leave() {
  absl::MutexLock lock(&mu_);
  --running_;
}

}  // namespace kiln::server
