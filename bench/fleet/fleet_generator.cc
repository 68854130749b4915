#include "bench/fleet/fleet_generator.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "kiln/base/gzip.h"

namespace kiln::bench {

absl::StatusOr<FleetGenerator> FleetGenerator::Create(const std::vector<std::string>& base_files, uint64_t seed) {
  FleetGenerator g;
  g.rng_.seed(seed);
  for (const std::string& path : base_files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
    std::stringstream buf;
    buf << in.rdbuf();
    std::string data = buf.str();
    Base base;
    if (IsGzip(data)) {
      auto plain = Gunzip(data, size_t{1} << 30);
      if (!plain.ok()) return plain.status();
      // Compress as this profile's own client did: the fastest level that is
      // at least as dense as the file it wrote (Go's runtime/pprof writes
      // with BestSpeed), so input bytes are what real agents send.
      base.gzip_level = 12;
      for (int level = 1; level <= 12; ++level) {
        if (Gzip(*plain, level).size() <= data.size()) {
          base.gzip_level = level;
          break;
        }
      }
      data = *std::move(plain);
    }
    base.name = path.substr(path.rfind('/') + 1);
    if (!base.profile.ParseFromString(data)) return absl::InvalidArgumentError(absl::StrCat(path, ": not a pprof"));
    g.bases_.push_back(std::move(base));
  }
  if (g.bases_.empty()) return absl::InvalidArgumentError("no base profiles");
  return g;
}

const std::string& FleetGenerator::BaseName(int service) const { return bases_[service % bases_.size()].name; }

int FleetGenerator::GzipLevel(int service) const { return bases_[service % bases_.size()].gzip_level; }

const perftools::profiles::Profile& FleetGenerator::Variant(int service, int version) {
  if (variants_.size() <= static_cast<size_t>(service)) variants_.resize(service + 1);
  auto& versions = variants_[service];
  if (versions.size() <= static_cast<size_t>(version)) versions.resize(version + 1);
  if (!versions[version]) {
    auto p = std::make_unique<perftools::profiles::Profile>(bases_[service % bases_.size()].profile);
    // Function names (and file names) become this service's own; a newer
    // version renames every tenth function, as a deploy changes code.
    std::vector<bool> is_symbol(p->string_table_size());
    for (const auto& f : p->function()) {
      if (f.name() < static_cast<int64_t>(is_symbol.size())) is_symbol[f.name()] = true;
      if (f.filename() < static_cast<int64_t>(is_symbol.size())) is_symbol[f.filename()] = true;
    }
    for (int i = 1; i < p->string_table_size(); ++i) {
      if (!is_symbol[i]) continue;
      std::string s = absl::StrCat("svc", service, "/", p->string_table(i));
      if (version > 1 && i % 10 == 0) absl::StrAppend(&s, ".v", version);
      p->set_string_table(i, s);
    }
    versions[version] = std::move(p);
  }
  return *versions[version];
}

uint64_t FleetGenerator::SymbolBytes(int service, int version) {
  perftools::profiles::Profile symbols;
  const auto& v = Variant(service, version);
  *symbols.mutable_string_table() = v.string_table();
  *symbols.mutable_function() = v.function();
  *symbols.mutable_location() = v.location();
  *symbols.mutable_mapping() = v.mapping();
  return symbols.ByteSizeLong();
}

std::string FleetGenerator::Generate(int service, int version, int64_t time_nanos) {
  perftools::profiles::Profile p = Variant(service, version);
  std::uniform_real_distribution<double> scale(0.5, 1.5);
  std::uniform_int_distribution<int> drop(0, 4);
  auto* samples = p.mutable_sample();
  int kept = 0;
  for (int i = 0; i < samples->size(); ++i) {
    if (drop(rng_) == 0 && samples->size() > 1) continue;
    // Vary how often the stack was seen, keeping each value a multiple of
    // the first (a CPU profile's nanoseconds stay count x period).
    auto* s = samples->Mutable(i);
    if (s->value_size() > 0 && s->value(0) > 0) {
      const int64_t count = s->value(0);
      const int64_t varied = std::max<int64_t>(1, std::llround(static_cast<double>(count) * scale(rng_)));
      for (int j = 0; j < s->value_size(); ++j) s->set_value(j, s->value(j) / count * varied);
    }
    if (kept != i) samples->SwapElements(kept, i);
    ++kept;
  }
  samples->DeleteSubrange(kept, samples->size() - kept);
  p.set_time_nanos(time_nanos);
  return Gzip(p.SerializeAsString(), bases_[service % bases_.size()].gzip_level);
}

}  // namespace kiln::bench
