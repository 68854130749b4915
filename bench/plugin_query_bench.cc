// The Grafana plugin's QueryData latency for a 1 h flame graph of one
// service, in storage mode (the query engine over the data directory, in
// the plugin's process) and in server mode (a real `kiln server` on the same
// directory, asked over Connect), each beside the limit measured in the same
// run: the core engine's own merge of that hour (SelectMergeTree), which
// neither mode can beat. Per request: parse the query JSON, fetch or merge
// the tree, lay out maxNodes = 16,384, encode the Arrow frame.
//
//   build/bench/plugin_query_bench [--pods 4] [--interval-seconds 15] [--reps 7]
//
// Data: 1 h of one service built by the fleet generator from the corpus's
// Go CPU profile (varied per profile), written through the segment writer
// and compacted, as a running server leaves it.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/time/clock.h"
#include "bench/fleet/fleet_generator.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/ingest/importer_registry.h"
#include "kiln/storage/compactor.h"
#include "kiln/storage/local_metastore.h"
#include "kiln/storage/local_object_store.h"
#include "kiln/storage/segment_writer.h"
#include "plugin-backend/src/plugin_services.h"
#include "tests/server_process.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;
constexpr char kType[] = "process_cpu:cpu:nanoseconds:cpu:nanoseconds";

double MedianMs(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

template <typename Fn>
std::vector<double> Time(int reps, Fn fn) {
  fn();  // warm: caches and connections, as a dashboard refresh finds them
  std::vector<double> out;
  for (int i = 0; i < reps; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    fn();
    out.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  return out;
}

int Run(int pods, int interval_seconds, int reps) {
  const std::string corpus = KILN_CORPUS_DIR;
  const std::string base = corpus + "/pprof/generated-go/cpu.pb.gz";
  if (!fs::exists(base)) {
    fmt::print("plugin_query_bench: SKIPPED: {} is absent (the corpus is needed for realistic profiles)\n", base);
    return 0;
  }
  auto generator = bench::FleetGenerator::Create({base}, 42);
  if (!generator.ok()) {
    fmt::print(stderr, "plugin_query_bench: {}\n", generator.status());
    return 1;
  }
  const std::string dir = (fs::temp_directory_path() / fmt::format("kiln-plugin-bench-{}", getpid())).string();
  fs::remove_all(dir);
  const int64_t end_nanos = absl::ToUnixNanos(absl::Now()) / 1000000000 * 1000000000;
  const int64_t start_nanos = end_nanos - int64_t{3600} * 1000000000;
  int profiles = 0;
  {
    auto store = storage::OpenLocalObjectStore(dir + "/objects");
    auto metastore = storage::OpenLocalMetastore(dir + "/meta", store->get());
    if (!store.ok() || !metastore.ok()) {
      fmt::print(stderr, "plugin_query_bench: cannot open {}\n", dir);
      return 1;
    }
    // Writes are acknowledged once their segment is stored, so the hour
    // goes in as a few large batches rather than profile by profile.
    storage::SegmentWriterOptions options;
    options.segment_duration = absl::Milliseconds(50);
    storage::SegmentWriter writer(store->get(), metastore->get(), options);
    std::vector<Profile> batch;
    std::vector<LabelSet> labels;
    auto flush_batch = [&]() -> bool {
      std::vector<storage::IngestedProfile> in;
      for (size_t i = 0; i < batch.size(); ++i) in.push_back({labels[i], {}, &batch[i]});
      if (auto w = writer.Write("anonymous", in); !w.ok()) {
        fmt::print(stderr, "plugin_query_bench: {}\n", w.status());
        return false;
      }
      profiles += static_cast<int>(batch.size());
      batch.clear();
      labels.clear();
      return true;
    };
    for (int64_t t = start_nanos; t < end_nanos; t += int64_t{interval_seconds} * 1000000000) {
      for (int pod = 0; pod < pods; ++pod) {
        auto imported = ImporterRegistry::Default().Import(generator->Generate(0, 1, t + pod * 1000000), "cpu.pb.gz");
        if (!imported.ok()) {
          fmt::print(stderr, "plugin_query_bench: {}\n", imported.status());
          return 1;
        }
        for (Profile& p : *imported) {
          batch.push_back(std::move(p));
          labels.push_back(LabelSet{{"service_name", "bench"}, {"pod", fmt::format("pod-{}", pod)}});
        }
      }
      if (batch.size() >= 200 && !flush_batch()) return 1;
    }
    if (!batch.empty() && !flush_batch()) return 1;
    (void)writer.Flush();
    storage::Compactor compactor(store->get(), metastore->get());
    (void)compactor.RunOnce(absl::Now() + absl::Hours(2));
  }
  auto server = testing::ServerProcess::Start(KILN_CLI_PATH, dir, {}, dir + "/server.log");
  if (!server.ok()) {
    fmt::print(stderr, "plugin_query_bench: kiln server: {}\n", server.status());
    return 1;
  }

  plugin::PluginState state;
  auto context_of = [&](const std::string& uid, const std::string& json_data, const std::string& url) {
    pluginv2::PluginContext c;
    auto* ds = c.mutable_datasourceinstancesettings();
    ds->set_uid(uid);
    ds->set_jsondata(json_data);
    ds->set_url(url);
    return c;
  };
  const pluginv2::PluginContext storage_ctx = context_of("storage", fmt::format(R"({{"mode":"storage","storagePath":"{}"}})", dir), "");
  const pluginv2::PluginContext server_ctx =
      context_of("server", "{}", fmt::format("http://127.0.0.1:{}", (*server)->port()));
  pluginv2::DataQuery query;
  query.set_refid("A");
  query.set_querytype("profile");
  query.set_json(fmt::format(R"({{"profileTypeId":"{}","labelSelector":"{{service_name=\"bench\"}}","maxNodes":16384}})", kType));
  query.mutable_timerange()->set_fromepochms(start_nanos / 1000000);
  query.mutable_timerange()->set_toepochms(end_nanos / 1000000);

  size_t frame_bytes = 0;
  auto answer = [&](const pluginv2::PluginContext& ctx) {
    pluginv2::DataResponse r = plugin::AnswerQuery(&state, ctx, query);
    if (!r.error().empty() || r.frames_size() != 1) {
      fmt::print(stderr, "plugin_query_bench: query failed: {}\n", r.error());
      std::exit(1);
    }
    frame_bytes = r.frames(0).size();
  };
  const std::vector<double> storage_ms = Time(reps, [&] { answer(storage_ctx); });
  const std::vector<double> server_ms = Time(reps, [&] { answer(server_ctx); });

  // The limit: the core engine's merge of the same hour, in this process.
  auto store = storage::OpenLocalObjectStore(dir + "/objects", {.sync = true, .read_only = true});
  auto metastore = storage::OpenLocalMetastoreReader(dir + "/meta");
  QueryEngine engine(store->get(), metastore->get());
  ProfileSelection sel;
  sel.profile_type = kType;
  sel.start_nanos = start_nanos;
  sel.end_nanos = end_nanos;
  int64_t total = 0;
  const std::vector<double> merge_ms = Time(reps, [&] { total = engine.SelectMergeTree(sel)->total(); });
  (*server)->Stop();
  fs::remove_all(dir);

  const double storage = MedianMs(storage_ms), served = MedianMs(server_ms), merge = MedianMs(merge_ms);
  fmt::print("plugin_query_bench: 1 h of one service: {} profiles ({} pods every {} s), CPU total {} ns; "
             "frame {:.1f} KB; median of {} after one warm run\n",
             profiles, pods, interval_seconds, total, frame_bytes / 1024.0, reps);
  fmt::print("  core merge (SelectMergeTree, the limit)   {:8.1f} ms\n", merge);
  fmt::print("  QueryData, storage mode                   {:8.1f} ms   {:.2f}x the limit\n", storage, storage / merge);
  fmt::print("  QueryData, server mode (kiln server)      {:8.1f} ms   {:.2f}x the limit, {:.2f}x storage mode\n",
             served, served / merge, served / storage);
  return 0;
}

}  // namespace
}  // namespace kiln

int main(int argc, char** argv) {
  CLI::App app{"QueryData latency of the Grafana plugin: storage mode vs server mode"};
  int pods = 4, interval = 15, reps = 7;
  app.add_option("--pods", pods, "pods of the one service")->check(CLI::Range(1, 64));
  app.add_option("--interval-seconds", interval, "seconds between a pod's profiles")->check(CLI::Range(1, 3600));
  app.add_option("--reps", reps, "timed repetitions")->check(CLI::Range(1, 100));
  CLI11_PARSE(app, argc, argv);
  return kiln::Run(pods, interval, reps);
}
