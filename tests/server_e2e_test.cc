// `kiln server` end to end: the real binary on 127.0.0.1 with a temporary
// data directory, driven over HTTP as Pyroscope's clients drive it.
//  - A Go program (tests/go/pprof_fixture, standard library only, built and
//    run here) writes a CPU and a heap profile. Both are sent through
//    /ingest (multipart, as pyroscope-go does) and through push.v1 in JSON.
//    SelectMergeProfile returns, for every sample type, a pprof whose total
//    `go tool pprof -raw` (the independent oracle) reads as the same total
//    it reads in the file that was sent.
//  - Every querier RPC answers, in JSON and (one) in binary with gzip.
//  - Other /ingest formats (collapsed with sampleRate, lines, speedscope)
//    and tenant isolation.
//  - A table of malformed requests, each with its status and message; the
//    server stays healthy and earlier data stays intact.
//  - SIGTERM stops it cleanly; a restart on the same directory serves the
//    same data; a second server on a directory in use refuses to start.
// Skips when go is not installed (the oracle and the fixture need it).
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "google/protobuf/util/json_util.h"
#include "kiln/base/gzip.h"
#include "nlohmann/json.hpp"
#include "opentelemetry/proto/collector/profiles/v1development/profiles_service.pb.h"
#include "querier/v1/querier.pb.h"
#include "tests/go_pprof_raw.h"
#include "tests/go_tool.h"
#include "opentelemetry/proto/collector/profiles/v1development/profiles_service.grpc.pb.h"
#include "tests/scratch_dir.h"
#include "tests/server_process.h"
#include "tests/subprocess.h"

namespace kiln::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using Json = nlohmann::json;

constexpr size_t kMaxBodyBytes = 1 << 20;          // --max-body-bytes for the server under test
constexpr size_t kMaxDecompressedBytes = 8 << 20;  // --max-decompressed-bytes

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// protojson writes int64 as strings.
int64_t Int64(const Json& j) {
  if (j.is_string()) return std::stoll(j.get<std::string>());
  if (j.is_number()) return j.get<int64_t>();
  return 0;
}

// One HTTP answer.
struct Reply {
  int status = 0;
  std::string body;
  std::string content_type;
};

class ServerE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = new ScratchDir("kiln_server_e2e");
    go_ = new GoTool(scratch_->path());
    if (go_->go.empty()) return;
    // The Go program's profiles (standard library only: builds offline).
    auto fixture = go_->RunPprofFixture(scratch_->path());
    if (!fixture.ok()) {
      setup_error_ = std::string(fixture.status().message());
      return;
    }
    cpu_path_ = fixture->cpu;
    heap_path_ = fixture->heap;
    for (const std::string& path : {cpu_path_, heap_path_}) {
      auto totals = go_->Raw(path);
      if (!totals.ok()) {
        setup_error_ = std::string(totals.status().message());
        return;
      }
      oracle_[path] = *totals;
    }
    data_dir_ = (scratch_->path() / "data").string();
    StartServer();
  }

  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    delete go_;
    delete scratch_;
  }

  static void StartServer() {
    auto started = ServerProcess::Start(
        KILN_CLI_PATH, data_dir_,
        {"--max-body-bytes", std::to_string(kMaxBodyBytes), "--max-decompressed-bytes",
         std::to_string(kMaxDecompressedBytes), "--segment-duration-ms", "100", "--compaction-interval-s", "1"},
        (scratch_->path() / "server.log").string());
    if (!started.ok()) {
      setup_error_ = std::string(started.status().message());
      return;
    }
    server_ = started->release();
  }

  void SetUp() override {
    if (go_->go.empty()) GTEST_SKIP() << "go not found on PATH (apt-get install golang-go, or set KILN_GO)";
    ASSERT_TRUE(setup_error_.empty()) << setup_error_;
    ASSERT_NE(server_, nullptr);
  }

  static httplib::Client Client() {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_read_timeout(60, 0);
    client.set_write_timeout(60, 0);
    return client;
  }

  static Reply Post(const std::string& path, const std::string& body, const std::string& content_type,
                    const httplib::Headers& headers = {}) {
    httplib::Client client = Client();
    auto res = client.Post(path.c_str(), headers, body, content_type.c_str());
    if (!res) return {-1, "request failed: " + httplib::to_string(res.error()), ""};
    return {res->status, res->body, res->get_header_value("Content-Type")};
  }

  static Reply PostForm(const std::string& path, const httplib::MultipartFormDataItems& items,
                        const httplib::Headers& headers = {}) {
    httplib::Client client = Client();
    auto res = client.Post(path.c_str(), headers, items);
    if (!res) return {-1, "request failed: " + httplib::to_string(res.error()), ""};
    return {res->status, res->body, res->get_header_value("Content-Type")};
  }

  static Reply Get(const std::string& path) {
    httplib::Client client = Client();
    auto res = client.Get(path.c_str());
    if (!res) return {-1, "request failed", ""};
    return {res->status, res->body, res->get_header_value("Content-Type")};
  }

  // A querier RPC in Connect JSON; fails the test unless it answers 200.
  static Json Query(const std::string& method, const Json& request, const httplib::Headers& headers = {}) {
    Reply r = Post("/querier.v1.QuerierService/" + method, request.dump(), "application/json", headers);
    EXPECT_EQ(r.status, 200) << method << ": " << r.body;
    EXPECT_THAT(r.content_type, HasSubstr("application/json")) << method;
    Json j = Json::parse(r.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << method << ": " << r.body;
    return j;
  }

  static Json Range() { return {{"start", std::to_string(NowMs() - 3600000)}, {"end", std::to_string(NowMs() + 3600000)}}; }

  // The profile type IDs the server lists, by "sample_type/sample_unit".
  static std::map<std::string, std::string> ProfileTypeIds() {
    std::map<std::string, std::string> out;
    Json types = Query("ProfileTypes", Range());
    for (const Json& t : types["profileTypes"]) {
      out[t.value("sampleType", "") + "/" + t.value("sampleUnit", "")] = t.value("ID", "");
    }
    return out;
  }

  // Sends both Go profiles as pyroscope-go does (multipart /ingest) under
  // service |service|.
  static void IngestMultipart(const std::string& service) {
    for (const std::string& path : {cpu_path_, heap_path_}) {
      httplib::MultipartFormDataItems items = {
          {"profile", ReadFile(path), "profile.pprof", "application/octet-stream"},
      };
      if (path == cpu_path_) {
        items.push_back({"sample_type_config", R"({"samples":{"units":"samples","display-name":"cpu"},)"
                                               R"("cpu":{"units":"nanoseconds","sampled":true}})",
                         "sample_type_config.json", "application/json"});
      }
      const std::string url = "/ingest?name=" + service + "%7Bhost%3Dtest-1%2Cenv%3De2e%7D&spyName=gospy&from=" +
                              std::to_string(NowMs() / 1000 - 10) + "&until=" + std::to_string(NowMs() / 1000);
      Reply r = PostForm(url, items);
      ASSERT_EQ(r.status, 200) << path << ": " << r.body;
    }
  }

  // Sends both Go profiles through push.v1 in JSON under service |service|.
  static void PushJson(const std::string& service) {
    Json series = Json::array();
    for (const auto& [path, name] : {std::pair{cpu_path_, "process_cpu"}, std::pair{heap_path_, "memory"}}) {
      series.push_back({{"labels", Json::array({{{"name", "service_name"}, {"value", service}},
                                                {{"name", "__name__"}, {"value", name}},
                                                {{"name", "env"}, {"value", "e2e"}}})},
                        {"samples", Json::array({{{"rawProfile", absl::Base64Escape(ReadFile(path))},
                                                  {"ID", path == cpu_path_ ? "6f1e1f38-59ad-4b6e-a6d0-7d6a6bd7b9a1"
                                                                           : "0d9e0d55-7c3c-4d1a-9a53-5a2b0c3f6e10"}}})}});
    }
    Reply r = Post("/push.v1.PusherService/Push", Json{{"series", series}}.dump(), "application/json");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body, "{}");
  }

  // For every sample type of the Go profiles: SelectMergeProfile of
  // |service| read by go tool pprof has the oracle's total.
  static void ExpectMergedTotalsMatchGoPprof(const std::string& service) {
    SCOPED_TRACE(service);
    const std::map<std::string, std::string> ids = ProfileTypeIds();
    int checked = 0;
    for (const std::string& path : {cpu_path_, heap_path_}) {
      const GoPprofTotals& oracle = oracle_.at(path);
      for (size_t i = 0; i < oracle.sample_types.size(); ++i) {
        const std::string& type = oracle.sample_types[i];
        SCOPED_TRACE(type);
        ASSERT_TRUE(ids.count(type)) << "ProfileTypes does not list " << type;
        Json req = Range();
        req["profileTypeID"] = ids.at(type);
        req["labelSelector"] = "{service_name=\"" + service + "\"}";
        // Binary protobuf here: the bytes are the pprof go tool reads.
        querier::v1::SelectMergeProfileRequest proto;
        proto.set_profile_typeid(ids.at(type));
        proto.set_label_selector(req["labelSelector"]);
        proto.set_start(NowMs() - 3600000);
        proto.set_end(NowMs() + 3600000);
        Reply r = Post("/querier.v1.QuerierService/SelectMergeProfile", proto.SerializeAsString(), "application/proto");
        ASSERT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(r.content_type, "application/proto");
        const fs::path out = scratch_->path() / "merged.pb";
        std::ofstream(out, std::ios::binary) << r.body;
        auto merged = go_->Raw(out.string());
        ASSERT_TRUE(merged.ok()) << merged.status();
        ASSERT_EQ(merged->sample_types, std::vector<std::string>{type});
        EXPECT_EQ(merged->totals[0], oracle.totals[i]) << "merged total of " << type << " vs go tool pprof -raw of "
                                                      << path;
        ++checked;
      }
    }
    EXPECT_EQ(checked, 6);  // cpu: samples, cpu; heap: alloc/inuse objects/space
  }

  static int64_t OracleTotal(const std::string& path, const std::string& type) {
    const GoPprofTotals& o = oracle_.at(path);
    for (size_t i = 0; i < o.sample_types.size(); ++i) {
      if (o.sample_types[i] == type) return o.totals[i];
    }
    return -1;
  }

  static ScratchDir* scratch_;
  static GoTool* go_;
  static ServerProcess* server_;
  static std::string setup_error_;
  static std::string cpu_path_, heap_path_, data_dir_;
  static std::map<std::string, GoPprofTotals> oracle_;
  static bool ingested_;
};

ScratchDir* ServerE2eTest::scratch_ = nullptr;
GoTool* ServerE2eTest::go_ = nullptr;
ServerProcess* ServerE2eTest::server_ = nullptr;
std::string ServerE2eTest::setup_error_;
std::string ServerE2eTest::cpu_path_, ServerE2eTest::heap_path_, ServerE2eTest::data_dir_;
std::map<std::string, GoPprofTotals> ServerE2eTest::oracle_;
bool ServerE2eTest::ingested_ = false;

// The tests below run in order and build on each other's data (gtest keeps
// the definition order unless shuffling is asked for).

TEST_F(ServerE2eTest, IngestedGoProfilesMergeToGoToolPprofTotals) {
  IngestMultipart("go-ingest");
  PushJson("go-push");
  ingested_ = true;
  ExpectMergedTotalsMatchGoPprof("go-ingest");
  ExpectMergedTotalsMatchGoPprof("go-push");
}

TEST_F(ServerE2eTest, QuerierRpcsAnswer) {
  ASSERT_TRUE(ingested_) << "runs after IngestedGoProfilesMergeToGoToolPprofTotals";
  const std::map<std::string, std::string> ids = ProfileTypeIds();
  const std::string cpu = ids.at("cpu/nanoseconds");
  EXPECT_EQ(cpu, "process_cpu:cpu:nanoseconds:cpu:nanoseconds");
  EXPECT_EQ(ids.at("alloc_space/bytes"), "memory:alloc_space:bytes:space:bytes");
  const int64_t cpu_total = OracleTotal(cpu_path_, "cpu/nanoseconds");
  ASSERT_GT(cpu_total, 0);

  // ProfileTypes carries every field of types.v1.ProfileType.
  Json types = Query("ProfileTypes", Range());
  bool found = false;
  for (const Json& t : types["profileTypes"]) {
    if (t["ID"] != cpu) continue;
    found = true;
    EXPECT_EQ(t["name"], "process_cpu");
    EXPECT_EQ(t["sampleType"], "cpu");
    EXPECT_EQ(t["sampleUnit"], "nanoseconds");
    EXPECT_EQ(t["periodType"], "cpu");
    EXPECT_EQ(t["periodUnit"], "nanoseconds");
  }
  EXPECT_TRUE(found);

  Json names = Query("LabelNames", Range());
  for (const char* n : {"service_name", "env", "host", "pyroscope_spy", "handler", "__profile_type__"}) {
    EXPECT_NE(std::find(names["names"].begin(), names["names"].end(), n), names["names"].end()) << n;
  }
  Json narrowed = Range();
  narrowed["matchers"] = {"{service_name=\"go-push\"}"};
  names = Query("LabelNames", narrowed);
  EXPECT_EQ(std::find(names["names"].begin(), names["names"].end(), "host"), names["names"].end())
      << "host is only a label of go-ingest";

  Json values_req = Range();
  values_req["name"] = "service_name";
  Json values = Query("LabelValues", values_req);
  EXPECT_EQ(values["names"], Json({"go-ingest", "go-push"}));
  values_req["name"] = "handler";  // the CPU profile's pprof sample labels split series
  values_req["matchers"] = {"{service_name=\"go-ingest\"}"};
  EXPECT_EQ(Query("LabelValues", values_req)["names"], Json({"fib", "sort"}));
  values_req["name"] = "pyroscope_spy";
  EXPECT_EQ(Query("LabelValues", values_req)["names"], Json({"gospy"}));

  Json series_req = Range();
  series_req["matchers"] = {"{service_name=\"go-push\", __profile_type__=\"" + cpu + "\"}"};
  series_req["labelNames"] = {"service_name", "handler"};
  Json series = Query("Series", series_req);
  // Field 2 (labelsSet): the handler=fib, handler=sort and unlabelled series.
  ASSERT_TRUE(series.contains("labelsSet")) << series.dump();
  EXPECT_EQ(series["labelsSet"].size(), 3u) << series.dump();

  // Flame graph: names[0] = total, the total is the profile's, and the Go
  // program's own functions are in it.
  Json merge = Range();
  merge["profileTypeID"] = cpu;
  merge["labelSelector"] = "{service_name=\"go-ingest\"}";
  Json fg = Query("SelectMergeStacktraces", merge)["flamegraph"];
  ASSERT_FALSE(fg.is_null());
  EXPECT_EQ(fg["names"][0], "total");
  EXPECT_EQ(Int64(fg["total"]), cpu_total);
  EXPECT_NE(std::find(fg["names"].begin(), fg["names"].end(), "main.fib"), fg["names"].end());
  const Json& root = fg["levels"][0]["values"];
  ASSERT_EQ(root.size(), 4u);
  EXPECT_EQ(Int64(root[1]), cpu_total);
  // Every level is a list of 4-tuples.
  for (const Json& level : fg["levels"]) EXPECT_EQ(level["values"].size() % 4, 0u);
  // max_nodes truncation keeps the total.
  merge["maxNodes"] = "5";
  Json small = Query("SelectMergeStacktraces", merge)["flamegraph"];
  EXPECT_EQ(Int64(small["total"]), cpu_total);
  // Pyroscope's rule: keep every node whose total reaches the 5th largest
  // total; sum the rest of each parent's children into "other".
  auto totals = [](const Json& g, bool with_other) {
    std::vector<int64_t> out;
    for (size_t l = 1; l < g["levels"].size(); ++l) {
      const Json& v = g["levels"][l]["values"];
      for (size_t i = 0; i + 3 < v.size(); i += 4) {
        if (with_other || g["names"][Int64(v[i + 3])] != "other") out.push_back(Int64(v[i + 1]));
      }
    }
    std::sort(out.rbegin(), out.rend());
    return out;
  };
  const std::vector<int64_t> all = totals(fg, true);
  ASSERT_GT(all.size(), 5u);
  const int64_t threshold = all[4];
  const std::vector<int64_t> kept = totals(small, false);
  EXPECT_EQ(kept.size(), static_cast<size_t>(std::count_if(all.begin(), all.end(), [&](int64_t t) { return t >= threshold; })));
  for (int64_t t : kept) EXPECT_GE(t, threshold);
  EXPECT_LT(totals(small, true).size(), all.size());
  merge.erase("maxNodes");

  // Tree bytes: the selves of every node add up to the total.
  merge["format"] = "PROFILE_FORMAT_TREE";
  Json tree = Query("SelectMergeStacktraces", merge);
  std::string bytes;
  ASSERT_TRUE(absl::Base64Unescape(tree["tree"].get<std::string>(), &bytes));
  int64_t self_sum = 0;
  size_t pos = 0;
  auto uvarint = [&] {
    uint64_t v = 0;
    for (int shift = 0; pos < bytes.size(); shift += 7) {
      const auto b = static_cast<uint8_t>(bytes[pos++]);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
    return v;
  };
  while (pos < bytes.size()) {
    pos += uvarint();  // name
    self_sum += static_cast<int64_t>(uvarint());
    uvarint();  // children
  }
  EXPECT_EQ(self_sum, cpu_total);

  // pprof inside SelectMergeStacktraces.
  merge["format"] = "PROFILE_FORMAT_PPROF";
  Json pprof = Query("SelectMergeStacktraces", merge)["pprof"]["profile"];
  ASSERT_FALSE(pprof.is_null());
  int64_t pprof_total = 0;
  for (const Json& s : pprof["sample"]) pprof_total += Int64(s["value"][0]);
  EXPECT_EQ(pprof_total, cpu_total);
  merge.erase("format");

  // Call-site selector: only stacks under main.main.
  merge["stackTraceSelector"] = {{"callSite", {{{"name", "runtime.main"}}, {{"name", "main.main"}}}}};
  Json under_main = Query("SelectMergeStacktraces", merge)["flamegraph"];
  EXPECT_GT(Int64(under_main["total"]), 0);
  EXPECT_LE(Int64(under_main["total"]), cpu_total);
  merge.erase("stackTraceSelector");

  // SelectSeries: the points add up to the total; grouping by handler.
  Json series_sel = merge;
  series_sel["step"] = 60.0;
  Json sel = Query("SelectSeries", series_sel);
  ASSERT_EQ(sel["series"].size(), 1u);
  double sum = 0;
  for (const Json& p : sel["series"][0]["points"]) sum += p["value"].get<double>();
  EXPECT_EQ(static_cast<int64_t>(sum), cpu_total);
  // Kiln's function metric: main.main's total is the call-site total above.
  Reply fn = Post("/kiln.profiles.v1.ProfilesService/SelectFunctionSeries",
                  Json({{"series", series_sel}, {"function", "main.main"}}).dump(), "application/json");
  ASSERT_EQ(fn.status, 200) << fn.body;
  double fn_sum = 0;
  const Json fn_series = Json::parse(fn.body)["series"];
  for (const Json& s : fn_series) {
    for (const Json& p : s["points"]) fn_sum += p["value"].get<double>();
  }
  EXPECT_EQ(static_cast<int64_t>(fn_sum), Int64(under_main["total"])) << fn.body;
  EXPECT_EQ(Post("/kiln.profiles.v1.ProfilesService/SelectFunctionSeries", Json({{"series", series_sel}}).dump(),
                 "application/json")
                .status,
            400);
  series_sel["groupBy"] = {"handler"};
  series_sel["exemplarType"] = "EXEMPLAR_TYPE_INDIVIDUAL";
  sel = Query("SelectSeries", series_sel);
  EXPECT_EQ(sel["series"].size(), 3u);  // fib, sort, and no handler
  sum = 0;
  for (const Json& s : sel["series"]) {
    for (const Json& p : s["points"]) {
      sum += p["value"].get<double>();
      EXPECT_FALSE(p["exemplars"].empty());
    }
  }
  EXPECT_EQ(static_cast<int64_t>(sum), cpu_total);

  // The ID sent with push.v1 is the exemplar's profile id.
  Json push_sel = series_sel;
  push_sel["labelSelector"] = "{service_name=\"go-push\"}";
  push_sel.erase("groupBy");
  sel = Query("SelectSeries", push_sel);
  ASSERT_EQ(sel["series"].size(), 1u);
  EXPECT_EQ(sel["series"][0]["points"][0]["exemplars"][0]["profileId"], "6f1e1f38-59ad-4b6e-a6d0-7d6a6bd7b9a1");

  // Heatmap: one series, counts over the slots = one profile per series row.
  Json heat_req = merge;
  heat_req["step"] = 60.0;
  heat_req["queryType"] = "HEATMAP_QUERY_TYPE_INDIVIDUAL";
  Json heat = Query("SelectHeatmap", heat_req);
  ASSERT_EQ(heat["series"].size(), 1u) << heat.dump();
  int64_t points = 0;
  for (const Json& slot : heat["series"][0]["slots"]) {
    for (const Json& c : slot["counts"]) points += c.get<int64_t>();
  }
  EXPECT_GT(points, 0);

  // Kiln's profile list: the go-push profile by the id it was pushed with,
  // its total the whole profile's.
  Reply listed = Post("/kiln.profiles.v1.ProfilesService/SelectProfiles", push_sel.dump(), "application/json");
  ASSERT_EQ(listed.status, 200) << listed.body;
  Json profiles = Json::parse(listed.body)["profiles"];
  ASSERT_EQ(profiles.size(), 1u) << listed.body;
  EXPECT_EQ(profiles[0]["id"], "6f1e1f38-59ad-4b6e-a6d0-7d6a6bd7b9a1");
  EXPECT_EQ(Int64(profiles[0]["total"]), cpu_total);
  Json bad_limit = push_sel;
  bad_limit["limit"] = "-1";
  EXPECT_EQ(Post("/kiln.profiles.v1.ProfilesService/SelectProfiles", bad_limit.dump(), "application/json").status, 400);

  // Diff of the two services: the same profile on both sides.
  Json left = merge, right = merge;
  right["labelSelector"] = "{service_name=\"go-push\"}";
  Json diff = Query("Diff", {{"left", left}, {"right", right}})["flamegraph"];
  EXPECT_EQ(Int64(diff["leftTicks"]), cpu_total);
  EXPECT_EQ(Int64(diff["rightTicks"]), cpu_total);
  for (const Json& level : diff["levels"]) EXPECT_EQ(level["values"].size() % 7, 0u);

  // The deprecated span RPC answers (no spans in these profiles: empty).
  Json span_req = merge;
  span_req["spanSelector"] = {"00f067aa0ba902b7"};
  Json span = Query("SelectMergeSpanProfile", span_req);
  ASSERT_TRUE(span.contains("flamegraph")) << span.dump();
  EXPECT_EQ(Int64(span["flamegraph"].value("total", Json("0"))), 0);

  Json stats = Query("GetProfileStats", Json::object());
  EXPECT_EQ(stats["dataIngested"], true);
  EXPECT_GT(Int64(stats["newestProfileTime"]), NowMs() - 3600000);
  EXPECT_LE(Int64(stats["oldestProfileTime"]), Int64(stats["newestProfileTime"]));

  // Binary protobuf, gzip-compressed request (Content-Encoding), as
  // connect-go sends when compression is on.
  querier::v1::ProfileTypesRequest proto;
  proto.set_start(NowMs() - 3600000);
  proto.set_end(NowMs() + 3600000);
  Reply r = Post("/querier.v1.QuerierService/ProfileTypes", Gzip(proto.SerializeAsString()), "application/proto",
                 {{"Content-Encoding", "gzip"}, {"Connect-Protocol-Version", "1"}});
  ASSERT_EQ(r.status, 200) << r.body;
  querier::v1::ProfileTypesResponse types_proto;
  ASSERT_TRUE(types_proto.ParseFromString(r.body));
  EXPECT_EQ(static_cast<size_t>(types_proto.profile_types_size()), ids.size());
}

// Pyroscope's legacy read API: flamebearer JSON equal to the Connect
// answers for the same selection.
TEST_F(ServerE2eTest, LegacyRenderEndpointsAnswerFlamebearerJson) {
  ASSERT_TRUE(ingested_) << "runs after IngestedGoProfilesMergeToGoToolPprofTotals";
  const std::string cpu = "process_cpu:cpu:nanoseconds:cpu:nanoseconds";
  const int64_t cpu_total = OracleTotal(cpu_path_, "cpu/nanoseconds");
  const std::string range = "&from=now-1h&until=now%2B1h";
  const std::string query = httplib::detail::encode_query_param(cpu + "{service_name=\"go-ingest\"}");
  Reply r = Get("/pyroscope/render?query=" + query + range + "&groupBy=handler");
  ASSERT_EQ(r.status, 200) << r.body;
  Json render = Json::parse(r.body);
  EXPECT_EQ(render["version"], 1);
  EXPECT_EQ(render["flamebearer"]["numTicks"].get<int64_t>(), cpu_total);
  EXPECT_EQ(render["flamebearer"]["names"][0], "total");
  EXPECT_EQ(render["metadata"]["format"], "single");
  EXPECT_EQ(render["metadata"]["units"], "samples");
  EXPECT_EQ(render["metadata"]["sampleRate"], 1000000000);
  int64_t timeline = 0;
  for (const Json& v : render["timeline"]["samples"]) timeline += v.get<int64_t>();
  EXPECT_EQ(timeline, cpu_total);
  EXPECT_EQ(render["timeline"]["durationDelta"], 15);  // 2 h / 1500 is under Pyroscope's 15 s floor
  int64_t grouped = 0;
  for (const auto& [value, t] : render["groups"].items()) {
    for (const Json& v : t["samples"]) grouped += v.get<int64_t>();
  }
  EXPECT_EQ(grouped, cpu_total);
  EXPECT_TRUE(render["groups"].contains("fib")) << render["groups"].dump();
  // The same flame graph as SelectMergeStacktraces.
  Json merge = {{"profileTypeID", cpu}, {"labelSelector", "{service_name=\"go-ingest\"}"},
                {"start", std::to_string(NowMs() - 3600000)}, {"end", std::to_string(NowMs() + 3600000)}};
  Json fg = Query("SelectMergeStacktraces", merge)["flamegraph"];
  EXPECT_EQ(render["flamebearer"]["names"], fg["names"]);

  r = Get("/pyroscope/render-diff?leftQuery=" + query + "&rightQuery=" +
          httplib::detail::encode_query_param(cpu + "{service_name=\"go-push\"}") +
          "&leftFrom=now-1h&leftUntil=now%2B1h&rightFrom=now-1h&rightUntil=now%2B1h");
  ASSERT_EQ(r.status, 200) << r.body;
  Json diff = Json::parse(r.body);
  EXPECT_EQ(diff["metadata"]["format"], "double");
  EXPECT_EQ(diff["leftTicks"].get<int64_t>(), cpu_total);
  EXPECT_EQ(diff["rightTicks"].get<int64_t>(), cpu_total);
  for (const Json& level : diff["flamebearer"]["levels"]) EXPECT_EQ(level.size() % 7, 0u);

  r = Get("/pyroscope/label-values?label=__name__" + range);
  ASSERT_EQ(r.status, 200) << r.body;
  Json types = Json::parse(r.body);
  EXPECT_NE(std::find(types.begin(), types.end(), cpu), types.end()) << r.body;
  r = Get("/pyroscope/label-values?label=service_name" + range);
  ASSERT_EQ(r.status, 200) << r.body;
  Json services = Json::parse(r.body);
  EXPECT_NE(std::find(services.begin(), services.end(), "go-ingest"), services.end()) << r.body;

  // Errors say what is wrong.
  r = Get("/pyroscope/render?query=cpu%7B%7D" + range);
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("profile type ID"));
  r = Get("/pyroscope/render?query=" + query + "&from=yesterday-ish");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("from"));
  r = Get("/pyroscope/render?query=" + query + "&format=dot");
  EXPECT_EQ(r.status, 501);
  r = Get("/pyroscope/label-values");
  EXPECT_EQ(r.status, 400);
}

TEST_F(ServerE2eTest, OtherIngestFormatsAndTenants) {
  const int64_t now_s = NowMs() / 1000;
  // Collapsed stacks at 100 Hz: 10 samples become 10 x 10 ms of CPU.
  Reply r = Post("/ingest?name=text-app.cpu%7Benv%3De2e%7D&sampleRate=100&from=" + std::to_string(now_s - 10) +
                     "&until=" + std::to_string(now_s),
                 "main;work;hot 7\nmain;idle 3\n", "text/plain");
  ASSERT_EQ(r.status, 200) << r.body;
  // `lines`: one stack per line; a wall profile.
  r = Post("/ingest?name=text-app.wall&format=lines&from=now-5s", "main;sleep\nmain;sleep\nmain;read\n", "text/plain");
  ASSERT_EQ(r.status, 200) << r.body;
  // speedscope, sampled, in milliseconds.
  const std::string speedscope = R"({"$schema":"https://www.speedscope.app/file-format-schema.json",
    "shared":{"frames":[{"name":"main"},{"name":"render"}]},
    "profiles":[{"type":"sampled","name":"ui","unit":"milliseconds","startValue":0,"endValue":30,
                 "samples":[[0,1],[0,1],[0]],"weights":[10,15,5]}]})";
  r = Post("/ingest?name=ui-app&format=speedscope", speedscope, "application/json");
  ASSERT_EQ(r.status, 200) << r.body;
  // Another tenant's data is its own.
  r = Post("/ingest?name=secret-app", "main;secret 5\n", "text/plain", {{"X-Scope-OrgID", "team-b"}});
  ASSERT_EQ(r.status, 200) << r.body;

  Json req = Range();
  req["profileTypeID"] = "process_cpu:cpu:nanoseconds:cpu:nanoseconds";
  req["labelSelector"] = "{service_name=\"text-app\"}";
  Json fg = Query("SelectMergeStacktraces", req)["flamegraph"];
  EXPECT_EQ(Int64(fg["total"]), 100000000);  // 10 samples x 10 ms
  req["profileTypeID"] = "wall:wall:nanoseconds:cpu:nanoseconds";
  EXPECT_EQ(Int64(Query("SelectMergeStacktraces", req)["flamegraph"]["total"]), 30000000);
  Json ui = Range();
  ui["name"] = "profile_name";
  ui["matchers"] = {"{service_name=\"ui-app\"}"};
  EXPECT_EQ(Query("LabelValues", ui)["names"], Json({"ui"}));
  Json ui_types = Range();
  ui_types["matchers"] = {"{service_name=\"ui-app\"}"};
  ui_types["labelNames"] = {"__profile_type__"};
  Json ui_series = Query("Series", ui_types);
  ASSERT_EQ(ui_series["labelsSet"].size(), 1u);
  const std::string ui_type = ui_series["labelsSet"][0]["labels"][0]["value"];
  Json ui_req = Range();
  ui_req["profileTypeID"] = ui_type;
  ui_req["labelSelector"] = "{service_name=\"ui-app\"}";
  EXPECT_EQ(Int64(Query("SelectMergeStacktraces", ui_req)["flamegraph"]["total"]), 30000000) << ui_type;

  // Frame names are stored as sent (here Latin-1, not UTF-8); answers carry
  // U+FFFD instead of the bad byte, so that protobuf clients can read them.
  r = Post("/ingest?name=latin1-app", "main;caf\xe9 5\n", "text/plain");
  ASSERT_EQ(r.status, 200) << r.body;
  req["profileTypeID"] = "process_cpu:cpu:nanoseconds:cpu:nanoseconds";
  req["labelSelector"] = "{service_name=\"latin1-app\"}";
  Json latin1 = Query("SelectMergeStacktraces", req)["flamegraph"];
  EXPECT_NE(std::find(latin1["names"].begin(), latin1["names"].end(), "caf\xef\xbf\xbd"), latin1["names"].end())
      << latin1.dump(-1, ' ', false, Json::error_handler_t::replace);

  Json services = Range();
  services["name"] = "service_name";
  Json anonymous = Query("LabelValues", services);
  EXPECT_EQ(std::find(anonymous["names"].begin(), anonymous["names"].end(), "secret-app"), anonymous["names"].end());
  Json team_b = Query("LabelValues", services, {{"X-Scope-OrgID", "team-b"}});
  EXPECT_EQ(team_b["names"], Json({"secret-app"}));
}

// OTLP profiles: OTLP/HTTP (binary) and the gRPC method's path as a Connect
// procedure (JSON), into a tenant of their own.
opentelemetry::proto::collector::profiles::v1development::ExportProfilesServiceRequest OtlpRequest(
    const std::string& service, int64_t now_ns, int stack_index) {
  opentelemetry::proto::collector::profiles::v1development::ExportProfilesServiceRequest r;
  auto* d = r.mutable_dictionary();
  for (const char* s : {"", "samples", "count", "cpu", "nanoseconds", "main", "work", "hash", "main.go"}) {
    d->add_string_table(s);
  }
  d->add_mapping_table();
  d->add_location_table();
  d->add_function_table();
  d->add_link_table();
  d->add_stack_table();
  d->add_attribute_table();
  for (int fn = 1; fn <= 3; ++fn) {
    auto* f = d->add_function_table();
    f->set_name_strindex(4 + fn);  // main, work, hash
    f->set_filename_strindex(8);
    auto* line = d->add_location_table()->add_lines();
    line->set_function_index(fn);
    line->set_line(10 * fn);
  }
  auto* work = d->add_stack_table();  // leaf first: work <- main
  work->add_location_indices(2);
  work->add_location_indices(1);
  auto* hash = d->add_stack_table();  // hash <- work <- main
  for (int loc : {3, 2, 1}) hash->add_location_indices(loc);
  auto* resource = r.add_resource_profiles();
  auto* attr = resource->mutable_resource()->add_attributes();
  attr->set_key("service.name");
  attr->mutable_value()->set_string_value(service);
  auto* p = resource->add_scope_profiles()->add_profiles();
  p->mutable_sample_type()->set_type_strindex(1);
  p->mutable_sample_type()->set_unit_strindex(2);
  p->mutable_period_type()->set_type_strindex(3);
  p->mutable_period_type()->set_unit_strindex(4);
  p->set_period(10000000);
  p->set_time_unix_nano(now_ns - 10000000000);
  p->set_duration_nano(10000000000);
  auto* s1 = p->add_samples();
  s1->set_stack_index(1);
  s1->add_values(3);
  auto* s2 = p->add_samples();
  s2->set_stack_index(stack_index);
  s2->add_values(5);
  return r;
}

TEST_F(ServerE2eTest, OtlpProfilesOverHttpConnectAndGrpc) {
  const httplib::Headers tenant = {{"X-Scope-OrgID", "otlp-e2e"}};
  const int64_t now_ns = NowMs() * 1000000;
  Reply r = Post("/v1development/profiles", OtlpRequest("otlp-http", now_ns, 2).SerializeAsString(),
                 "application/x-protobuf", tenant);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_THAT(r.content_type, HasSubstr("application/x-protobuf"));
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(OtlpRequest("otlp-connect", now_ns, 2), &json).ok());
  r = Post("/opentelemetry.proto.collector.profiles.v1development.ProfilesService/Export", json, "application/json",
           tenant);
  ASSERT_EQ(r.status, 200) << r.body;
  // gRPC, as the OpenTelemetry Collector's OTLP exporter sends it, the
  // tenant in the call's metadata.
  ASSERT_GT(server_->grpc_port(), 0);
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->grpc_port()),
                                     grpc::InsecureChannelCredentials());
  auto stub = opentelemetry::proto::collector::profiles::v1development::ProfilesService::NewStub(channel);
  namespace otlp = opentelemetry::proto::collector::profiles::v1development;
  auto grpc_export = [&](const otlp::ExportProfilesServiceRequest& request) {
    grpc::ClientContext context;
    context.AddMetadata("x-scope-orgid", "otlp-e2e");
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    otlp::ExportProfilesServiceResponse response;
    return stub->Export(&context, request, &response);
  };
  grpc::Status exported = grpc_export(OtlpRequest("otlp-grpc", now_ns, 2));
  ASSERT_TRUE(exported.ok()) << exported.error_message();
  grpc::Status refused = grpc_export(OtlpRequest("otlp-grpc-bad", now_ns, 9));
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(refused.error_message(), HasSubstr("stack index 9 out of range"));

  // 8 samples of 10 ms each, 3 on main;work and 5 on main;work;hash.
  for (const char* service : {"otlp-http", "otlp-connect", "otlp-grpc"}) {
    Json req = Range();
    req["profileTypeID"] = "process_cpu:cpu:nanoseconds:cpu:nanoseconds";
    req["labelSelector"] = std::string("{service_name=\"") + service + "\"}";
    Json fg = Query("SelectMergeStacktraces", req, tenant)["flamegraph"];
    EXPECT_EQ(Int64(fg["total"]), 80000000) << service;
    EXPECT_NE(std::find(fg["names"].begin(), fg["names"].end(), "hash"), fg["names"].end()) << service;
  }

  // A dangling stack index is refused with where and why; nothing stored.
  r = Post("/v1development/profiles", OtlpRequest("otlp-bad", now_ns, 9).SerializeAsString(), "application/x-protobuf",
           tenant);
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("stack index 9 out of range"));
  r = Post("/v1development/profiles", "{}", "text/plain", tenant);
  EXPECT_EQ(r.status, 415) << r.body;
  r = Post("/opentelemetry.proto.collector.profiles.v1development.ProfilesService/Export", "{}", "text/plain", tenant);
  EXPECT_EQ(r.status, 415) << r.body;
  // Both doors count under endpoint "otlp", not "push".
  const std::string metrics = Get("/metrics").body;
  EXPECT_THAT(metrics, HasSubstr("kiln_ingest_rejected_total{endpoint=\"otlp\",reason=\"unsupported_media_type\"} 2"));
  EXPECT_THAT(metrics, HasSubstr("kiln_ingest_received_bytes_total{endpoint=\"otlp\"}"));
  Json services = Range();
  services["name"] = "service_name";
  Json names = Query("LabelValues", services, tenant)["names"];
  EXPECT_EQ(names, Json({"otlp-connect", "otlp-grpc", "otlp-http"}));
}

// One malformed request and what the server must answer.
struct BadRequest {
  std::string what;
  std::string path;
  std::string body;
  std::string content_type = "application/json";
  httplib::Headers headers;
  int status = 400;
  std::string message;          // a substring of the answer
  std::string connect_code;     // for Connect procedures: the JSON error's code
  bool multipart = false;
  httplib::MultipartFormDataItems items;
  bool get = false;
};

std::string RandomBytes(size_t n) {
  std::mt19937_64 rng(42);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

TEST_F(ServerE2eTest, MalformedRequestsAreRejectedAndTheServerStaysHealthy) {
  ASSERT_TRUE(ingested_) << "runs after IngestedGoProfilesMergeToGoToolPprofTotals";
  const std::string gzip_bomb = Gzip(std::string(kMaxDecompressedBytes + (1 << 20), '\0'), 9);
  ASSERT_LT(gzip_bomb.size(), kMaxBodyBytes / 4);
  const std::string collapsed_gz = Gzip("main;a 1\n");
  const std::string truncated_gz = collapsed_gz.substr(0, collapsed_gz.size() - 6);
  const std::string oversized = RandomBytes(kMaxBodyBytes + 1);
  const std::string q = "/querier.v1.QuerierService/";
  const std::string cpu = "process_cpu:cpu:nanoseconds:cpu:nanoseconds";
  const std::string range = R"("start":")" + std::to_string(NowMs() - 3600000) + R"(","end":")" +
                            std::to_string(NowMs() + 3600000) + "\"";
  std::string many_labels = "/ingest?name=many%7B";
  for (int i = 0; i < 31; ++i) many_labels += "l" + std::to_string(i) + "%3Dv%2C";
  many_labels += "%7D";
  const std::string push_ok_labels = R"("labels":[{"name":"service_name","value":"bad-push"}])";

  std::vector<BadRequest> cases = {
      // /ingest parameters
      {"ingest without name", "/ingest", "main;a 1", "text/plain", {}, 400, "name: required query parameter"},
      {"name with an unclosed brace", "/ingest?name=app%7Benv%3Dprod", "main;a 1", "text/plain", {}, 400,
       "'{' is never closed"},
      {"name label without =", "/ingest?name=app%7Benv%7D", "main;a 1", "text/plain", {}, 400, "has no '='"},
      {"name with a space", "/ingest?name=my%20app", "main;a 1", "text/plain", {}, 400, "is not allowed"},
      {"unreadable from", "/ingest?name=app&from=yesterday", "main;a 1", "text/plain", {}, 400,
       "from: cannot read time"},
      {"until before from", "/ingest?name=app&from=now&until=now-1h", "main;a 1", "text/plain", {}, 400,
       "is before from"},
      {"invalid UTF-8 label value", "/ingest?name=app%7Benv%3D%FF%7D", "main;a 1", "text/plain", {}, 400,
       "not valid UTF-8"},
      {"unknown text profile type", "/ingest?name=my.server", "main;a 1", "text/plain", {}, 400,
       "unknown profile type \"server\""},
      {"invalid tenant", "/ingest?name=app", "main;a 1", "text/plain", {{"X-Scope-OrgID", "../etc"}}, 400,
       "not allowed in a tenant id"},
      {"too many labels", many_labels, "main;a 1", "text/plain", {}, 422, "labels; the limit is 30"},
      // /ingest formats and encodings
      {"legacy trie format", "/ingest?name=app&format=trie", "x", "binary/octet-stream+trie", {}, 415,
       "is not supported"},
      {"unknown format", "/ingest?name=app&format=flamegraph", "x", "text/plain", {}, 415,
       "format \"flamegraph\" is not supported"},
      {"unsupported Content-Encoding", "/ingest?name=app", "x", "text/plain", {{"Content-Encoding", "br"}}, 415,
       "Content-Encoding \"br\" is not supported"},
      {"truncated gzip body", "/ingest?name=app", truncated_gz, "text/plain", {{"Content-Encoding", "gzip"}}, 400,
       "truncated or corrupt"},
      {"gzip bomb body", "/ingest?name=app", gzip_bomb, "text/plain", {{"Content-Encoding", "gzip"}}, 413,
       "decompresses to more than"},
      {"gzip bomb inside a pprof", "/ingest?name=app&format=pprof", gzip_bomb, "application/octet-stream", {}, 413,
       "exceeds the limit"},
      {"oversized body", "/ingest?name=app", oversized, "text/plain", {}, 413, "larger than the limit"},
      {"pprof that is not pprof", "/ingest?name=app&format=pprof", "this is not a protobuf", "application/octet-stream",
       {}, 400, "pprof"},
      {"collapsed without a single stack", "/ingest?name=app", "no count here\n", "text/plain", {}, 400,
       "collapsed stacks"},
      {"binary noise as collapsed stacks", "/ingest?name=app", RandomBytes(200000), "text/plain", {}, 400,
       "lines are not \"frame;frame;... count\" lines"},
      {"speedscope that is not JSON", "/ingest?name=app&format=speedscope", "{not json", "application/json", {}, 400,
       "speedscope"},
      {"jfr that is not JFR", "/ingest?name=app&format=jfr", "not a recording", "application/octet-stream", {}, 400,
       "jfr"},
      // Connect
      {"Connect: text/plain", q + "ProfileTypes", "{}", "text/plain", {}, 415, "not a Connect unary codec",
       "invalid_argument"},
      {"Connect: unknown RPC", q + "SelectEverything", "{}", "application/json", {}, 404, "unknown procedure",
       "unimplemented"},
      {"Connect: unknown service", "/foo.v1.BarService/Baz", "{}", "application/json", {}, 404, "unknown procedure",
       "unimplemented"},
      {"Connect: broken JSON", q + "LabelNames", "{\"matchers\": [", "application/json", {}, 400,
       "not a JSON types.v1.LabelNamesRequest", "invalid_argument"},
      {"Connect: binary garbage", q + "LabelNames", "\xff\xff\xff\xff", "application/proto", {}, 400,
       "not a binary protobuf", "invalid_argument"},
      {"Connect: bad matcher", q + "LabelNames", R"({"matchers":["{service_name=~\"(\"}"]})", "application/json", {},
       400, "matchers[0]", "invalid_argument"},
      {"Connect: matcher syntax", q + "Series", R"({"matchers":["{service_name}"]})", "application/json", {}, 400,
       "matchers[0]: selector: at offset", "invalid_argument"},
      {"Connect: end before start", q + "SelectMergeStacktraces",
       R"({"profileTypeID":")" + cpu + R"(","labelSelector":"{}","start":"2000","end":"1000"})", "application/json", {},
       400, "before start", "invalid_argument"},
      {"Connect: range over the limit", q + "SelectMergeStacktraces",
       R"({"profileTypeID":")" + cpu + R"(","labelSelector":"{}","start":"1","end":")" + std::to_string(NowMs()) + "\"}",
       "application/json", {}, 429, "narrow the time range", "resource_exhausted"},
      {"Connect: missing profile type", q + "SelectMergeStacktraces", "{" + range + "}", "application/json", {}, 400,
       "profile_typeID is required", "invalid_argument"},
      {"Connect: malformed profile type", q + "SelectSeries",
       R"({"profileTypeID":"cpu",)" + range + R"(,"step":15})", "application/json", {}, 400, "profile_typeID",
       "invalid_argument"},
      {"Connect: zero step", q + "SelectSeries", R"({"profileTypeID":")" + cpu + "\"," + range + "}",
       "application/json", {}, 400, "step", "invalid_argument"},
      {"Connect: max_nodes over the limit", q + "SelectMergeStacktraces",
       R"({"profileTypeID":")" + cpu + "\"," + range + R"(,"maxNodes":"99999999"})", "application/json", {}, 400,
       "max_nodes", "invalid_argument"},
      {"Connect: DOT output", q + "SelectMergeStacktraces",
       R"({"profileTypeID":")" + cpu + "\"," + range + R"(,"format":"PROFILE_FORMAT_DOT"})", "application/json", {},
       501, "DOT", "unimplemented"},
      {"Connect: bad span id", q + "SelectMergeStacktraces",
       R"({"profileTypeID":")" + cpu + "\"," + range + R"(,"spanSelector":["xyz"]})", "application/json", {}, 400,
       "span_selector[0]", "invalid_argument"},
      {"Connect: protocol version 2", q + "ProfileTypes", "{}", "application/json",
       {{"Connect-Protocol-Version", "2"}}, 400, "Connect-Protocol-Version", "invalid_argument"},
      {"Connect: truncated gzip", q + "ProfileTypes", truncated_gz, "application/json",
       {{"Content-Encoding", "gzip"}}, 400, "truncated or corrupt", "invalid_argument"},
      {"Connect: gzip bomb", q + "ProfileTypes", gzip_bomb, "application/json", {{"Content-Encoding", "gzip"}}, 429,
       "decompresses to more than", "resource_exhausted"},
      {"Connect: oversized body", "/push.v1.PusherService/Push", oversized, "application/proto", {}, 429,
       "larger than the limit", "resource_exhausted"},
      {"Connect: unsupported encoding", q + "ProfileTypes", "{}", "application/json", {{"Content-Encoding", "zstd"}},
       501, "not supported", "unimplemented"},
      {"push: garbage rawProfile", "/push.v1.PusherService/Push",
       R"({"series":[{)" + push_ok_labels + R"(,"samples":[{"rawProfile":"bm90IGEgcHJvZmlsZQ=="}]}]})",
       "application/json", {}, 400, "series[0].samples[0].rawProfile", "invalid_argument"},
      {"push: bad UUID", "/push.v1.PusherService/Push",
       R"({"series":[{)" + push_ok_labels + R"(,"samples":[{"rawProfile":"AA==","ID":"not-a-uuid"}]}]})",
       "application/json", {}, 400, "is not a UUID", "invalid_argument"},
      {"push: bad label name", "/push.v1.PusherService/Push",
       R"({"series":[{"labels":[{"name":"bad-name","value":"x"}],"samples":[]}]})", "application/json", {}, 400,
       "series[0].labels[0]", "invalid_argument"},
      {"push: gzip bomb rawProfile", "/push.v1.PusherService/Push",
       R"({"series":[{)" + push_ok_labels + R"(,"samples":[{"rawProfile":")" + absl::Base64Escape(gzip_bomb) +
           R"("}]}]})",
       "application/json", {}, 429, "exceeds the limit", "resource_exhausted"},
      {"push: invalid tenant", "/push.v1.PusherService/Push", "{}", "application/json",
       {{"X-Scope-OrgID", "a|b"}}, 400, "tenant id", "invalid_argument"},
  };
  // Multipart forms.
  {
    BadRequest c{"multipart without the profile field", "/ingest?name=app"};
    c.multipart = true;
    c.items = {{"something_else", "x", "", ""}};
    c.status = 400;
    c.message = "\"profile\" field";
    cases.push_back(c);
    c = BadRequest{"multipart with a broken sample_type_config", "/ingest?name=app"};
    c.multipart = true;
    c.items = {{"profile", ReadFile(cpu_path_), "profile.pprof", ""}, {"sample_type_config", "{oops", "", ""}};
    c.status = 400;
    c.message = "sample_type_config";
    cases.push_back(c);
    c = BadRequest{"multipart from an old client (prev_profile)", "/ingest?name=app"};
    c.multipart = true;
    c.items = {{"profile", ReadFile(cpu_path_), "p", ""}, {"prev_profile", ReadFile(cpu_path_), "p", ""}};
    c.status = 400;
    c.message = "unsupported client version";
    cases.push_back(c);
    c = BadRequest{"GET on a Connect procedure", q + "ProfileTypes"};
    c.get = true;
    c.status = 405;
    c.message = "POST";
    c.connect_code = "unimplemented";
    cases.push_back(c);
    c = BadRequest{"unknown path", "/api/v2/everything"};
    c.get = true;
    c.status = 404;
    c.message = "404 page not found";
    cases.push_back(c);
  }
  ASSERT_GE(cases.size(), 30u);

  for (const BadRequest& c : cases) {
    SCOPED_TRACE(c.what);
    Reply r = c.get ? Get(c.path) : c.multipart ? PostForm(c.path, c.items, c.headers)
                                                : Post(c.path, c.body, c.content_type, c.headers);
    EXPECT_EQ(r.status, c.status) << r.body;
    EXPECT_THAT(r.body, HasSubstr(c.message));
    if (!c.connect_code.empty()) {
      Json j = Json::parse(r.body, nullptr, false);
      ASSERT_TRUE(j.is_object()) << r.body;
      EXPECT_EQ(j.value("code", ""), c.connect_code) << r.body;
    }
    // Still healthy after each one.
    ASSERT_EQ(Get("/ready").status, 200) << "after: " << c.what;
  }

  // Nothing of the rejected requests was stored, and earlier data is intact.
  Json services = Range();
  services["name"] = "service_name";
  Json names = Query("LabelValues", services);
  for (const char* rejected : {"app", "my", "many", "bad-push"}) {
    EXPECT_EQ(std::find(names["names"].begin(), names["names"].end(), rejected), names["names"].end()) << rejected;
  }
  ExpectMergedTotalsMatchGoPprof("go-ingest");
  ExpectMergedTotalsMatchGoPprof("go-push");

  // The rejections are counted by reason.
  const std::string metrics = Get("/metrics").body;
  EXPECT_THAT(metrics, HasSubstr("kiln_ingest_rejected_total{endpoint=\"ingest\",reason=\"body_too_large\"} 1"));
  EXPECT_THAT(metrics, HasSubstr("kiln_ingest_rejected_total{endpoint=\"ingest\",reason=\"limits\"} 1"));
  EXPECT_THAT(metrics, HasSubstr("kiln_ingest_rejected_total{endpoint=\"push\",reason=\"decompressed_too_large\"} 1"));
  EXPECT_THAT(metrics, HasSubstr("kiln_query_duration_seconds_count{method=\"SelectMergeProfile\"}"));
  EXPECT_THAT(metrics, HasSubstr("kiln_segment_write_wait_seconds_count"));
  EXPECT_THAT(metrics, HasSubstr("kiln_store_blocks{level="));
}

TEST_F(ServerE2eTest, StatusEndpoints) {
  Reply ready = Get("/ready");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, "ready\n");
  Reply info = Get("/api/v1/status/buildinfo");
  EXPECT_EQ(info.status, 200);
  Json j = Json::parse(info.body, nullptr, false);
  EXPECT_EQ(j.value("status", ""), "success");
  EXPECT_EQ(j["data"].value("version", ""), "0.1.0");
  Reply metrics = Get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_THAT(metrics.content_type, HasSubstr("text/plain; version=0.0.4"));
  EXPECT_THAT(metrics.body, HasSubstr("# TYPE kiln_ingest_profiles_total counter"));
  EXPECT_THAT(metrics.body, HasSubstr("kiln_http_requests_total{route=\"/ready\",status=\"200\"}"));
}

TEST_F(ServerE2eTest, GracefulShutdownAndRestartKeepData) {
  ASSERT_TRUE(ingested_) << "runs after IngestedGoProfilesMergeToGoToolPprofTotals";
  // A second daemon on the same directory refuses to start.
  ProcessResult second = RunProcess(
      {KILN_CLI_PATH, "server", "--data-dir", data_dir_, "--http-addr", "127.0.0.1:0", "--grpc-addr", "127.0.0.1:0"});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_THAT(second.err, HasSubstr("in use by another kiln process"));

  // An acknowledged push right before SIGTERM survives it.
  const std::string late = "/ingest?name=late-app&from=now-1s";
  ASSERT_EQ(Post(late, "main;late 4\n", "text/plain").status, 200);
  EXPECT_EQ(server_->Stop(), 0) << server_->Log();
  const std::string log = server_->Log();
  EXPECT_THAT(log, HasSubstr("msg=\"shutting down\" signal=Terminated"));
  EXPECT_THAT(log, HasSubstr("msg=stopped exit_code=0"));
  delete server_;
  server_ = nullptr;

  StartServer();
  ASSERT_NE(server_, nullptr) << setup_error_;
  ExpectMergedTotalsMatchGoPprof("go-ingest");
  ExpectMergedTotalsMatchGoPprof("go-push");
  Json req = Range();
  req["profileTypeID"] = "process_cpu:cpu:nanoseconds:cpu:nanoseconds";
  req["labelSelector"] = "{service_name=\"late-app\"}";
  EXPECT_EQ(Int64(Query("SelectMergeStacktraces", req)["flamegraph"]["total"]), 40000000);
}


// `kiln server --config FILE`: settings from YAML (the command line wins),
// bearer and basic credentials mapped to tenants, and a per-tenant ingest
// rate limit — against a real server of its own.
TEST(ServerConfigE2eTest, ConfigFileAuthenticationAndRateLimits) {
  ScratchDir scratch("kiln_server_config_e2e");
  const std::string config = (scratch.path() / "kiln.yaml").string();
  {
    std::ofstream out(config);
    out << "segment-duration-ms: 50\n"
           "max-body-bytes: 4096\n"        // overridden on the command line below
           "ingest-rate-mb: 0.00002\n"     // 20 bytes/s per tenant
           "ingest-burst-mb: 0.0002\n"
           "auth:\n"
           "  tokens:\n"
           "    - {token: \"s3cret\", tenant: team-a}\n"
           "  basic:\n"
           "    - {user: alice, password: \"pw\", tenant: team-b}\n";
  }
  auto server = ServerProcess::Start(KILN_CLI_PATH, (scratch.path() / "data").string(),
                                     {"--config", config, "--max-body-bytes", "100000"},
                                     (scratch.path() / "server.log").string());
  ASSERT_TRUE(server.ok()) << server.status();
  httplib::Client client("127.0.0.1", (*server)->port());
  // ~300 bytes: one request spends more than the 200-byte burst.
  const std::string body = "main;" + std::string(280, 'w') + " 100\n";
  auto ingest = [&](const httplib::Headers& headers, const std::string& app) {
    return client.Post("/ingest?name=" + app, headers, body, "text/plain");
  };

  // No or wrong credentials: 401; another tenant's header: 403.
  auto r = ingest({}, "shop");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401) << r->body;
  r = ingest({{"Authorization", "Bearer nope"}}, "shop");
  EXPECT_EQ(r->status, 401) << r->body;
  r = ingest({{"Authorization", "Bearer s3cret"}, {"X-Scope-OrgID", "team-b"}}, "shop");
  EXPECT_EQ(r->status, 403) << r->body;
  // Probes stay open.
  EXPECT_EQ(client.Get("/ready")->status, 200);

  // The token writes to team-a, alice to team-b; each sees only its own.
  r = ingest({{"Authorization", "Bearer s3cret"}}, "shop-a");
  ASSERT_EQ(r->status, 200) << r->body;
  r = ingest({{"Authorization", "Basic YWxpY2U6cHc="}}, "shop-b");  // alice:pw
  ASSERT_EQ(r->status, 200) << r->body;
  auto services = [&](const char* authorization) {
    auto res = client.Post("/querier.v1.QuerierService/LabelValues", {{"Authorization", authorization}},
                           R"({"name":"service_name"})", "application/json");
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    return res ? Json::parse(res->body, nullptr, false)["names"] : Json();
  };
  EXPECT_EQ(services("Bearer s3cret"), Json({"shop-a"}));
  EXPECT_EQ(services("Basic YWxpY2U6cHc="), Json({"shop-b"}));
  auto unauthenticated = client.Post("/querier.v1.QuerierService/LabelValues", R"({"name":"service_name"})",
                                     "application/json");
  EXPECT_EQ(unauthenticated->status, 401);
  EXPECT_NE(unauthenticated->body.find("unauthenticated"), std::string::npos) << unauthenticated->body;

  // team-a spent its 200-byte burst on its one profile: pushing on at once
  // is refused with 429 and a Retry-After (refilling takes 5 s).
  int refused = 0;
  std::string retry_after;
  for (int i = 0; i < 5; ++i) {
    r = ingest({{"Authorization", "Bearer s3cret"}}, "shop-a");
    if (r->status == 429) {
      ++refused;
      retry_after = r->get_header_value("Retry-After");
      EXPECT_NE(r->body.find("ingest rate"), std::string::npos) << r->body;
    }
  }
  EXPECT_GE(refused, 3);
  EXPECT_FALSE(retry_after.empty());
  // The 4096-byte limit from the file was overridden by the flag.
  r = client.Post("/ingest?name=shop-b", {{"Authorization", "Basic YWxpY2U6cHc="}}, std::string(8000, '#'),
                  "text/plain");
  EXPECT_NE(r->status, 413) << r->body;
  EXPECT_EQ((*server)->Stop(), 0);
}

// HTTPS with a certificate made here by openssl: a client trusting that
// certificate ingests and queries; a plain-HTTP client gets no answer.
TEST(ServerConfigE2eTest, ServesHttpsWithTheConfiguredCertificate) {
  ScratchDir scratch("kiln_server_tls_e2e");
  const std::string cert = (scratch.path() / "cert.pem").string(), key = (scratch.path() / "key.pem").string();
  ProcessResult made = RunProcess({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                                   "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out",
                                   cert});
  if (made.exit_code == -1) GTEST_SKIP() << "openssl could not be run (is it installed?)";
  ASSERT_EQ(made.exit_code, 0) << made.err;
  auto server = ServerProcess::Start(KILN_CLI_PATH, (scratch.path() / "data").string(),
                                     {"--tls-cert-file", cert, "--tls-key-file", key},
                                     (scratch.path() / "server.log").string());
  ASSERT_TRUE(server.ok()) << server.status();
  httplib::SSLClient tls("127.0.0.1", (*server)->port());
  tls.set_ca_cert_path(cert.c_str());
  tls.enable_server_certificate_verification(true);
  auto r = tls.Post("/ingest?name=secure", "main;work 100\n", "text/plain");
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 200) << r->body;
  r = tls.Post("/querier.v1.QuerierService/LabelValues", R"({"name":"service_name"})", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(Json::parse(r->body)["names"], Json({"secure"}));
  httplib::Client plain("127.0.0.1", (*server)->port());
  auto refused = plain.Get("/ready");
  EXPECT_TRUE(!refused || refused->status != 200);
  EXPECT_EQ((*server)->Stop(), 0);

  // A key that is not the certificate's: refused at startup, paths named.
  const std::string other = (scratch.path() / "other.pem").string();
  ASSERT_EQ(RunProcess({"openssl", "genrsa", "-out", other, "2048"}).exit_code, 0);
  auto mismatched = ServerProcess::Start(KILN_CLI_PATH, (scratch.path() / "data").string(),
                                         {"--tls-cert-file", cert, "--tls-key-file", other},
                                         (scratch.path() / "server.log").string());
  ASSERT_FALSE(mismatched.ok());
  EXPECT_THAT(std::string(mismatched.status().message()), HasSubstr("cannot use the TLS certificate"));
}

TEST(ServerConfigE2eTest, BadConfigFilesAreRefusedWithTheKeyNamed) {
  ScratchDir scratch("kiln_server_bad_config");
  const std::string config = (scratch.path() / "kiln.yaml").string();
  const std::pair<const char*, const char*> cases[] = {
      {"http-adr: 127.0.0.1:1\n", "http-adr\\\" is not a setting of `kiln server`"},
      {"segment-duration-ms: soon\n", "segment-duration-ms"},
      {"auth:\n  tokens:\n    - {token: x}\n", "auth.tokens[0]: tenant is required"},
      {"data-dir: [\n", "kiln.yaml"},
  };
  for (const auto& [text, want] : cases) {
    { std::ofstream(config) << text; }
    auto started = ServerProcess::Start(KILN_CLI_PATH, (scratch.path() / "data").string(), {"--config", config},
                                        (scratch.path() / "server.log").string());
    ASSERT_FALSE(started.ok()) << text;
    std::ifstream log(scratch.path() / "server.log");
    const std::string logged((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    EXPECT_NE(logged.find(want), std::string::npos) << text << "\n" << logged;
  }
}

}  // namespace
}  // namespace kiln::testing
