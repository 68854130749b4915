// Encoding Grafana data frames as Arrow IPC files (the plugin's QueryData
// reply): a 1,000,000-row flame-graph frame (level, value, self int64; label
// an enum over 50,000 names listed in its config JSON), beside the limit
// measured in the same run: copying the same bytes (the columns, and the
// enum config twice, as the file holds it) into a new buffer, which any
// encoder must do at least once. Target (benchmarks.md): a 1,000,000-row
// frame in < 100 ms.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "bench/benchmark_runner.h"
#include "fmt/format.h"
#include "plugin-backend/arrow/arrow_file_writer.h"
#include "plugin-backend/arrow/data_frame.h"
#include "plugin-backend/arrow/json_string.h"

namespace kiln::bench {
namespace {

using plugin::EncodeArrowFile;
using plugin::FieldType;
using plugin::Frame;

constexpr size_t kRows = 1'000'000;
constexpr size_t kNames = 50'000;
constexpr double kTargetSeconds = 0.100;

// The flame graph as plain columns, the way a tree walk produces it.
struct FlameGraphColumns {
  std::vector<int64_t> level, value, self;
  std::vector<uint16_t> label;
  std::string enum_config;  // {"type":{"enum":{"text":[...]}}}
};

// Pre-order nested set with a single root: each row's level is 1..previous+1
// (depth <= 64), self is random and value = self + the children's values, as
// in Grafana's treeToNestedSetDataFrame.
FlameGraphColumns MakeColumns() {
  FlameGraphColumns c;
  std::mt19937_64 rng(1000000);
  c.level.resize(kRows);
  c.self.resize(kRows);
  c.value.resize(kRows);
  c.label.resize(kRows);
  for (size_t i = 1; i < kRows; ++i) {
    const int64_t max_level = std::min<int64_t>(c.level[i - 1] + 1, 64);
    c.level[i] = 1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(max_level));
  }
  std::vector<int64_t> children_sum(66, 0);
  for (size_t i = kRows; i-- > 0;) {
    const auto l = static_cast<size_t>(c.level[i]);
    c.self[i] = static_cast<int64_t>(rng() % 1000) * 10'000'000;  // ns, 10 ms samples
    c.value[i] = c.self[i] + children_sum[l + 1];
    children_sum[l + 1] = 0;
    children_sum[l] += c.value[i];
  }
  for (size_t i = 0; i < kRows; ++i) c.label[i] = static_cast<uint16_t>(i == 0 ? 0 : rng() % kNames);
  c.enum_config = R"({"type":{"enum":{"text":[)";
  for (size_t n = 0; n < kNames; ++n) {
    if (n > 0) c.enum_config.push_back(',');
    plugin::AppendJsonString(n == 0 ? std::string("total")
                                    : fmt::format("github.com/example/service{}/pkg{}.(*Handler).Method{}", n % 37,
                                                  n % 211, n),
                             &c.enum_config);
  }
  c.enum_config += "]}}}";
  return c;
}

Frame BuildFrame(const FlameGraphColumns& c) {
  Frame frame("response", "A");
  frame.set_meta_json(R"({"typeVersion":[0,0],"preferredVisualisationType":"flamegraph"})");
  auto& level = frame.AddField("level", FieldType::kInt64);
  auto& value = frame.AddField("value", FieldType::kInt64);
  auto& self = frame.AddField("self", FieldType::kInt64);
  auto& label = frame.AddField("label", FieldType::kEnum);
  value.set_config_json(R"({"unit":"ns"})");
  self.set_config_json(R"({"unit":"ns"})");
  label.set_config_json(c.enum_config);
  for (auto* f : {&level, &value, &self, &label}) f->Reserve(kRows);
  for (size_t i = 0; i < kRows; ++i) {
    level.AppendInt64(c.level[i]);
    value.AppendInt64(c.value[i]);
    self.AppendInt64(c.self[i]);
    label.AppendUint16(c.label[i]);
  }
  return frame;
}

// The bytes every encoding of the frame contains: three int64 columns, the
// enum column, and the enum config (schema message and footer).
void CopyPayload(const FlameGraphColumns& c, char* out) {
  auto put = [&out](const void* p, size_t n) {
    std::memcpy(out, p, n);
    out += n;
  };
  put(c.level.data(), kRows * 8);
  put(c.value.data(), kRows * 8);
  put(c.self.data(), kRows * 8);
  put(c.label.data(), kRows * 2);
  put(c.enum_config.data(), c.enum_config.size());
  put(c.enum_config.data(), c.enum_config.size());
}

size_t PayloadBytes(const FlameGraphColumns& c) { return kRows * 26 + 2 * c.enum_config.size(); }

void BM_Encode(benchmark::State& state, const Frame* frame) {
  size_t bytes = 0;
  for (auto _ : state) {
    auto file = EncodeArrowFile(*frame);
    if (!file.ok()) {
      state.SkipWithError(std::string(file.status().message()).c_str());
      return;
    }
    bytes = file->size();
    benchmark::DoNotOptimize(file->data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(bytes));
}

// What the plugin does per query: fill the frame from the columns, encode.
void BM_BuildAndEncode(benchmark::State& state, const FlameGraphColumns* c) {
  for (auto _ : state) {
    Frame frame = BuildFrame(*c);
    auto file = EncodeArrowFile(frame);
    benchmark::DoNotOptimize(file->data());
  }
}

// Limit: a new buffer (like the encoder's output string) filled by memcpy.
void BM_CopyLimit(benchmark::State& state, const FlameGraphColumns* c) {
  const size_t n = PayloadBytes(*c);
  for (auto _ : state) {
    std::string out;
    out.reserve(n);
    // Appending to reserved capacity without zero-filling first, as the
    // encoder does.
    out.append(reinterpret_cast<const char*>(c->level.data()), kRows * 8);
    out.append(reinterpret_cast<const char*>(c->value.data()), kRows * 8);
    out.append(reinterpret_cast<const char*>(c->self.data()), kRows * 8);
    out.append(reinterpret_cast<const char*>(c->label.data()), kRows * 2);
    out.append(c->enum_config);
    out.append(c->enum_config);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(n));
}

// Pure bandwidth: the same memcpy into a buffer already allocated and touched.
void BM_CopyWarmLimit(benchmark::State& state, const FlameGraphColumns* c) {
  std::vector<char> out(PayloadBytes(*c));
  for (auto _ : state) {
    CopyPayload(*c, out.data());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(out.size()));
}

void PrintSummary(const BenchmarkResults& results, size_t file_bytes, size_t payload_bytes, size_t config_bytes) {
  auto encode = results.CpuSecondsPerIteration("Encode/flamegraph-1M");
  auto build = results.CpuSecondsPerIteration("BuildAndEncode/flamegraph-1M");
  auto copy = results.CpuSecondsPerIteration("CopyLimit/flamegraph-1M");
  auto warm = results.CpuSecondsPerIteration("CopyWarmLimit/flamegraph-1M");
  std::printf("\n== Summary: Arrow IPC file of a flame-graph frame (one thread, CPU time)\n");
  std::printf("frame: %zu rows (level, value, self int64; label enum of %zu names, config %.2f MB)\n", kRows, kNames,
              config_bytes / 1e6);
  std::printf("output: %zu bytes (%.2f MB); payload (columns + config twice) %zu bytes; padding and other "
              "metadata %zu bytes\n",
              file_bytes, file_bytes / 1e6, payload_bytes, file_bytes - payload_bytes);
  std::printf("limit = memcpy of the payload into a new buffer; warm = into a buffer already touched\n");
  if (!encode || !copy || !warm) {
    std::printf("(missing cases; run without --benchmark_filter for the summary)\n");
    return;
  }
  std::printf("%-24s %10s %10s\n", "", "ms", "GB/s");
  auto row = [&](const char* name, double s, double bytes) {
    std::printf("%-24s %10.2f %10.2f\n", name, s * 1e3, bytes / s / 1e9);
  };
  row("encode", *encode, static_cast<double>(file_bytes));
  if (build) row("build frame + encode", *build, static_cast<double>(file_bytes));
  row("copy limit", *copy, static_cast<double>(payload_bytes));
  row("copy limit (warm)", *warm, static_cast<double>(payload_bytes));
  std::printf("encode / copy limit: %.2fx   encode / warm copy: %.2fx\n", *encode / *copy, *encode / *warm);
  const double pipeline = build ? *build : *encode;
  std::printf("target: a 1M-row frame in < %.0f ms: %s (%.2f ms %s)\n", kTargetSeconds * 1e3,
              pipeline < kTargetSeconds ? "MET" : "MISSED", pipeline * 1e3,
              build ? "building and encoding" : "encoding");
}

}  // namespace
}  // namespace kiln::bench

int main(int argc, char** argv) {
  using namespace kiln::bench;
  const FlameGraphColumns columns = MakeColumns();
  const Frame frame = BuildFrame(columns);
  auto file = EncodeArrowFile(frame);
  if (!file.ok()) {
    std::fprintf(stderr, "arrow_frame_bench: %s\n", std::string(file.status().message()).c_str());
    return 1;
  }
  const size_t file_bytes = file->size();
  file = std::string();
  benchmark::RegisterBenchmark("Encode/flamegraph-1M", BM_Encode, &frame)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("CopyLimit/flamegraph-1M", BM_CopyLimit, &columns)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("CopyWarmLimit/flamegraph-1M", BM_CopyWarmLimit, &columns)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BuildAndEncode/flamegraph-1M", BM_BuildAndEncode, &columns)
      ->Unit(benchmark::kMillisecond);
  auto results = RunBenchmarks(argc, argv, /*default_min_time=*/0.5);
  if (!results) return 1;
  PrintSummary(*results, file_bytes, PayloadBytes(columns), columns.enum_config.size());
  return 0;
}
