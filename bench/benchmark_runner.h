// Runs the registered Google Benchmark cases and keeps their timings, so a
// benchmark binary can print figures that compare two cases of the same run
// (Kiln's targets are ratios to a peer or a limit measured side by side).
#ifndef KILN_BENCH_BENCHMARK_RUNNER_H_
#define KILN_BENCH_BENCHMARK_RUNNER_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kiln::bench {

class BenchmarkResults {
 public:
  // Thread CPU seconds per iteration of benchmark |name|: the median over
  // repetitions. CPU rather than wall time because the machines are shared:
  // another process taking a core inflates wall time, not our CPU time.
  // nullopt when the case did not run (filtered out, or it reported an error).
  std::optional<double> CpuSecondsPerIteration(const std::string& name) const;

  void Add(const std::string& name, double cpu_seconds_per_iteration);

 private:
  std::map<std::string, std::vector<double>> cpu_seconds_;
};

// Parses Google Benchmark's flags (--benchmark_filter, _repetitions, …),
// defaulting --benchmark_min_time to |default_min_time| seconds so that a
// full run stays short, then runs every registered case, printing as the
// library would. nullopt when the command line has unknown arguments.
std::optional<BenchmarkResults> RunBenchmarks(int argc, char** argv, double default_min_time);

}  // namespace kiln::bench

#endif  // KILN_BENCH_BENCHMARK_RUNNER_H_
