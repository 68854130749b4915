// The plugin's query path on real storage: a kiln data directory written
// with the core's segment writer, opened by the storage backend exactly as a
// datasource in storage mode opens it, queried through RunQuery and the
// resource handler. Frames are checked after an Arrow encode by reading the
// columns the encoder wrote (the npm decoder checks the bytes elsewhere).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "core/storage/storage_test_profiles.h"
#include "kiln/base/gzip.h"
#include "kiln/storage/local_metastore.h"
#include "kiln/storage/local_object_store.h"
#include "kiln/storage/segment_writer.h"
#include "plugin-backend/arrow/arrow_file_writer.h"
#include "plugin-backend/src/datasource_settings.h"
#include "plugin-backend/src/hclog_logger.h"
#include "plugin-backend/src/plugin_query.h"
#include "plugin-backend/src/profile_frames.h"
#include "plugin-backend/src/query_runner.h"
#include "plugin-backend/src/resource_handler.h"
#include "plugin-backend/src/storage_backend.h"

namespace kiln::plugin {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr int64_t kT0 = 1700000000000;  // ms

const Field& FieldNamed(const Frame& frame, const std::string& name) {
  for (const Field& f : frame.fields()) {
    if (f.name() == name) return f;
  }
  ADD_FAILURE() << "no field " << name << " in frame " << frame.name();
  return frame.fields().front();
}

class PluginBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("kiln-plugin-" + std::to_string(::getpid()))).string();
    fs::remove_all(dir_);
    auto store = storage::OpenLocalObjectStore(dir_ + "/objects");
    ASSERT_TRUE(store.ok()) << store.status();
    auto metastore = storage::OpenLocalMetastore(dir_ + "/meta", store->get());
    ASSERT_TRUE(metastore.ok()) << metastore.status();
    // Four CPU profiles, 10 s apart, of pods a, b, a, b, at scales 1..4
    // (SmallCpuProfile: main;work 3×scale and main;work;hash 5×scale).
    for (int i = 0; i < 4; ++i) {
      profiles_.push_back(storage::testing::SmallCpuProfile(i + 1, (kT0 + i * 10000) * 1000000));
    }
    storage::SegmentWriter writer(store->get(), metastore->get());
    for (int i = 0; i < 4; ++i) {
      storage::IngestedProfile in{LabelSet{{"service_name", "shop"}, {"pod", i % 2 ? "b" : "a"}}, {}, &profiles_[i]};
      ASSERT_TRUE(writer.Write("anonymous", {&in, 1}).ok());
    }
    ASSERT_TRUE(writer.Flush().ok());
    StorageBackendOptions options;
    options.data_dir = dir_;
    auto backend = OpenStorageBackend(options);
    ASSERT_TRUE(backend.ok()) << backend.status();
    instance_.backend = *std::move(backend);
    auto types = instance_.backend->ProfileTypes(kT0 - 1000, kT0 + 60000);
    ASSERT_TRUE(types.ok()) << types.status();
    for (const std::string& t : *types) {
      if (t.find(":cpu:nanoseconds:") != std::string::npos) cpu_type_ = t;
    }
    ASSERT_FALSE(cpu_type_.empty());
  }
  void TearDown() override { fs::remove_all(dir_); }

  int64_t CpuTotal(int i) const { return profiles_[i].Total(profiles_[i].FindSampleType("cpu")); }

  PluginQuery Query(QueryKind kind, const std::string& selector = "{}") const {
    PluginQuery q;
    q.ref_id = "A";
    q.kind = kind;
    q.profile_type_id = cpu_type_;
    q.label_selector = selector;
    q.from_ms = kT0 - 1000;
    q.to_ms = kT0 + 60000;
    q.interval_ms = 10000;
    return q;
  }

  std::vector<Frame> Run(const PluginQuery& q) {
    auto frames = RunQuery(q, instance_, {"uid1", "Kiln"});
    EXPECT_TRUE(frames.ok()) << frames.status();
    if (!frames.ok()) return {};
    for (const Frame& f : *frames) EXPECT_TRUE(EncodeArrowFile(f).ok()) << f.name();
    return *std::move(frames);
  }

  std::string dir_;
  std::vector<Profile> profiles_;
  DatasourceInstance instance_;
  std::string cpu_type_;
};

TEST_F(PluginBackendTest, FlameGraphFrameHoldsTheMergedTree) {
  std::vector<Frame> frames = Run(Query(QueryKind::kProfile, "{pod=\"a\"}"));
  ASSERT_EQ(frames.size(), 1u);
  const Frame& f = frames[0];
  EXPECT_NE(f.meta_json().find("\"preferredVisualisationType\":\"flamegraph\""), std::string::npos);
  const Field& level = FieldNamed(f, "level");
  const Field& value = FieldNamed(f, "value");
  const Field& self = FieldNamed(f, "self");
  const Field& label = FieldNamed(f, "label");
  EXPECT_EQ(label.type(), FieldType::kEnum);
  EXPECT_NE(value.config_json().find("\"unit\":\"ns\""), std::string::npos);
  ASSERT_EQ(level.size(), 4u);  // total, main, work, hash
  EXPECT_EQ(level.int64s(), (std::vector<int64_t>{0, 1, 2, 3}));
  EXPECT_EQ(value.int64s()[0], CpuTotal(0) + CpuTotal(2));
  EXPECT_EQ(self.int64s()[3], value.int64s()[3]);  // hash is a leaf
  const Json config = Json::parse(label.config_json());
  EXPECT_EQ(config["type"]["enum"]["text"], Json({"total", "main", "work", "hash"}));
  EXPECT_EQ(label.uint16s(), (std::vector<uint16_t>{0, 1, 2, 3}));
}

TEST_F(PluginBackendTest, MetricsAreRatedPerSeriesAndFunctionMetricsCountOneFunction) {
  PluginQuery q = Query(QueryKind::kMetrics);
  q.group_by = {"pod"};
  std::vector<Frame> frames = Run(q);
  ASSERT_EQ(frames.size(), 2u);
  const double step = SeriesStepSeconds(q, instance_.settings);
  EXPECT_EQ(step, 15);  // the datasource's minStep beats the 10 s interval
  std::map<std::string, double> sums;
  for (const Frame& f : frames) {
    const Field& v = FieldNamed(f, "cpu");
    ASSERT_EQ(v.labels().size(), 1u);
    EXPECT_NE(v.config_json().find("\"unit\":\"cores\""), std::string::npos);
    for (double x : v.float64s()) sums[v.labels()[0].second] += x * step * 1e9;
  }
  EXPECT_NEAR(sums["a"], static_cast<double>(CpuTotal(0) + CpuTotal(2)), 1);
  EXPECT_NEAR(sums["b"], static_cast<double>(CpuTotal(1) + CpuTotal(3)), 1);

  // "hash" is 5 of every 8 samples; its self equals its total.
  q.group_by.clear();
  q.function_name = "hash";
  q.function_self = true;
  frames = Run(q);
  ASSERT_EQ(frames.size(), 1u);
  double hash = 0;
  for (double x : FieldNamed(frames[0], "cpu").float64s()) hash += x * step * 1e9;
  int64_t total = 0;
  for (int i = 0; i < 4; ++i) total += CpuTotal(i);
  EXPECT_NEAR(hash, total * 5.0 / 8.0, 1);
}

TEST_F(PluginBackendTest, DiffHeatmapAndProfilesTable) {
  PluginQuery diff = Query(QueryKind::kDiff, "{pod=\"a\"}");
  diff.right_label_selector = "{pod=\"b\"}";
  std::vector<Frame> frames = Run(diff);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(FieldNamed(frames[0], "value").int64s()[0], CpuTotal(0) + CpuTotal(2));
  EXPECT_EQ(FieldNamed(frames[0], "valueRight").int64s()[0], CpuTotal(1) + CpuTotal(3));

  frames = Run(Query(QueryKind::kHeatmap));
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_NE(frames[0].meta_json().find("heatmap-cells"), std::string::npos);
  double count = 0;
  for (double c : FieldNamed(frames[0], "count").float64s()) count += c;
  EXPECT_EQ(count, 4);

  PluginQuery table = Query(QueryKind::kProfiles);
  table.limit = 3;
  frames = Run(table);
  ASSERT_EQ(frames.size(), 1u);
  const Field& time = FieldNamed(frames[0], "time");
  ASSERT_EQ(time.size(), 3u);
  EXPECT_EQ(time.int64s()[0], (kT0 + 30000) * 1000000);  // newest first
  EXPECT_EQ(FieldNamed(frames[0], "total").int64s()[0], CpuTotal(3));
  EXPECT_EQ(FieldNamed(frames[0], "labels").size(), 3u);
  const Json links = Json::parse(FieldNamed(frames[0], "id").config_json())["links"];
  EXPECT_EQ(links[0]["internal"]["datasourceUid"], "uid1");
  EXPECT_EQ(links[0]["internal"]["query"]["profileIdSelector"][0], "${__value.raw}");
}

TEST_F(PluginBackendTest, ResourcesAnswerJsonAndErrors) {
  const std::string range = "start=" + std::to_string(kT0 - 1000) + "&end=" + std::to_string(kT0 + 60000);
  ResourceResponse r = HandleResource("labelValues", "labelValues?label=pod&" + range, instance_.backend.get(), 0);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json::parse(r.body), Json({"a", "b"}));
  r = HandleResource("labelNames", "labelNames?query=%7Bpod%3D%22a%22%7D&" + range, instance_.backend.get(), 0);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json::parse(r.body), Json({"pod", "service_name"}));
  r = HandleResource("profileTypes", "profileTypes?" + range, instance_.backend.get(), 0);
  EXPECT_NE(r.body.find(cpu_type_), std::string::npos);
  r = HandleResource("pprof", "pprof?profileTypeId=" + cpu_type_ + "&" + range, instance_.backend.get(), 0);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(IsGzip(r.body));
  r = HandleResource("nothing", "nothing", instance_.backend.get(), kT0);
  EXPECT_EQ(r.status, 404);
  r = HandleResource("labelNames", "labelNames?start=x", instance_.backend.get(), kT0);
  EXPECT_EQ(r.status, 400);
  r = HandleResource("labelNames", "labelNames?query=%7Bpod%3D%7D&" + range, instance_.backend.get(), kT0);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(Json::parse(r.body)["error"].get<std::string>().find("offset"), std::string::npos) << r.body;
}

TEST_F(PluginBackendTest, BadSelectionsAreTheQuerysOwnError) {
  PluginQuery q = Query(QueryKind::kProfile, "{pod=}");
  auto frames = RunQuery(q, instance_, {});
  ASSERT_FALSE(frames.ok());
  EXPECT_EQ(frames.status().code(), absl::StatusCode::kInvalidArgument);
  q = Query(QueryKind::kSpan);
  q.span_selector = {"not-hex"};
  frames = RunQuery(q, instance_, {});
  ASSERT_FALSE(frames.ok());
  EXPECT_NE(frames.status().message().find("not-hex"), std::string_view::npos);
}

pluginv2::DataQuery DataQueryOf(const std::string& json, const std::string& type = "") {
  pluginv2::DataQuery q;
  q.set_refid("A");
  q.set_querytype(type);
  q.set_json(json);
  q.mutable_timerange()->set_fromepochms(1000);
  q.mutable_timerange()->set_toepochms(2000);
  return q;
}

TEST(PluginQueryTest, ParsesPyroscopeCompatibleJson) {
  auto q = ParsePluginQuery(DataQueryOf(R"({"profileTypeId":"a:b:c:d:e","labelSelector":"","groupBy":["pod"],
      "maxNodes":"100","spanSelector":["00000000000000ff"],"functionName":"f","functionMode":"self"})", "metrics"));
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->kind, QueryKind::kMetrics);
  EXPECT_EQ(q->label_selector, "{}");
  EXPECT_EQ(q->max_nodes, 100);
  EXPECT_EQ(q->group_by, std::vector<std::string>{"pod"});
  EXPECT_TRUE(q->function_self);
  // The JSON's queryType is used when the DataQuery has none; default both.
  EXPECT_EQ(ParsePluginQuery(DataQueryOf(R"({"profileTypeId":"a","queryType":"heatmap"})"))->kind, QueryKind::kHeatmap);
  EXPECT_EQ(ParsePluginQuery(DataQueryOf(R"({"profileTypeId":"a"})"))->kind, QueryKind::kBoth);
}

TEST(PluginQueryTest, ErrorsNameTheField) {
  const std::pair<const char*, const char*> cases[] = {
      {"{not json", "not valid JSON"},
      {"[1]", "not an object"},
      {R"({"labelSelector":"{}"})", "profileTypeId is required"},
      {R"({"profileTypeId":"a","queryType":"flame"})", "unknown query type \"flame\""},
      {R"({"profileTypeId":"a","maxNodes":-5})", "maxNodes"},
      {R"({"profileTypeId":"a","groupBy":"pod"})", "groupBy: expected an array of strings"},
      {R"({"profileTypeId":"a","functionMode":"both"})", "functionMode"},
      {R"({"profileTypeId":"a","queryType":"diff"})", "needs a right side"},
      {R"({"profileTypeId":"a","queryType":"span"})", "spanSelector"},
      {R"({"profileTypeId":"a","rightFrom":5})", "rightFrom and rightTo"},
  };
  for (const auto& [json, want] : cases) {
    auto q = ParsePluginQuery(DataQueryOf(json));
    ASSERT_FALSE(q.ok()) << json;
    EXPECT_EQ(q.status().code(), absl::StatusCode::kInvalidArgument) << json;
    EXPECT_NE(q.status().message().find(want), std::string_view::npos) << json << " -> " << q.status();
  }
  pluginv2::DataQuery backwards = DataQueryOf(R"({"profileTypeId":"a"})");
  backwards.mutable_timerange()->set_toepochms(500);
  EXPECT_NE(ParsePluginQuery(backwards).status().message().find("time range is empty"), std::string_view::npos);
}

TEST(DatasourceSettingsTest, ModesAuthAndErrors) {
  pluginv2::DataSourceInstanceSettings s;
  s.set_url("http://127.0.0.1:4040");
  s.set_jsondata(R"({"minStep":"30s","tenant":"team-a"})");
  (*s.mutable_decryptedsecurejsondata())["apiToken"] = "secret";
  auto parsed = ParseDatasourceSettings(s);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->mode, DatasourceMode::kServer);
  EXPECT_EQ(parsed->min_step, absl::Seconds(30));
  EXPECT_EQ(parsed->tenant, "team-a");
  EXPECT_EQ(parsed->api_token, "secret");

  s.set_jsondata(R"({"mode":"storage"})");
  EXPECT_NE(ParseDatasourceSettings(s).status().message().find("storagePath"), std::string_view::npos);
  s.set_jsondata(R"({"mode":"cloud"})");
  EXPECT_NE(ParseDatasourceSettings(s).status().message().find("\"cloud\""), std::string_view::npos);
  s.set_jsondata(R"({"minStep":"soon"})");
  EXPECT_NE(ParseDatasourceSettings(s).status().message().find("jsonData.minStep"), std::string_view::npos);
  s.set_jsondata("{");
  EXPECT_FALSE(ParseDatasourceSettings(s).ok());
  s.set_jsondata("{}");
  s.set_url("");
  EXPECT_NE(ParseDatasourceSettings(s).status().message().find("server URL"), std::string_view::npos);
}

TEST(HclogLoggerTest, LinesAreHclogJson) {
  const std::string line = FormatHclogLine(LogLevel::kWarn, "a \"quoted\" message", {{"k", "v\n"}}, 1700000000123456);
  const Json j = Json::parse(line);
  EXPECT_EQ(j["@level"], "warn");
  EXPECT_EQ(j["@message"], "a \"quoted\" message");
  EXPECT_EQ(j["@timestamp"], "2023-11-14T22:13:20.123456Z");
  EXPECT_EQ(j["k"], "v\n");
}

TEST(ProfileFramesTest, UnitsAndRates) {
  EXPECT_EQ(UnitOfProfileType("process_cpu:cpu:nanoseconds:cpu:nanoseconds"), "ns");
  EXPECT_EQ(UnitOfProfileType("memory:alloc_objects:count:space:bytes"), "short");
  EXPECT_EQ(UnitOfProfileType("memory:inuse_space:bytes:space:bytes"), "bytes");
  EXPECT_TRUE(IsCumulativeProfileType("memory:alloc_space:bytes:space:bytes"));
  EXPECT_FALSE(IsCumulativeProfileType("memory:inuse_space:bytes:space:bytes"));
  TimeSeries s;
  s.labels = LabelSet{{"pod", "a"}, {"__internal__", "x"}};
  s.points = {{1000, 3e9, {}}};
  std::vector<Frame> frames = SeriesFrames({s}, "A", "process_cpu:cpu:nanoseconds:cpu:nanoseconds", 15);
  ASSERT_EQ(frames.size(), 1u);
  const Field& v = frames[0].fields()[1];
  EXPECT_DOUBLE_EQ(v.float64s()[0], 0.2);  // 3 s of CPU in 15 s: 0.2 cores
  EXPECT_EQ(v.labels().size(), 1u);         // no internal labels
  EXPECT_NE(frames[0].meta_json().find("rateCalculated"), std::string::npos);
  frames = SeriesFrames({s}, "A", "memory:inuse_space:bytes:space:bytes", 15);
  EXPECT_DOUBLE_EQ(frames[0].fields()[1].float64s()[0], 3e9);
}

}  // namespace
}  // namespace kiln::plugin
