// Turns real profiles into a fleet: services (each built on a corpus
// profile, its symbols renamed per service so no two services share code),
// pods, versions (a deploy renames a tenth of the functions) and per-profile
// variation (sample values scaled, a fifth of the samples dropped), encoded
// as gzipped pprof the way SDKs send it: each at the fastest gzip level that
// is at least as dense as its base file as its own client wrote it (Go's
// runtime/pprof gzips at BestSpeed), level 6 for bases stored uncompressed.
#ifndef KILN_BENCH_FLEET_FLEET_GENERATOR_H_
#define KILN_BENCH_FLEET_FLEET_GENERATOR_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "perftools/profiles/profile.pb.h"

namespace kiln::bench {

class FleetGenerator {
 public:
  // |base_files| are pprof files; service i is built on base i % size.
  static absl::StatusOr<FleetGenerator> Create(const std::vector<std::string>& base_files, uint64_t seed);

  // A gzipped pprof of |service| (version 1 or 2) at |time_nanos|.
  std::string Generate(int service, int version, int64_t time_nanos);
  // The symbol bytes of the uncompressed pprof Generate would produce
  // (string table, functions, locations, mappings): what a client sends
  // that symbol deduplication can save.
  uint64_t SymbolBytes(int service, int version);
  const std::string& BaseName(int service) const;
  // The gzip level Generate uses for |service| (see above).
  int GzipLevel(int service) const;

 private:
  struct Base {
    std::string name;
    int gzip_level = 6;
    perftools::profiles::Profile profile;
  };
  // The renamed base of (service, version), built once.
  const perftools::profiles::Profile& Variant(int service, int version);

  std::vector<Base> bases_;
  std::vector<std::vector<std::unique_ptr<perftools::profiles::Profile>>> variants_;  // [service][version]
  std::mt19937_64 rng_;
};

}  // namespace kiln::bench

#endif  // KILN_BENCH_FLEET_FLEET_GENERATOR_H_
