#include "bench/synthetic_profile.h"

#include <array>
#include <random>
#include <string>
#include <vector>

#include "fmt/format.h"

namespace kiln::bench {
namespace {

constexpr uint32_t kCalleesPerFunction = 4;
constexpr uint32_t kRoots = 12;
constexpr int64_t kPeriod = 10'000'000;

}  // namespace

Profile MakeSyntheticProfile(const SyntheticProfileOptions& options) {
  // The call graph and symbols depend only on |functions|, never on the seed,
  // so profiles with different seeds share functions and locations.
  std::mt19937_64 graph_rng(0x6b696c6e);
  Profile p;
  p.sample_types = {{"samples", "count"}, {"cpu", "nanoseconds"}};
  p.period_type = {"cpu", "nanoseconds"};
  p.period = kPeriod;
  p.duration_nanos = 60'000'000'000;
  Mapping main_mapping;
  main_mapping.memory_start = 0x400000;
  main_mapping.memory_limit = 0x4000000;
  main_mapping.filename = p.symbols.InternString("/usr/local/bin/service");
  main_mapping.build_id = p.symbols.InternString("3f2c9d41e0a7b5c8");
  main_mapping.has_functions = main_mapping.has_filenames = main_mapping.has_line_numbers = true;
  const MappingId mapping = p.symbols.InternMapping(main_mapping);

  const uint32_t n = std::max<uint32_t>(options.functions, kRoots + 1);
  std::vector<FunctionId> functions(n);
  for (uint32_t i = 0; i < n; ++i) {
    Function f;
    const uint32_t package = i % 37;
    f.name = p.symbols.InternString(
        fmt::format("github.com/acme/service/internal/pkg{}.(*Handler{}).Method{}", package, i % 11, i));
    f.system_name = f.name;
    f.filename = p.symbols.InternString(fmt::format("internal/pkg{}/handler{}.go", package, i % 11));
    f.start_line = 10 + i % 500;
    functions[i] = p.symbols.InternFunction(f);
  }
  // One call site (location) per (caller, callee slot); every 7th is an
  // inlined call, a location with two lines.
  std::vector<std::array<uint32_t, kCalleesPerFunction>> callees(n);
  std::vector<std::array<LocationId, kCalleesPerFunction>> call_sites(n);
  std::uniform_int_distribution<uint32_t> any_function(kRoots, n - 1);
  uint64_t address = 0x401000;
  for (uint32_t i = 0; i < n; ++i) {
    for (uint32_t c = 0; c < kCalleesPerFunction; ++c) {
      callees[i][c] = any_function(graph_rng);
      address += 0x40 + graph_rng() % 0x100;
      std::vector<Line> lines;
      if ((i + c) % 7 == 0) lines.push_back({functions[callees[i][c]], 12 + c, 0});
      lines.push_back({functions[i], static_cast<int64_t>(20 + c * 3 + i % 50), 0});
      call_sites[i][c] = p.symbols.InternLocation(mapping, address, lines);
    }
  }

  std::mt19937_64 rng(options.seed);
  std::uniform_int_distribution<uint32_t> depth_dist(options.min_depth, options.max_depth);
  std::uniform_int_distribution<uint32_t> root_dist(0, kRoots - 1);
  std::uniform_int_distribution<uint32_t> slot_dist(0, kCalleesPerFunction - 1);
  std::geometric_distribution<int64_t> count_dist(0.6);

  const StringId handler_key = p.symbols.InternString("handler");
  std::vector<uint32_t> label_sets = {0};
  for (int h = 0; h < 8; ++h) {
    SampleLabel label;
    label.key = handler_key;
    label.str = p.symbols.InternString(fmt::format("/api/v1/endpoint{}", h));
    label_sets.push_back(p.InternLabelSet({label}));
  }

  std::vector<LocationId> root_first;
  for (uint32_t s = 0; s < options.samples; ++s) {
    root_first.clear();
    const uint32_t depth = depth_dist(rng);
    uint32_t fn = root_dist(rng);
    for (uint32_t d = 0; d < depth; ++d) {
      // Hot paths: the first callee slot is taken most often, which makes
      // stacks share long prefixes as in real profiles.
      const uint32_t slot = rng() % 8 == 0 ? slot_dist(rng) : 0;
      root_first.push_back(call_sites[fn][slot]);
      fn = callees[fn][slot];
    }
    const int64_t count = 1 + count_dist(rng);
    const int64_t values[] = {count, count * kPeriod};
    p.AddSample(p.stacks.InternRootFirst(root_first), values,
                label_sets[rng() % label_sets.size()]);
  }
  return p;
}

}  // namespace kiln::bench
