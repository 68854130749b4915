// pprof ingest throughput on one thread, beside the decode limit measured in
// the same run: gunzip + protobuf parse of the same bytes and nothing else
// (docs/performance.md). Kiln's target: import >= 0.5x the decode limit.
//
// Inputs: one large synthetic profile (always) and every pprof file of the
// shared corpus (when present; files that are not pprof are skipped).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "bench/benchmark_runner.h"
#include "bench/corpus_files.h"
#include "bench/synthetic_profile.h"
#include "fmt/format.h"
#include "google/protobuf/arena.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/base/gzip.h"
#include "kiln/export/pprof_writer.h"
#include "kiln/ingest/pprof_importer.h"
#include "perftools/profiles/profile.pb.h"

namespace kiln::bench {
namespace {

constexpr double kTargetRatio = 0.5;
constexpr double kTargetMBPerSecond = 24.0;  // 3x Pyroscope's per-core sizing
constexpr size_t kMaxDecompressed = size_t{1} << 30;

struct ImportCase {
  std::string name;
  std::string bytes;
  size_t samples = 0;
  size_t stack_nodes = 0;  // distinct stack prefixes: the importer's interning work
  bool from_corpus = false;
};

std::string ImportName(const ImportCase& c) { return "Import/" + c.name; }
std::string LimitName(const ImportCase& c) { return "DecodeLimit/" + c.name; }

// The decode limit: the same gunzip, then protobuf's generated parser into
// an arena (64 KiB to 4 MiB blocks), and nothing else: what reading the
// bytes costs before any of Kiln's work. The importer decodes the wire
// format itself, so it could in principle beat this; it has not so far.
bool DecodeOnly(const std::string& bytes) {
  std::string inflated;
  const std::string* message_bytes = &bytes;
  if (IsGzip(bytes)) {
    auto out = Gunzip(bytes, kMaxDecompressed);
    if (!out.ok()) return false;
    inflated = *std::move(out);
    message_bytes = &inflated;
  }
  google::protobuf::ArenaOptions arena_options;
  arena_options.start_block_size = 64 << 10;
  arena_options.max_block_size = 4 << 20;
  google::protobuf::Arena arena(arena_options);
  auto* message = google::protobuf::Arena::CreateMessage<perftools::profiles::Profile>(&arena);
  const bool ok = message->ParseFromString(*message_bytes);
  benchmark::DoNotOptimize(message);
  return ok;
}

// Both sides first run once untimed: a server imports profile after profile,
// so the steady state (allocator memory already mapped, code and tables
// warm) is what counts, and a large file timed once would otherwise be
// measured cold, page faults and all.
void BM_Import(benchmark::State& state, const ImportCase* c) {
  benchmark::DoNotOptimize(ParsePprof(c->bytes).ok());
  for (auto _ : state) {
    auto profile = ParsePprof(c->bytes);
    if (!profile.ok()) {
      state.SkipWithError(std::string(profile.status().message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(profile->num_samples());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(c->bytes.size()));
  state.SetItemsProcessed(state.iterations());  // profiles
}

void BM_DecodeLimit(benchmark::State& state, const ImportCase* c) {
  benchmark::DoNotOptimize(DecodeOnly(c->bytes));
  for (auto _ : state) {
    if (!DecodeOnly(c->bytes)) {
      state.SkipWithError("decode failed");
      break;
    }
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(c->bytes.size()));
  state.SetItemsProcessed(state.iterations());
}

std::vector<std::unique_ptr<ImportCase>> MakeCases() {
  std::vector<std::unique_ptr<ImportCase>> cases;
  {
    SyntheticProfileOptions options;
    Profile p = MakeSyntheticProfile(options);
    auto c = std::make_unique<ImportCase>();
    c->name = fmt::format("synthetic/{}k-samples", options.samples / 1000);
    c->bytes = *WritePprof(p);  // gzipped, as SDKs send it
    c->samples = p.num_samples();
    c->stack_nodes = p.stacks.size();
    cases.push_back(std::move(c));
  }
  if (!HaveCorpus()) {
    std::fprintf(stderr, "pprof_import_bench: corpus not found at %s (set KILN_CORPUS_DIR); "
                         "measuring the synthetic profile only\n", CorpusDir().c_str());
    return cases;
  }
  for (const std::string& path : ListCorpusFiles("pprof")) {
    auto bytes = ReadCorpusFile(path);
    if (!bytes) {
      std::fprintf(stderr, "skip %s: cannot read\n", path.c_str());
      continue;
    }
    auto profile = ParsePprof(*bytes);
    if (!profile.ok()) {
      std::fprintf(stderr, "skip %s: not importable as pprof (%s)\n", path.c_str(),
                   std::string(profile.status().message()).c_str());
      continue;
    }
    if (!DecodeOnly(*bytes)) {
      std::fprintf(stderr, "skip %s: no decode limit (protobuf parse failed)\n", path.c_str());
      continue;
    }
    auto c = std::make_unique<ImportCase>();
    c->name = path;
    c->bytes = *std::move(bytes);
    c->samples = profile->num_samples();
    c->stack_nodes = profile->stacks.size();
    c->from_corpus = true;
    cases.push_back(std::move(c));
  }
  return cases;
}

const char* Verdict(double ratio) { return ratio >= kTargetRatio ? "PASS" : "FAIL"; }

void PrintSummary(const std::vector<std::unique_ptr<ImportCase>>& cases, const BenchmarkResults& results) {
  std::printf("\n== Summary: pprof import vs decode limit (one thread, CPU time per profile)\n");
  std::printf("decode limit = gunzip (libdeflate) + protobuf ParseFromString, nothing else; "
              "target: import >= %.1fx the limit\n", kTargetRatio);
  std::printf("%-75s %9s %8s %8s %11s %11s %11s %6s %s\n", "input", "bytes", "samples", "stacks", "import MB/s",
              "profiles/s", "limit MB/s", "ratio", "target");
  double corpus_bytes = 0, corpus_import_s = 0, corpus_limit_s = 0;
  int corpus_files = 0, corpus_below = 0;
  const ImportCase* synthetic = nullptr;
  double synthetic_ratio = 0, synthetic_mbps = 0;
  for (const auto& c : cases) {
    auto import_s = results.CpuSecondsPerIteration(ImportName(*c));
    auto limit_s = results.CpuSecondsPerIteration(LimitName(*c));
    if (!import_s || !limit_s || *import_s <= 0 || *limit_s <= 0) continue;
    const double mb = static_cast<double>(c->bytes.size()) / 1e6;
    const double ratio = *limit_s / *import_s;
    std::printf("%-75s %9zu %8zu %8zu %11.1f %11.0f %11.1f %6.2f %s\n", c->name.c_str(), c->bytes.size(),
                c->samples, c->stack_nodes, mb / *import_s, 1.0 / *import_s, mb / *limit_s, ratio, Verdict(ratio));
    if (c->from_corpus) {
      corpus_bytes += mb;
      corpus_import_s += *import_s;
      corpus_limit_s += *limit_s;
      ++corpus_files;
      if (ratio < kTargetRatio) ++corpus_below;
    } else {
      synthetic = c.get();
      synthetic_ratio = ratio;
      synthetic_mbps = mb / *import_s;
    }
  }
  std::printf("\n");
  if (synthetic != nullptr) {
    std::printf("RATIO %-40s import %7.1f MB/s  ratio %.2f (target >= %.1f) %s\n", synthetic->name.c_str(),
                synthetic_mbps, synthetic_ratio, kTargetRatio, Verdict(synthetic_ratio));
  }
  if (corpus_files > 0) {
    // Each file ingested once: bytes-weighted, so large files dominate as
    // they dominate an ingest path's CPU.
    const double ratio = corpus_limit_s / corpus_import_s;
    std::printf("RATIO %-40s import %7.1f MB/s  ratio %.2f (target >= %.1f) %s  [%d files, %d below target]\n",
                "corpus (all pprof files, once each)", corpus_bytes / corpus_import_s, ratio, kTargetRatio,
                Verdict(ratio), corpus_files, corpus_below);
    std::printf("ABS   %-40s import %7.1f MB/s  (target >= %.0f MB/s per core) %s\n", "corpus (all pprof files)",
                corpus_bytes / corpus_import_s, kTargetMBPerSecond,
                corpus_bytes / corpus_import_s >= kTargetMBPerSecond ? "PASS" : "FAIL");
  } else if (!HaveCorpus()) {
    std::printf("corpus: absent (set KILN_CORPUS_DIR) - corpus figures skipped\n");
  }
  if (synthetic != nullptr) {
    std::printf("ABS   %-40s import %7.1f MB/s  (target >= %.0f MB/s per core) %s\n", synthetic->name.c_str(),
                synthetic_mbps, kTargetMBPerSecond, synthetic_mbps >= kTargetMBPerSecond ? "PASS" : "FAIL");
  }
}

}  // namespace
}  // namespace kiln::bench

int main(int argc, char** argv) {
  using namespace kiln::bench;
  const auto cases = MakeCases();
  // Import and its limit run back to back per input, so both see the same
  // machine load.
  for (const auto& c : cases) {
    benchmark::RegisterBenchmark(ImportName(*c).c_str(), BM_Import, c.get());
    benchmark::RegisterBenchmark(LimitName(*c).c_str(), BM_DecodeLimit, c.get());
  }
  auto results = RunBenchmarks(argc, argv, /*default_min_time=*/0.05);
  if (!results) return 1;
  PrintSummary(cases, *results);
  return 0;
}
