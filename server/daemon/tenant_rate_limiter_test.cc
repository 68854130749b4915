#include "server/daemon/tenant_rate_limiter.h"

#include <gtest/gtest.h>

namespace kiln::server {
namespace {

constexpr int64_t kSecond = 1000000000;

TEST(TenantRateLimiterTest, BurstThenRateAndTenantsApart) {
  TenantRateLimiter limiter(/*bytes_per_second=*/1000, /*burst_bytes=*/3000);
  // A full bucket takes the burst, then refuses.
  EXPECT_TRUE(limiter.Admit("a", 1500, 0).admitted);
  EXPECT_TRUE(limiter.Admit("a", 1500, 0).admitted);
  TenantRateLimiter::Decision refused = limiter.Admit("a", 10, 0);
  EXPECT_FALSE(refused.admitted);
  EXPECT_GT(refused.retry_after_seconds, 0);
  // Another tenant has its own bucket.
  EXPECT_TRUE(limiter.Admit("b", 2000, 0).admitted);
  // Half a second refills 500 bytes.
  EXPECT_TRUE(limiter.Admit("a", 400, kSecond / 2).admitted);
  EXPECT_TRUE(limiter.Admit("a", 400, kSecond / 2).admitted);  // 100 left, admitted into debt
  EXPECT_FALSE(limiter.Admit("a", 1, kSecond / 2).admitted);
  // Quiet for long: never more than the burst.
  EXPECT_TRUE(limiter.Admit("a", 3000, 100 * kSecond).admitted);
  EXPECT_FALSE(limiter.Admit("a", 1, 100 * kSecond).admitted);
}

TEST(TenantRateLimiterTest, OversizedRequestPassesOnAFullBucketOnly) {
  TenantRateLimiter limiter(1000, 1000);
  EXPECT_TRUE(limiter.Admit("a", 5000, 0).admitted);   // debt of 4000 bytes
  EXPECT_FALSE(limiter.Admit("a", 1, 3 * kSecond).admitted);
  EXPECT_NEAR(limiter.Admit("a", 1, 3 * kSecond).retry_after_seconds, 1.0, 0.01);
  EXPECT_TRUE(limiter.Admit("a", 1, 5 * kSecond).admitted);
}

TEST(TenantRateLimiterTest, ZeroRateIsUnlimited) {
  TenantRateLimiter limiter(0, 0);
  EXPECT_FALSE(limiter.enabled());
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(limiter.Admit("a", uint64_t{1} << 40, 0).admitted);
}

}  // namespace
}  // namespace kiln::server
