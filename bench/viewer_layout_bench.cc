// The desktop viewer's model at scale (issue 7): for a synthetic
// 1,000,000-node call tree and the corpus's pprof/generated-go/wide-heap.pb.gz,
//  - time to load (import + merge into a tree; wide-heap only) and to lay out
//    (DepthLayout::Build: the core's untruncated layout regrouped by depth);
//  - render-list build per frame at 1920x1080 (20 px rows, labels on) at zoom
//    levels 1x .. 100000x around the densest spot (ZoomCenter), beside the frame budget: 8 ms, so that building the
//    list and painting it fit one 60 fps frame. ratio = 8 ms / measured (>= 1
//    meets the target). Each frame pans by 7 px, cycling over 64 positions, so
//    label budgets change and the label cache is not all hits;
//  - memory per node of the layout (its vectors' capacities and name bytes).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "bench/benchmark_runner.h"
#include "bench/corpus_files.h"
#include "fmt/format.h"
#include "kiln/ingest/importer_registry.h"
#include "kiln/query/flame_graph_layout.h"
#include "kiln/query/tree.h"
#include "kiln/query/tree_builder.h"
#include "kiln/viewer/depth_layout.h"
#include "kiln/viewer/render_list_builder.h"
#include "kiln/viewer/viewport.h"

namespace kiln::bench {
namespace {

using viewer::DepthLayout;
using viewer::RenderList;
using viewer::RenderListBuilder;
using viewer::Viewport;

constexpr double kFrameBudgetSeconds = 0.008;
constexpr double kWidth = 1920, kHeight = 1080;
constexpr int kPanPositions = 64;
constexpr double kPanStepPx = 7;
constexpr int64_t kZooms[] = {1, 10, 100, 1000, 10000, 100000};
constexpr const char* kWideHeap = "pprof/generated-go/wide-heap.pb.gz";

// Deterministic xorshift64*.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed * 0x9E3779B97F4A7C15ull + 1) {}
  uint64_t Next() {
    s_ ^= s_ >> 12;
    s_ ^= s_ << 25;
    s_ ^= s_ >> 27;
    return s_ * 0x2545F4914F6CDD1Dull;
  }
  uint64_t Below(uint64_t n) { return Next() % n; }

 private:
  uint64_t s_;
};

// A call tree of exactly |nodes| nodes shaped like a large service's:
// 20,000 functions in 60 packages (Go, C++ and Java names, so labels and
// colours do real work), stacks 4-64 deep that share prefixes (a node's
// callees are mostly its few "usual" ones, sometimes any function), and
// heavy-tailed leaf values, so the graph has both wide bars and long runs
// of sub-pixel ones.
Tree MakeSyntheticTree(size_t nodes) {
  constexpr int kFunctions = 20000, kPackages = 60;
  Tree tree;
  std::vector<StringId> names(kFunctions);
  for (int f = 0; f < kFunctions; ++f) {
    const int pkg = f % kPackages;
    std::string name;
    switch (pkg % 3) {
      case 0:
        name = fmt::format("github.com/acme/svc{}/pkg{}.(*Type{}).Method{}", pkg, pkg / 3, f % 97, f);
        break;
      case 1:
        name = fmt::format("acme::mod{}::Class{}<int>::method{}(std::string const&, int) const", pkg, f % 89, f);
        break;
      default:
        name = fmt::format("com.acme.mod{}.Class{}.method{}", pkg, f % 83, f);
    }
    names[f] = tree.names().Intern(name);
  }
  Rng rng(42);
  while (tree.size() < nodes) {
    const uint64_t depth = 4 + rng.Below(61);
    Tree::NodeId node = Tree::kRoot;
    for (uint64_t d = 0; d < depth && tree.size() < nodes; ++d) {
      uint64_t f;
      if (rng.Below(100) < 90) {
        uint64_t k = 0;  // geometric: the node's k-th usual callee
        while (k < 30 && (rng.Next() & 1)) ++k;
        f = (static_cast<uint64_t>(node) * 2654435761u + k * 40503u + d) % kFunctions;
      } else {
        f = rng.Below(kFunctions);
      }
      node = tree.Child(node, names[f]);
    }
    const uint64_t r = 1 + rng.Below(1000);
    tree.AddSelf(node, static_cast<int64_t>(r * r / 10 + 1));
  }
  return tree;
}

struct Case {
  std::string name;
  std::string bytes;  // the file, when the case was loaded from one
  Tree tree;
  DepthLayout layout;
  int64_t zoom_center = 0;  // tick the zoom levels centre on
};

// Where the zoom levels centre: the median node (by position) of the most
// populated depth, i.e. where nodes are densest - the costliest place to
// zoom into. (Following the widest child instead lands, in wide-heap, on a
// single stack holding 13 % of the total, where every zoom level shows one
// bar per row.)
int64_t ZoomCenter(const DepthLayout& layout) {
  size_t densest = 0;
  for (size_t d = 1; d < layout.depth_count(); ++d) {
    if (layout.level(d).size() > layout.level(densest).size()) densest = d;
  }
  const auto& level = layout.level(densest);
  const size_t median = level.size() / 2;
  return level.start[median] + level.width[median] / 2;
}

Viewport ViewAt(const Case& c, int64_t zoom, int pan_position) {
  Viewport v = Viewport::Full(c.layout, kWidth, kHeight);
  const int64_t total = c.layout.total();
  const int64_t span = std::max<int64_t>(total / zoom, Viewport::kMinSpanTicks);
  v.ZoomTo(c.zoom_center - span / 2, c.zoom_center - span / 2 + span);
  v.PanBy(pan_position * kPanStepPx - kPanPositions * kPanStepPx / 2, total);
  return v;
}

void BM_Load(benchmark::State& state, const Case* c) {
  for (auto _ : state) {
    auto profiles = ImporterRegistry::Default().Import(c->bytes, kWideHeap);
    if (!profiles.ok()) {
      state.SkipWithError(std::string(profiles.status().message()).c_str());
      break;
    }
    Tree tree = BuildTree(profiles->front(), profiles->front().DefaultTypeIndex());
    benchmark::DoNotOptimize(tree.total());
  }
}

void BM_Layout(benchmark::State& state, const Case* c) {
  for (auto _ : state) {
    DepthLayout layout = DepthLayout::Build(c->tree);
    benchmark::DoNotOptimize(layout.total());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(c->tree.size()));
}

// The core's part of Layout: the untruncated pre-order layout alone.
void BM_CoreLayout(benchmark::State& state, const Case* c) {
  for (auto _ : state) {
    ::kiln::FlameGraphLayout core = LayoutFlameGraph(c->tree, /*max_nodes=*/0);
    benchmark::DoNotOptimize(core.nodes.data());
  }
}

void BM_Frame(benchmark::State& state, const Case* c, int64_t zoom) {
  std::vector<Viewport> views;
  for (int p = 0; p < kPanPositions; ++p) views.push_back(ViewAt(*c, zoom, p));
  RenderListBuilder builder;
  RenderList list;
  const viewer::RenderOptions options;
  size_t frame = 0, items = 0, examined = 0;
  for (auto _ : state) {
    builder.Build(c->layout, views[frame % views.size()], options, nullptr, &list);
    items += list.items.size();
    examined += list.nodes_examined;
    ++frame;
    benchmark::DoNotOptimize(list.items.data());
  }
  state.counters["items"] = static_cast<double>(items) / static_cast<double>(std::max<size_t>(frame, 1));
  state.counters["examined"] = static_cast<double>(examined) / static_cast<double>(std::max<size_t>(frame, 1));
}

std::string LayoutName(const Case& c) { return "Layout/" + c.name; }
std::string LoadName(const Case& c) { return "Load/" + c.name; }
std::string CoreLayoutName(const Case& c) { return "CoreLayout/" + c.name; }
std::string FrameName(const Case& c, int64_t zoom) { return fmt::format("Frame/{}/zoom{}x", c.name, zoom); }

std::vector<std::unique_ptr<Case>> MakeCases() {
  std::vector<std::unique_ptr<Case>> cases;
  {
    auto c = std::make_unique<Case>();
    c->name = "synthetic/1M-nodes";
    c->tree = MakeSyntheticTree(1000000);
    cases.push_back(std::move(c));
  }
  if (!HaveCorpus()) {
    std::fprintf(stderr, "viewer_layout_bench: corpus not found at %s (set KILN_CORPUS_DIR); "
                         "measuring the synthetic tree only\n", CorpusDir().c_str());
  } else if (auto bytes = ReadCorpusFile(kWideHeap); !bytes) {
    std::fprintf(stderr, "skip %s: cannot read\n", kWideHeap);
  } else {
    auto profiles = ImporterRegistry::Default().Import(*bytes, kWideHeap);
    if (!profiles.ok()) {
      std::fprintf(stderr, "skip %s: %s\n", kWideHeap, std::string(profiles.status().message()).c_str());
    } else {
      auto c = std::make_unique<Case>();
      c->name = kWideHeap;
      c->bytes = *std::move(bytes);
      c->tree = BuildTree(profiles->front(), profiles->front().DefaultTypeIndex());
      cases.push_back(std::move(c));
    }
  }
  for (auto& c : cases) {
    c->layout = DepthLayout::Build(c->tree);
    c->zoom_center = ZoomCenter(c->layout);
  }
  return cases;
}

void PrintSummary(const std::vector<std::unique_ptr<Case>>& cases, const BenchmarkResults& results) {
  std::printf("\n== Summary: viewer model (one thread, CPU time)\n");
  std::printf("frame = render-list build at %.0fx%.0f, 20 px rows, labels on; target <= %.0f ms per frame; "
              "ratio = target / measured (>= 1 meets it)\n", kWidth, kHeight, kFrameBudgetSeconds * 1e3);
  for (const auto& c : cases) {
    const DepthLayout& layout = c->layout;
    const double bytes_per_node = static_cast<double>(layout.MemoryBytes()) / static_cast<double>(layout.size());
    std::printf("\n%s: %zu tree nodes, %zu laid out, %zu depths, %zu unique names, total %lld ticks\n",
                c->name.c_str(), c->tree.size(), layout.size(), layout.depth_count(), layout.names().size(),
                static_cast<long long>(layout.total()));
    if (auto load = results.CpuSecondsPerIteration(LoadName(*c))) {
      std::printf("  load (import + tree)   %9.1f ms\n", *load * 1e3);
    }
    if (auto lay = results.CpuSecondsPerIteration(LayoutName(*c))) {
      std::printf("  layout                 %9.1f ms  (%.0f ns per node)\n", *lay * 1e3,
                  *lay * 1e9 / static_cast<double>(layout.size()));
      if (auto core = results.CpuSecondsPerIteration(CoreLayoutName(*c))) {
        std::printf("    of which core layout %9.1f ms  (kiln::LayoutFlameGraph; the rest regroups by depth)\n",
                    *core * 1e3);
      }
    }
    std::printf("  layout memory          %9.1f MB  (%.1f bytes per node, names included)\n",
                static_cast<double>(layout.MemoryBytes()) / 1e6, bytes_per_node);
    for (int64_t zoom : kZooms) {
      auto frame = results.CpuSecondsPerIteration(FrameName(*c, zoom));
      if (!frame) continue;
      const double ratio = kFrameBudgetSeconds / *frame;
      std::printf("  FRAME zoom %6lldx      %9.3f ms  target %.0f ms  ratio %8.1f %s\n",
                  static_cast<long long>(zoom), *frame * 1e3, kFrameBudgetSeconds * 1e3, ratio,
                  ratio >= 1 ? "PASS" : "FAIL");
    }
  }
}

}  // namespace
}  // namespace kiln::bench

int main(int argc, char** argv) {
  using namespace kiln::bench;
  const auto cases = MakeCases();
  for (const auto& c : cases) {
    if (!c->bytes.empty()) benchmark::RegisterBenchmark(LoadName(*c).c_str(), BM_Load, c.get());
    benchmark::RegisterBenchmark(LayoutName(*c).c_str(), BM_Layout, c.get())->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(CoreLayoutName(*c).c_str(), BM_CoreLayout, c.get())->Unit(benchmark::kMillisecond);
    for (int64_t zoom : kZooms) {
      benchmark::RegisterBenchmark(FrameName(*c, zoom).c_str(), BM_Frame, c.get(), zoom)
          ->Unit(benchmark::kMicrosecond);
    }
  }
  auto results = RunBenchmarks(argc, argv, /*default_min_time=*/0.2);
  if (!results) return 1;
  PrintSummary(cases, *results);
  return 0;
}
