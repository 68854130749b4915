// Query results over stored blocks equal a brute-force merge of the raw
// profiles (kiln::BuildTree over each imported profile, merged in memory —
// no storage code involved), before and after compaction.
#include "kiln/query/query_engine.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "core/testing/corpus.h"
#include "kiln/export/collapsed_writer.h"
#include "kiln/export/pprof_writer.h"
#include "kiln/ingest/importer_registry.h"
#include "kiln/query/flame_graph.h"
#include "kiln/query/tree_builder.h"
#include "kiln/storage/compactor.h"
#include "kiln/storage/local_metastore.h"
#include "kiln/storage/memory_object_store.h"
#include "kiln/storage/segment_writer.h"

namespace kiln {
namespace {

using storage::IngestedProfile;

constexpr char kInuse[] = "memory:inuse_space:bytes:space:bytes";
constexpr char kAlloc[] = "memory:alloc_space:bytes:space:bytes";

struct RawProfile {
  Profile profile;
  LabelSet labels;
  storage::ProfileId id;
};

class QueryEngineTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    KILN_SKIP_WITHOUT_CORPUS();
    dir_ = std::filesystem::temp_directory_path() /
           ("kiln-qe-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::remove_all(dir_);
    metastore_ = *storage::OpenLocalMetastore(dir_.string(), nullptr);
    // pprof/parca/many: 10 heap profiles of one Go process, 3 s apart. Pods
    // alternate so label selection means something.
    int i = 0;
    for (const std::string& path : testing::ListCorpusFiles("pprof/parca/many")) {
      auto imported = ImporterRegistry::Default().Import(testing::ReadFileForTest(testing::CorpusPath(path)), path);
      ASSERT_TRUE(imported.ok()) << imported.status();
      for (Profile& p : *imported) {
        raw_.push_back({std::move(p), LabelSet{{"service_name", "parca"}, {"pod", i % 2 ? "odd" : "even"}},
                        storage::NewProfileId()});
        ++i;
      }
    }
    ASSERT_EQ(raw_.size(), 10u);
    start_ = raw_.front().profile.time_nanos;
    end_ = raw_.back().profile.time_nanos;
    for (const RawProfile& r : raw_) {
      storage::SegmentWriterOptions options;
      options.segment_duration = absl::Milliseconds(1);
      storage::SegmentWriter writer(&store_, metastore_.get(), options);
      IngestedProfile in{r.labels, r.id, &r.profile};
      ASSERT_TRUE(writer.Write("anonymous", {&in, 1}).ok());
    }
    if (GetParam()) {  // compacted
      storage::Compactor compactor(&store_, metastore_.get());
      ASSERT_TRUE(compactor.RunOnce(absl::Now() + absl::Hours(1)).ok());
      ASSERT_EQ(metastore_->ListBlocks().size(), 1u);
    }
    engine_ = std::make_unique<QueryEngine>(&store_, metastore_.get());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  ProfileSelection Select(const char* type, int64_t start, int64_t end) const {
    ProfileSelection s;
    s.profile_type = type;
    s.start_nanos = start;
    s.end_nanos = end;
    return s;
  }

  // The brute-force oracle: merge of BuildTree over the raw profiles that
  // |keep| accepts.
  template <typename Keep>
  std::string BruteForce(const char* sample_type, Keep keep) const {
    Tree merged;
    for (const RawProfile& r : raw_) {
      if (!keep(r)) continue;
      const int t = r.profile.FindSampleType(sample_type);
      EXPECT_GE(t, 0);
      merged.Merge(BuildTree(r.profile, t));
    }
    return WriteCollapsed(merged);
  }

  static inline int counter_ = 0;
  std::filesystem::path dir_;
  storage::MemoryObjectStore store_;
  std::unique_ptr<storage::Metastore> metastore_;
  std::unique_ptr<QueryEngine> engine_;
  std::vector<RawProfile> raw_;
  int64_t start_ = 0, end_ = 0;
};

TEST_P(QueryEngineTest, MergedFlameGraphEqualsBruteForceMerge) {
  auto tree = engine_->SelectMergeTree(Select(kInuse, start_, end_));
  ASSERT_TRUE(tree.ok()) << tree.status();
  EXPECT_EQ(WriteCollapsed(*tree), BruteForce("inuse_space", [](const RawProfile&) { return true; }));
  EXPECT_GT(tree->total(), 0);
  auto alloc = engine_->SelectMergeTree(Select(kAlloc, start_, end_));
  ASSERT_TRUE(alloc.ok());
  EXPECT_EQ(WriteCollapsed(*alloc), BruteForce("alloc_space", [](const RawProfile&) { return true; }));
}

TEST_P(QueryEngineTest, TimeRangeAndLabelSelectorsPickTheRightProfiles) {
  const int64_t mid = raw_[4].profile.time_nanos;
  auto first_half = engine_->SelectMergeTree(Select(kInuse, start_, mid));
  ASSERT_TRUE(first_half.ok());
  EXPECT_EQ(WriteCollapsed(*first_half),
            BruteForce("inuse_space", [&](const RawProfile& r) { return r.profile.time_nanos <= mid; }));

  ProfileSelection odd = Select(kInuse, start_, end_);
  odd.matchers = ParseSelector("{pod=\"odd\"}")->matchers;
  auto tree = engine_->SelectMergeTree(odd);
  ASSERT_TRUE(tree.ok());
  EXPECT_EQ(WriteCollapsed(*tree), BruteForce("inuse_space", [](const RawProfile& r) { return r.labels.Get("pod") == "odd"; }));

  ProfileSelection none = Select(kInuse, start_, end_);
  none.matchers = ParseSelector("{service_name=\"other\"}")->matchers;
  EXPECT_EQ(engine_->SelectMergeTree(none)->total(), 0);

  ProfileSelection one = Select(kInuse, start_, end_);
  one.profile_ids = {raw_[3].id};
  EXPECT_EQ(WriteCollapsed(*engine_->SelectMergeTree(one)),
            BruteForce("inuse_space", [&](const RawProfile& r) { return r.id == raw_[3].id; }));
}

TEST_P(QueryEngineTest, CallSiteSelectorKeepsStacksWithThePrefix) {
  auto full = engine_->SelectMergeTree(Select(kAlloc, start_, end_));
  ASSERT_TRUE(full.ok());
  // The heaviest root child and its heaviest child make the prefix.
  auto children = full->SortedChildren(Tree::kRoot);
  ASSERT_FALSE(children.empty());
  Tree::NodeId top = children[0];
  for (auto c : children) if (full->node(c).total > full->node(top).total) top = c;
  auto grandchildren = full->SortedChildren(top);
  ASSERT_FALSE(grandchildren.empty());
  Tree::NodeId second = grandchildren[0];
  for (auto c : grandchildren) if (full->node(c).total > full->node(second).total) second = c;
  ProfileSelection sel = Select(kAlloc, start_, end_);
  sel.call_site = {std::string(full->name(top)), std::string(full->name(second))};
  auto filtered = engine_->SelectMergeTree(sel);
  ASSERT_TRUE(filtered.ok());
  EXPECT_EQ(filtered->total(), full->node(second).total);
  // Every stack of the result starts with the prefix.
  for (auto c : filtered->SortedChildren(Tree::kRoot)) EXPECT_EQ(filtered->name(c), sel.call_site[0]);
}

TEST_P(QueryEngineTest, SeriesSumsEqualProfileTotals) {
  ProfileSelection sel = Select(kInuse, start_, end_);
  SeriesOptions options;
  options.step_nanos = 1000000000;  // one profile per point
  options.group_by = {"pod"};
  options.exemplars = ExemplarKind::kIndividual;
  auto series = engine_->SelectSeries(sel, options);
  ASSERT_TRUE(series.ok()) << series.status();
  ASSERT_EQ(series->size(), 2u);
  std::map<std::pair<std::string, int64_t>, int64_t> expected;
  for (const RawProfile& r : raw_) {
    const int64_t ts = start_ + (r.profile.time_nanos - start_) / options.step_nanos * options.step_nanos;
    expected[{std::string(r.labels.Get("pod")), ts}] += r.profile.Total(r.profile.FindSampleType("inuse_space"));
  }
  std::map<std::pair<std::string, int64_t>, int64_t> actual;
  for (const TimeSeries& s : *series) {
    for (const SeriesPoint& p : s.points) {
      actual[{std::string(s.labels.Get("pod")), p.timestamp_nanos}] += static_cast<int64_t>(p.value);
      ASSERT_EQ(p.exemplars.size(), 1u);
      EXPECT_NE(p.exemplars[0].profile_id, storage::ProfileId{});
      EXPECT_EQ(p.exemplars[0].value, static_cast<int64_t>(p.value));
    }
  }
  EXPECT_EQ(actual, expected);

  // Top-1 by total, and averages over a wide step.
  options.limit = 1;
  options.step_nanos = int64_t{3600} * 1000000000;
  options.aggregation = Aggregation::kAverage;
  auto top = engine_->SelectSeries(sel, options);
  ASSERT_TRUE(top.ok());
  ASSERT_EQ(top->size(), 1u);
  ASSERT_EQ((*top)[0].points.size(), 1u);
  double sum = 0;
  int n = 0;
  for (const RawProfile& r : raw_) {
    if (r.labels.Get("pod") != (*top)[0].labels.Get("pod")) continue;
    sum += r.profile.Total(r.profile.FindSampleType("inuse_space"));
    ++n;
  }
  EXPECT_DOUBLE_EQ((*top)[0].points[0].value, sum / n);
}

TEST_P(QueryEngineTest, FunctionSeriesEqualsTheTreesSelfAndTotal) {
  auto tree = engine_->SelectMergeTree(Select(kAlloc, start_, end_));
  ASSERT_TRUE(tree.ok());
  // Pick the function with the largest self value in the tree.
  std::map<std::string, int64_t> self;
  for (Tree::NodeId n = 1; n < tree->size(); ++n) self[std::string(tree->name(n))] += tree->node(n).self;
  auto best = std::max_element(self.begin(), self.end(), [](auto& a, auto& b) { return a.second < b.second; });
  int64_t total = 0;  // nodes named F without an F above them
  for (Tree::NodeId n = 1; n < tree->size(); ++n) {
    if (tree->name(n) != best->first) continue;
    bool nested = false;
    for (Tree::NodeId a = tree->node(n).parent; a != Tree::kRoot; a = tree->node(a).parent) {
      nested = nested || tree->name(a) == best->first;
    }
    if (!nested) total += tree->node(n).total;
  }
  SeriesOptions options;
  options.step_nanos = int64_t{3600} * 1000000000;
  options.function = best->first;
  options.function_self = true;
  auto s = engine_->SelectSeries(Select(kAlloc, start_, end_), options);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->size(), 1u);
  EXPECT_EQ(static_cast<int64_t>((*s)[0].points[0].value), best->second);
  options.function_self = false;
  s = engine_->SelectSeries(Select(kAlloc, start_, end_), options);
  EXPECT_EQ(static_cast<int64_t>((*s)[0].points[0].value), total);
}

TEST_P(QueryEngineTest, ProfilesListsEachStoredProfileNewestFirst) {
  ProfileSelection sel = Select(kInuse, start_, end_);
  sel.matchers = {*LabelMatcher::Create(LabelMatcher::Op::kEqual, "pod", "odd")};
  auto listed = engine_->SelectProfiles(sel, 0);
  ASSERT_TRUE(listed.ok()) << listed.status();
  std::vector<const RawProfile*> odd;
  for (const RawProfile& r : raw_) {
    if (r.labels.Get("pod") == "odd") odd.push_back(&r);
  }
  std::sort(odd.begin(), odd.end(),
            [](const RawProfile* a, const RawProfile* b) { return a->profile.time_nanos > b->profile.time_nanos; });
  ASSERT_EQ(listed->size(), odd.size());
  for (size_t i = 0; i < odd.size(); ++i) {
    const ProfileSummary& got = (*listed)[i];
    EXPECT_EQ(got.id, odd[i]->id) << i;
    EXPECT_EQ(got.timestamp_nanos, odd[i]->profile.time_nanos) << i;
    EXPECT_EQ(got.total, odd[i]->profile.Total(odd[i]->profile.FindSampleType("inuse_space"))) << i;
    EXPECT_EQ(got.labels.Get("pod"), "odd");
    EXPECT_EQ(got.labels.Get("service_name"), "parca");
  }
  // The newest two only.
  auto two = engine_->SelectProfiles(sel, 2);
  ASSERT_TRUE(two.ok());
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[1].id, odd[1]->id);
  EXPECT_FALSE(engine_->SelectProfiles(sel, 100001).ok());
}

TEST_P(QueryEngineTest, HeatmapCountsEveryProfileOnce) {
  HeatmapOptions options;
  options.step_nanos = 6000000000;
  auto heatmap = engine_->SelectHeatmap(Select(kInuse, start_, end_), options);
  ASSERT_TRUE(heatmap.ok()) << heatmap.status();
  ASSERT_EQ(heatmap->size(), 1u);
  int count = 0;
  int64_t max_exemplar = 0;
  for (const HeatmapSlot& slot : (*heatmap)[0].slots) {
    ASSERT_EQ(slot.counts.size(), 20u);
    EXPECT_LE(slot.timestamp_nanos - options.step_nanos, end_);
    for (int32_t c : slot.counts) count += c;
    for (const Exemplar& e : slot.exemplars) {
      max_exemplar = std::max(max_exemplar, e.value);
      EXPECT_GT(e.timestamp_nanos, slot.timestamp_nanos - options.step_nanos - 1);
      EXPECT_LE(e.timestamp_nanos, slot.timestamp_nanos);
    }
  }
  EXPECT_EQ(count, 10);
  int64_t expected_max = 0;
  for (const RawProfile& r : raw_) expected_max = std::max(expected_max, r.profile.Total(r.profile.FindSampleType("inuse_space")));
  EXPECT_EQ(max_exemplar, expected_max);
}

// A profile whose samples carry labels is stored as one series per label
// set; the heatmap (per profile) and the profile list count it once, the
// series query keeps the parts apart when grouped by the sample label.
TEST(QueryEngineSplitProfileTest, ProfilesStoredAsSeveralSeriesCountOnce) {
  const std::string dir = (std::filesystem::temp_directory_path() / ("kiln-qe-split-" + std::to_string(::getpid()))).string();
  std::filesystem::remove_all(dir);
  storage::MemoryObjectStore store;
  auto metastore = *storage::OpenLocalMetastore(dir, nullptr);
  Profile p;
  p.sample_types = {{"cpu", "nanoseconds"}};
  p.period_type = {"cpu", "nanoseconds"};
  p.period = 10000000;
  p.time_nanos = 1700000000000000000;
  const LocationId main = p.symbols.InternFrame("main", "main.go", 1);
  for (const char* handler : {"a", "b", "c"}) {
    const uint32_t labels =
        p.InternLabelSet({SampleLabel{p.symbols.InternString("handler"), p.symbols.InternString(handler), 0, 0}});
    const int64_t value[] = {10000000};
    p.AddSample(p.stacks.InternRootFirst(std::vector<LocationId>{main}), value, labels);
  }
  {
    storage::SegmentWriter writer(&store, metastore.get());
    IngestedProfile in{LabelSet{{"service_name", "split"}}, storage::NewProfileId(), &p};
    ASSERT_TRUE(writer.Write("anonymous", {&in, 1}).ok());
  }
  QueryEngine engine(&store, metastore.get());
  ProfileSelection sel;
  sel.profile_type = "process_cpu:cpu:nanoseconds:cpu:nanoseconds";
  sel.start_nanos = p.time_nanos - 1000000000;
  sel.end_nanos = p.time_nanos + 1000000000;
  auto series = engine.Series("anonymous", {}, {}, sel.start_nanos, sel.end_nanos);
  ASSERT_TRUE(series.ok());
  ASSERT_EQ(series->size(), 3u);  // stored as three series
  HeatmapOptions options;
  options.step_nanos = 1000000000;
  auto heatmap = engine.SelectHeatmap(sel, options);
  ASSERT_TRUE(heatmap.ok()) << heatmap.status();
  int32_t count = 0;
  int64_t exemplar = 0;
  for (const HeatmapSeries& s : *heatmap) {
    for (const HeatmapSlot& slot : s.slots) {
      for (int32_t c : slot.counts) count += c;
      for (const Exemplar& e : slot.exemplars) exemplar = e.value;
    }
  }
  EXPECT_EQ(count, 1);
  EXPECT_EQ(exemplar, 30000000);
  auto listed = engine.SelectProfiles(sel, 0);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].total, 30000000);
  EXPECT_EQ((*listed)[0].labels.Get("handler"), "");  // not shared by the parts
  options.group_by = {"handler"};
  heatmap = engine.SelectHeatmap(sel, options);
  ASSERT_TRUE(heatmap.ok());
  EXPECT_EQ(heatmap->size(), 3u);  // grouped by the sample label: one point per group
  std::filesystem::remove_all(dir);
}

TEST_P(QueryEngineTest, LabelQueriesAndProfileTypes) {
  auto types = engine_->ProfileTypes("anonymous", start_, end_);
  ASSERT_TRUE(types.ok());
  std::vector<std::string> ids;
  for (const auto& t : *types) ids.push_back(t.ToString());
  EXPECT_EQ(ids, (std::vector<std::string>{"memory:alloc_objects:count:space:bytes", kAlloc,
                                           "memory:inuse_objects:count:space:bytes", kInuse}));
  auto names = engine_->LabelNames("anonymous", {}, start_, end_);
  ASSERT_TRUE(names.ok());
  EXPECT_NE(std::find(names->begin(), names->end(), "pod"), names->end());
  EXPECT_NE(std::find(names->begin(), names->end(), "__profile_type__"), names->end());
  auto pods = engine_->LabelValues("anonymous", "pod", ParseSelector("{service_name=\"parca\"}")->matchers, start_, end_);
  ASSERT_TRUE(pods.ok());
  EXPECT_EQ(*pods, (std::vector<std::string>{"even", "odd"}));
  auto series = engine_->Series("anonymous", ParseSelector("{__profile_type__=\"" + std::string(kInuse) + "\"}")->matchers,
                                {"pod", "service_name"}, start_, end_);
  ASSERT_TRUE(series.ok());
  EXPECT_EQ(series->size(), 2u);
  EXPECT_EQ(engine_->LabelValues("other-tenant", "pod", {}, start_, end_)->size(), 0u);
  DataStats stats = engine_->GetDataStats("anonymous");
  EXPECT_TRUE(stats.data_ingested);
  EXPECT_EQ(stats.oldest_nanos, start_);
}

TEST_P(QueryEngineTest, MergedProfileExportsToPprofWithTheSameTotal) {
  auto merged = engine_->SelectMergeProfile(Select(kAlloc, start_, end_));
  ASSERT_TRUE(merged.ok()) << merged.status();
  auto bytes = WritePprof(*merged);
  ASSERT_TRUE(bytes.ok());
  auto back = ImporterRegistry::Default().Import(*bytes, "merged.pb.gz");
  ASSERT_TRUE(back.ok()) << back.status();
  Tree tree = BuildTree((*back)[0], 0);
  EXPECT_EQ(WriteCollapsed(tree), BruteForce("alloc_space", [](const RawProfile&) { return true; }));
}

TEST_P(QueryEngineTest, LimitsFailWithAClearMessage) {
  QueryLimits limits;
  limits.max_tree_nodes = 10;
  QueryEngine small(&store_, metastore_.get(), limits);
  auto tree = small.SelectMergeTree(Select(kInuse, start_, end_));
  EXPECT_EQ(tree.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(tree.status().message().find("narrow"), std::string::npos);
  auto wide = engine_->SelectMergeTree(Select(kInuse, 0, int64_t{400} * 24 * 3600 * 1000000000));
  EXPECT_EQ(wide.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(engine_->SelectMergeTree(Select(kInuse, end_, start_)).status().code(), absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Storage, QueryEngineTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Compacted" : "Segments"; });

}  // namespace
}  // namespace kiln
