#include "server/daemon/tenant_rate_limiter.h"

#include <algorithm>

namespace kiln::server {

TenantRateLimiter::TenantRateLimiter(double bytes_per_second, double burst_bytes)
    : rate_(bytes_per_second), burst_(std::max(burst_bytes, bytes_per_second)) {}

TenantRateLimiter::Decision TenantRateLimiter::Admit(const std::string& tenant, uint64_t bytes, int64_t now_nanos) {
  if (rate_ <= 0) return {};
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, fresh] = buckets_.try_emplace(tenant, Bucket{burst_, now_nanos});
  Bucket& b = it->second;
  if (!fresh && now_nanos > b.updated_nanos) {
    b.tokens = std::min(burst_, b.tokens + rate_ * static_cast<double>(now_nanos - b.updated_nanos) / 1e9);
  }
  b.updated_nanos = std::max(b.updated_nanos, now_nanos);
  if (b.tokens <= 0) return {false, -b.tokens / rate_ + 1e-3};
  b.tokens -= static_cast<double>(bytes);
  return {};
}

}  // namespace kiln::server
