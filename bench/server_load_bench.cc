// Load on a real `kiln server` over loopback (issue 4): N pushing clients
// (default 50) each sending the gzipped pprof of its own pod to /ingest in
// a loop, and M queriers (default 10) asking for merged flame graphs and
// series over Connect JSON, for a fixed time. Prints the ingest
// acknowledgement latency (p50/p99: the server answers once the profile's
// segment is stored and indexed) beside its limit — the segment duration +
// 100 ms — and the query latencies, error counts and throughput.
//
//   build/bench/server_load_bench [--pushers 50] [--queriers 10] [--seconds 60]
//                                 [--segment-ms 500] [--http-threads 64]
//
// Profiles come from the corpus's Go CPU profile through the fleet
// generator (renamed per service, varied per profile), prepared before the
// clock starts so the clients measure the server, not the generator.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "CLI/CLI.hpp"
#include "absl/time/clock.h"
#include "bench/fleet/fleet_generator.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "tests/server_process.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Latencies {
  std::mutex mu;
  std::vector<double> ms;
  uint64_t errors = 0;
  std::string first_error;

  void Add(double v) {
    std::lock_guard<std::mutex> lock(mu);
    ms.push_back(v);
  }
  void Error(std::string what) {
    std::lock_guard<std::mutex> lock(mu);
    if (errors++ == 0) first_error = std::move(what);
  }
  double Percentile(double p) {
    if (ms.empty()) return 0;
    std::sort(ms.begin(), ms.end());
    return ms[std::min(ms.size() - 1, static_cast<size_t>(p * static_cast<double>(ms.size())))];
  }
};

int Run(int pushers, int queriers, int seconds, int segment_ms, int http_threads, int max_queries) {
  const std::string base = std::string(KILN_CORPUS_DIR) + "/pprof/generated-go/cpu.pb.gz";
  if (!fs::exists(base)) {
    fmt::print("server_load_bench: SKIPPED: {} is absent (the corpus is needed for realistic profiles)\n", base);
    return 0;
  }
  auto generator = bench::FleetGenerator::Create({base}, 7);
  if (!generator.ok()) {
    fmt::print(stderr, "server_load_bench: {}\n", generator.status());
    return 1;
  }
  // Eight distinct profiles per pusher, cycled; 10 services.
  constexpr int kVariants = 8;
  std::vector<std::vector<std::string>> bodies(pushers);
  const int64_t now = absl::ToUnixNanos(absl::Now());
  size_t body_bytes = 0;
  for (int p = 0; p < pushers; ++p) {
    for (int v = 0; v < kVariants; ++v) {
      bodies[p].push_back(generator->Generate(p % 10, 1, now + v * 1000000));
      body_bytes += bodies[p].back().size();
    }
  }

  const std::string dir = (fs::temp_directory_path() / fmt::format("kiln-load-{}", getpid())).string();
  fs::remove_all(dir);
  auto server = testing::ServerProcess::Start(
      KILN_CLI_PATH, dir,
      max_queries < 0 ? std::vector<std::string>{"--segment-duration-ms", std::to_string(segment_ms), "--http-threads",
                                                 std::to_string(http_threads)}
                      : std::vector<std::string>{"--segment-duration-ms", std::to_string(segment_ms), "--http-threads",
                                                 std::to_string(http_threads), "--max-concurrent-queries",
                                                 std::to_string(max_queries)},
      dir + ".log");
  if (!server.ok()) {
    fmt::print(stderr, "server_load_bench: kiln server: {}\n", server.status());
    return 1;
  }
  const int port = (*server)->port();

  Latencies acks, queries;
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> pushed_bytes{0};
  std::vector<std::thread> threads;
  const auto t0 = Clock::now();
  for (int p = 0; p < pushers; ++p) {
    threads.emplace_back([&, p] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_read_timeout(30, 0);
      for (uint64_t i = 0; !stop; ++i) {
        const std::string& body = bodies[p][i % kVariants];
        const int64_t from = absl::ToUnixSeconds(absl::Now());
        const std::string path = fmt::format("/ingest?name=load-svc-{}%7Bpod%3Dpod-{}%7D&format=pprof&from={}&until={}",
                                             p % 10, p, from, from + 10);
        const auto start = Clock::now();
        auto res = client.Post(path, body, "application/octet-stream");
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        if (!res || res->status != 200) {
          acks.Error(res ? fmt::format("HTTP {}: {}", res->status, res->body)
                         : fmt::format("{} after {:.0f} ms (request {} of this client)", httplib::to_string(res.error()), ms, i));
          continue;
        }
        acks.Add(ms);
        pushed_bytes += body.size();
      }
    });
  }
  for (int q = 0; q < queriers; ++q) {
    threads.emplace_back([&, q] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_read_timeout(60, 0);
      for (uint64_t i = 0; !stop; ++i) {
        const int64_t now_ms = absl::ToUnixMillis(absl::Now());
        const std::string range = fmt::format(R"("start":"{}","end":"{}")", now_ms - 600000, now_ms + 60000);
        const bool merge = (i + q) % 2 == 0;
        const std::string body =
            merge ? fmt::format(R"({{"profileTypeID":"process_cpu:cpu:nanoseconds:cpu:nanoseconds",)"
                                R"("labelSelector":"{{service_name=\"load-svc-{}\"}}",{}}})",
                                (i + q) % 10, range)
                  : fmt::format(R"({{"profileTypeID":"process_cpu:cpu:nanoseconds:cpu:nanoseconds",)"
                                R"("labelSelector":"{{}}","groupBy":["service_name"],"step":15,{}}})",
                                range);
        const char* path = merge ? "/querier.v1.QuerierService/SelectMergeStacktraces"
                                 : "/querier.v1.QuerierService/SelectSeries";
        const auto start = Clock::now();
        auto res = client.Post(path, body, "application/json");
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        if (!res || res->status != 200) {
          queries.Error(res ? fmt::format("HTTP {}: {}", res->status, res->body) : httplib::to_string(res.error()));
          continue;
        }
        queries.Add(ms);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (std::thread& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
  const int exit_code = (*server)->Stop();
  fs::remove_all(dir);
  const bool failed = acks.errors || queries.errors || exit_code != 0;
  if (!failed) fs::remove(dir + ".log");

  const double limit = segment_ms + 100.0;
  const double p50 = acks.Percentile(0.5), p99 = acks.Percentile(0.99);
  fmt::print("server_load_bench: {} pushers, {} queriers, {:.0f} s, segment {} ms, {} HTTP threads, "
             "max concurrent queries {}; profiles {:.1f} KB gzipped on average\n",
             pushers, queriers, elapsed, segment_ms, http_threads,
             max_queries < 0 ? std::string("(server default)") : std::to_string(max_queries),
             body_bytes / 1024.0 / static_cast<double>(pushers * kVariants));
  fmt::print("  ingest: {} acknowledged ({:.0f}/s, {:.2f} MB/s), {} errors{}\n", acks.ms.size(),
             acks.ms.size() / elapsed, pushed_bytes / elapsed / 1e6, acks.errors,
             acks.errors ? " (first: " + acks.first_error + ")" : "");
  fmt::print("  ack latency: p50 {:.1f} ms, p99 {:.1f} ms; limit (segment + 100 ms) {:.0f} ms: p50 {:.2f}x the limit {}\n",
             p50, p99, limit, p50 / limit, p50 < limit ? "MET" : "NOT MET");
  fmt::print("  queries: {} answered ({:.1f}/s), p50 {:.1f} ms, p99 {:.1f} ms, {} errors{}\n", queries.ms.size(),
             queries.ms.size() / elapsed, queries.Percentile(0.5), queries.Percentile(0.99), queries.errors,
             queries.errors ? " (first: " + queries.first_error + ")" : "");
  fmt::print("  kiln server exited with {}{}\n", exit_code, failed ? "; its log: " + dir + ".log" : "");
  return failed ? 1 : 0;
}

}  // namespace
}  // namespace kiln

int main(int argc, char** argv) {
  CLI::App app{"Load on a real kiln server: concurrent pushers and queriers over loopback"};
  int pushers = 50, queriers = 10, seconds = 60, segment_ms = 500, http_threads = 64, max_queries = -1;
  app.add_option("--pushers", pushers, "concurrent pushing clients")->check(CLI::Range(1, 1000));
  app.add_option("--queriers", queriers, "concurrent querying clients")->check(CLI::Range(0, 1000));
  app.add_option("--seconds", seconds, "how long the load runs")->check(CLI::Range(1, 3600));
  app.add_option("--segment-ms", segment_ms, "kiln server --segment-duration-ms")->check(CLI::Range(10, 60000));
  app.add_option("--http-threads", http_threads, "kiln server --http-threads")->check(CLI::Range(1, 1024));
  app.add_option("--max-concurrent-queries", max_queries,
                 "kiln server --max-concurrent-queries (0: unbounded; default: the server's default)")
      ->check(CLI::Range(0, 1024));
  CLI11_PARSE(app, argc, argv);
  return kiln::Run(pushers, queriers, seconds, segment_ms, http_threads, max_queries);
}
