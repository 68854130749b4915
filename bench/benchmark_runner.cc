#include "bench/benchmark_runner.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>

#include "fmt/format.h"

namespace kiln::bench {
namespace {

// Forwards everything to the library's own display reporter (so the
// --benchmark_format flag keeps working) and records per-iteration timings.
class CollectingReporter final : public benchmark::BenchmarkReporter {
 public:
  CollectingReporter(benchmark::BenchmarkReporter* display, BenchmarkResults* results)
      : display_(display), results_(results) {}

  bool ReportContext(const Context& context) override { return display_->ReportContext(context); }

  void ReportRuns(const std::vector<Run>& runs) override {
    display_->ReportRuns(runs);
    for (const Run& run : runs) {
      // Aggregates (mean, median, stddev) are recomputed from the repetitions.
      if (run.run_type != Run::RT_Iteration || run.error_occurred || run.iterations <= 0) continue;
      results_->Add(run.benchmark_name(),
                    run.cpu_accumulated_time / static_cast<double>(run.iterations));
    }
  }

  void Finalize() override { display_->Finalize(); }

 private:
  benchmark::BenchmarkReporter* display_;
  BenchmarkResults* results_;
};

}  // namespace

std::optional<double> BenchmarkResults::CpuSecondsPerIteration(const std::string& name) const {
  auto it = cpu_seconds_.find(name);
  if (it == cpu_seconds_.end() || it->second.empty()) return std::nullopt;
  std::vector<double> v = it->second;
  std::sort(v.begin(), v.end());
  const size_t mid = v.size() / 2;
  return v.size() % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

void BenchmarkResults::Add(const std::string& name, double cpu_seconds_per_iteration) {
  cpu_seconds_[name].push_back(cpu_seconds_per_iteration);
}

std::optional<BenchmarkResults> RunBenchmarks(int argc, char** argv, double default_min_time) {
  // The default goes first so that a --benchmark_min_time given on the
  // command line, parsed later, wins.
  std::string min_time = fmt::format("--benchmark_min_time={}", default_min_time);
  std::vector<char*> args;
  args.push_back(argv[0]);
  args.push_back(min_time.data());
  for (int i = 1; i < argc; ++i) args.push_back(argv[i]);
  int n = static_cast<int>(args.size());
  args.push_back(nullptr);
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return std::nullopt;

  BenchmarkResults results;
  // The library owns the default display reporter (a function-local static).
  CollectingReporter reporter(benchmark::CreateDefaultDisplayReporter(), &results);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return results;
}

}  // namespace kiln::bench
