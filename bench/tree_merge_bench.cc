// Merging samples into call trees (the core of every flame graph query):
// samples/s for BuildTree and AddProfileToTree, nodes/s for Tree::Merge,
// beside the memory-bandwidth limit measured in the same run: summing the
// sample value column by stack id, one pass over the columns.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "bench/benchmark_runner.h"
#include "bench/corpus_files.h"
#include "bench/synthetic_profile.h"
#include "fmt/format.h"
#include "kiln/ingest/pprof_importer.h"
#include "kiln/query/tree.h"
#include "kiln/query/tree_builder.h"

namespace kiln::bench {
namespace {

// The corpus's large pprof files (MANIFEST.md, "Benchmarks").
constexpr const char* kCorpusInputs[] = {
    "pprof/google-pprof/large.cpu",
    "pprof/generated-go/wide-heap.pb.gz",
    "pprof/pyroscope/pprof-testdata/gotruncatefix/heap_go_truncated_3.pb.gz",
};

struct TreeCase {
  std::string name;
  Profile profile;
  size_t type = 0;
  Tree tree;  // BuildTree(profile, type)
};

void BM_BuildTree(benchmark::State& state, const TreeCase* c) {
  for (auto _ : state) {
    Tree tree = BuildTree(c->profile, c->type);
    benchmark::DoNotOptimize(tree.total());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(c->profile.num_samples()));
}

// Steady state of a long merge: every path already exists in the tree.
void BM_AddProfileToTree(benchmark::State& state, const TreeCase* c) {
  Tree tree = c->tree.Clone();
  for (auto _ : state) {
    AddProfileToTree(c->profile, c->type, {}, &tree);
    benchmark::DoNotOptimize(tree.total());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(c->profile.num_samples()));
}

void BM_ColumnSumLimit(benchmark::State& state, const TreeCase* c) {
  const Profile& p = c->profile;
  const size_t k = p.num_types();
  std::vector<int64_t> by_stack(p.stacks.size());
  for (auto _ : state) {
    std::fill(by_stack.begin(), by_stack.end(), 0);
    for (size_t i = 0; i < p.num_samples(); ++i) by_stack[p.sample_stacks[i]] += p.sample_values[i * k + c->type];
    benchmark::DoNotOptimize(by_stack.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(p.num_samples()));
}

void BM_TreeMerge(benchmark::State& state, const Tree* into, const Tree* other) {
  for (auto _ : state) {
    state.PauseTiming();
    Tree tree = into->Clone();
    state.ResumeTiming();
    benchmark::DoNotOptimize(tree.Merge(*other));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(other->size()));
}

std::unique_ptr<TreeCase> MakeCase(std::string name, Profile profile) {
  auto c = std::make_unique<TreeCase>();
  c->name = std::move(name);
  c->profile = std::move(profile);
  c->type = c->profile.DefaultTypeIndex();
  c->tree = BuildTree(c->profile, c->type);
  return c;
}

std::vector<std::unique_ptr<TreeCase>> MakeCases() {
  std::vector<std::unique_ptr<TreeCase>> cases;
  SyntheticProfileOptions options;
  cases.push_back(MakeCase(fmt::format("synthetic/{}k-samples", options.samples / 1000),
                           MakeSyntheticProfile(options)));
  options.seed = 2;
  cases.push_back(MakeCase(fmt::format("synthetic/{}k-samples-seed2", options.samples / 1000),
                           MakeSyntheticProfile(options)));
  if (!HaveCorpus()) {
    std::fprintf(stderr, "tree_merge_bench: corpus not found at %s (set KILN_CORPUS_DIR); "
                         "measuring synthetic profiles only\n", CorpusDir().c_str());
    return cases;
  }
  for (const char* path : kCorpusInputs) {
    auto bytes = ReadCorpusFile(path);
    if (!bytes) {
      std::fprintf(stderr, "skip %s: cannot read\n", path);
      continue;
    }
    auto profile = ParsePprof(*bytes);
    if (!profile.ok()) {
      std::fprintf(stderr, "skip %s: %s\n", path, std::string(profile.status().message()).c_str());
      continue;
    }
    cases.push_back(MakeCase(path, *std::move(profile)));
  }
  return cases;
}

// 1234567 -> "1.23M": rates span six orders of magnitude here.
std::string Rate(double per_second) {
  if (per_second >= 1e9) return fmt::format("{:.2f}G", per_second / 1e9);
  if (per_second >= 1e6) return fmt::format("{:.2f}M", per_second / 1e6);
  if (per_second >= 1e3) return fmt::format("{:.1f}k", per_second / 1e3);
  return fmt::format("{:.0f}", per_second);
}

std::string MergeName(const TreeCase& a, const TreeCase& b) { return "TreeMerge/" + a.name + "+" + b.name; }

void PrintSummary(const std::vector<std::unique_ptr<TreeCase>>& cases, const BenchmarkResults& results) {
  std::printf("\n== Summary: tree merges (one thread, CPU time)\n");
  std::printf("limit = sum of the value column by stack id (one pass over the columns); no target is set "
              "for the ratio, it shows the headroom\n");
  std::printf("%-75s %8s %7s %13s %13s %13s %8s\n", "input", "samples", "nodes", "build samp/s",
              "add samp/s", "limit samp/s", "add/limit");
  for (const auto& c : cases) {
    auto build = results.CpuSecondsPerIteration("BuildTree/" + c->name);
    auto add = results.CpuSecondsPerIteration("AddProfileToTree/" + c->name);
    auto limit = results.CpuSecondsPerIteration("ColumnSumLimit/" + c->name);
    if (!build || !add || !limit) continue;
    const double n = static_cast<double>(c->profile.num_samples());
    std::printf("%-75s %8zu %7zu %13s %13s %13s %8.4f\n", c->name.c_str(), c->profile.num_samples(),
                c->tree.size(), Rate(n / *build).c_str(), Rate(n / *add).c_str(), Rate(n / *limit).c_str(),
                *limit / *add);
  }
  for (size_t i = 1; i < cases.size(); ++i) {
    const TreeCase& a = i == 1 ? *cases[0] : *cases[i];
    const TreeCase& b = *cases[i];
    auto merge = results.CpuSecondsPerIteration(MergeName(a, b));
    if (!merge) continue;
    std::printf("MERGE %-90s %9s nodes/s (%zu nodes into %zu, %.2f ms)\n", MergeName(a, b).c_str(),
                Rate(static_cast<double>(b.tree.size()) / *merge).c_str(), b.tree.size(), a.tree.size(),
                *merge * 1e3);
  }
}

}  // namespace
}  // namespace kiln::bench

int main(int argc, char** argv) {
  using namespace kiln::bench;
  const auto cases = MakeCases();
  for (size_t i = 0; i < cases.size(); ++i) {
    if (i == 1) continue;  // the second synthetic profile only serves as a merge partner
    const TreeCase* c = cases[i].get();
    benchmark::RegisterBenchmark(("BuildTree/" + c->name).c_str(), BM_BuildTree, c);
    benchmark::RegisterBenchmark(("AddProfileToTree/" + c->name).c_str(), BM_AddProfileToTree, c);
    benchmark::RegisterBenchmark(("ColumnSumLimit/" + c->name).c_str(), BM_ColumnSumLimit, c);
  }
  // Two intervals of one service (overlapping synthetic profiles), then each
  // corpus tree merged into a copy of itself (every path already present).
  for (size_t i = 1; i < cases.size(); ++i) {
    const TreeCase& a = i == 1 ? *cases[0] : *cases[i];
    benchmark::RegisterBenchmark(MergeName(a, *cases[i]).c_str(), BM_TreeMerge, &a.tree, &cases[i]->tree);
  }
  auto results = RunBenchmarks(argc, argv, /*default_min_time=*/0.2);
  if (!results) return 1;
  PrintSummary(cases, *results);
  return 0;
}
