// Per-tenant ingest rate limits: a token bucket of request bytes per tenant
// (Pyroscope's ingestion_rate_mb / ingestion_burst_size_mb). A tenant may
// send |burst_bytes| at once and |bytes_per_second| on average; a request
// is admitted while the tenant's bucket is not empty and then takes its
// size from it (the bucket may go into debt, so a single request larger
// than the burst still passes when the tenant has been quiet). Rejected
// requests cost nothing.
// Thread safety: Admit may be called concurrently.
#ifndef KILN_SERVER_DAEMON_TENANT_RATE_LIMITER_H_
#define KILN_SERVER_DAEMON_TENANT_RATE_LIMITER_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace kiln::server {

class TenantRateLimiter {
 public:
  // |bytes_per_second| 0: unlimited.
  TenantRateLimiter(double bytes_per_second, double burst_bytes);

  struct Decision {
    bool admitted = true;
    double retry_after_seconds = 0;  // when rejected: until the bucket refills
  };
  Decision Admit(const std::string& tenant, uint64_t bytes, int64_t now_nanos);

  bool enabled() const { return rate_ > 0; }

 private:
  struct Bucket {
    double tokens = 0;
    int64_t updated_nanos = 0;
  };
  const double rate_;
  const double burst_;
  std::mutex mu_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace kiln::server

#endif  // KILN_SERVER_DAEMON_TENANT_RATE_LIMITER_H_
