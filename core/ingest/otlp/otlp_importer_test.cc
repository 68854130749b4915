// OTLP profiles: requests built here with the generated classes, bad
// indices, and the eBPF profiler export in the corpus against Pyroscope's
// expected ingest results.
#include "kiln/ingest/otlp_importer.h"

#include <gtest/gtest.h>

#include <map>

#include "core/testing/corpus.h"
#include "kiln/base/gzip.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/ingest/importer_registry.h"
#include "fmt/format.h"
#include "opentelemetry/proto/collector/profiles/v1development/profiles_service.pb.h"

namespace kiln {
namespace {

namespace otel = opentelemetry::proto::profiles::v1development;
using Request = opentelemetry::proto::collector::profiles::v1development::ExportProfilesServiceRequest;

int Str(Request* r, const std::string& s) {
  auto* table = r->mutable_dictionary()->mutable_string_table();
  for (int i = 0; i < table->size(); ++i) {
    if (table->Get(i) == s) return i;
  }
  table->Add(std::string(s));
  return table->size() - 1;
}

// main -> work -> {hash | io}, CPU samples counted per timestamp, one
// sample in a span; resource with service.name.
Request SmallRequest() {
  Request r;
  auto* d = r.mutable_dictionary();
  Str(&r, "");
  d->add_mapping_table();
  d->add_location_table();
  d->add_function_table();
  d->add_link_table();
  d->add_stack_table();
  auto* kv0 = d->add_attribute_table();
  (void)kv0;
  for (const char* name : {"main", "work", "hash", "io"}) {
    auto* f = d->add_function_table();
    f->set_name_strindex(Str(&r, name));
    f->set_filename_strindex(Str(&r, std::string(name) + ".go"));
    auto* l = d->add_location_table();
    auto* line = l->add_lines();
    line->set_function_index(d->function_table_size() - 1);
    line->set_line(10);
  }
  // Stacks are leaf first: locations 1=main 2=work 3=hash 4=io.
  for (int leaf : {3, 4}) {
    auto* stack = d->add_stack_table();
    for (int loc : {leaf, 2, 1}) stack->add_location_indices(loc);
  }
  auto* link = d->add_link_table();
  link->set_span_id(std::string("\x00\x00\x00\x00\x00\x00\x00\xab", 8));
  link->set_trace_id(std::string(16, '\x01'));
  auto* thread = d->add_attribute_table();
  thread->set_key_strindex(Str(&r, "thread.name"));
  thread->mutable_value()->set_string_value("worker-1");

  auto* rp = r.add_resource_profiles();
  auto* attr = rp->mutable_resource()->add_attributes();
  attr->set_key("service.name");
  attr->mutable_value()->set_string_value("checkout");
  auto* pid = rp->mutable_resource()->add_attributes();
  pid->set_key("process.pid");
  pid->mutable_value()->set_int_value(42);
  auto* p = rp->add_scope_profiles()->add_profiles();
  p->mutable_sample_type()->set_type_strindex(Str(&r, "samples"));
  p->mutable_sample_type()->set_unit_strindex(Str(&r, "count"));
  p->mutable_period_type()->set_type_strindex(Str(&r, "cpu"));
  p->mutable_period_type()->set_unit_strindex(Str(&r, "nanoseconds"));
  p->set_period(10000000);
  p->set_time_unix_nano(1700000000000000000);
  p->set_duration_nano(10000000000);
  auto* s1 = p->add_samples();
  s1->set_stack_index(1);
  s1->add_timestamps_unix_nano(1);
  s1->add_timestamps_unix_nano(2);
  s1->add_timestamps_unix_nano(3);
  auto* s2 = p->add_samples();
  s2->set_stack_index(2);
  s2->add_values(2);
  s2->set_link_index(1);
  s2->add_attribute_indices(1);
  return r;
}

std::map<std::string, int64_t> Collapse(const Profile& p) {
  std::map<std::string, int64_t> out;
  std::vector<LocationId> locs;
  for (size_t i = 0; i < p.num_samples(); ++i) {
    p.stacks.Unwind(p.sample_stacks[i], &locs);
    std::string key;
    for (auto it = locs.rbegin(); it != locs.rend(); ++it) {
      for (const Line& l : p.symbols.lines(*it)) key += std::string(p.symbols.FunctionName(l.function_id)) + ";";
    }
    out[key] += p.values(i)[0];
  }
  return out;
}

TEST(OtlpImporterTest, ConvertsSamplesStacksLabelsAndSpans) {
  const std::string bytes = SmallRequest().SerializeAsString();
  auto importer = NewOtlpImporter();
  EXPECT_EQ(importer->Sniff(bytes), 95);
  auto profiles = ParseOtlpProfiles(bytes);
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  ASSERT_EQ(profiles->size(), 1u);
  const Profile& p = (*profiles)[0];
  EXPECT_EQ(p.name, "process_cpu");
  ASSERT_EQ(p.sample_types.size(), 1u);
  EXPECT_EQ(p.sample_types[0], (ValueType{"cpu", "nanoseconds"})) << "samples x period";
  EXPECT_EQ(p.time_nanos, 1700000000000000000);
  const std::map<std::string, int64_t> expected = {{"main;work;hash;", 30000000}, {"main;work;io;", 20000000}};
  EXPECT_EQ(Collapse(p), expected);
  std::map<std::string, std::string> labels(p.labels.begin(), p.labels.end());
  EXPECT_EQ(labels["service_name"], "checkout");
  EXPECT_EQ(labels["process.pid"], "42");
  // The linked sample carries span_id, trace_id and thread.name labels.
  bool found = false;
  for (size_t i = 0; i < p.num_samples(); ++i) {
    std::map<std::string, std::string> sl;
    for (const SampleLabel& l : p.label_sets[p.sample_label_sets[i]]) {
      sl[std::string(p.symbols.String(l.key))] = std::string(p.symbols.String(l.str));
    }
    if (sl.count("span_id")) {
      found = true;
      EXPECT_EQ(sl["span_id"], "00000000000000ab");
      EXPECT_EQ(sl["trace_id"], "01010101010101010101010101010101");
      EXPECT_EQ(sl["thread.name"], "worker-1");
    }
  }
  EXPECT_TRUE(found);
}

TEST(OtlpImporterTest, ServiceNameFallsBackToTheExecutable) {
  Request r = SmallRequest();
  auto* attrs = r.mutable_resource_profiles(0)->mutable_resource()->mutable_attributes();
  attrs->Mutable(0)->set_key("process.executable.name");
  attrs->Mutable(0)->mutable_value()->set_string_value("containerd");
  auto profiles = ParseOtlpProfiles(r.SerializeAsString());
  ASSERT_TRUE(profiles.ok());
  std::map<std::string, std::string> labels((*profiles)[0].labels.begin(), (*profiles)[0].labels.end());
  EXPECT_EQ(labels["service_name"], "unknown_service:containerd");
  attrs->Mutable(0)->set_key("host.name");
  profiles = ParseOtlpProfiles(r.SerializeAsString());
  labels = {(*profiles)[0].labels.begin(), (*profiles)[0].labels.end()};
  EXPECT_EQ(labels["service_name"], "unknown_service");
}

TEST(OtlpImporterTest, BadIndicesAreErrorsThatSayWhere) {
  Request r = SmallRequest();
  r.mutable_resource_profiles(0)->mutable_scope_profiles(0)->mutable_profiles(0)->mutable_samples(0)->set_stack_index(99);
  auto result = ParseOtlpProfiles(r.SerializeAsString());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message(),
            "OTLP: resource_profiles[0].scope_profiles[0].profiles[0].samples[0]: stack index 99 out of range "
            "(stack_table has 3)");
  r = SmallRequest();
  r.mutable_dictionary()->mutable_stack_table(1)->set_location_indices(0, 500);
  result = ParseOtlpProfiles(r.SerializeAsString());
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("dictionary.stack_table[1].location_indices[0]: location index 500"),
            std::string::npos) << result.status();
  r = SmallRequest();
  r.mutable_dictionary()->mutable_function_table(2)->set_name_strindex(-3);
  result = ParseOtlpProfiles(r.SerializeAsString());
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("string index -3 out of range"), std::string::npos) << result.status();
  const std::string bytes = SmallRequest().SerializeAsString();
  result = ParseOtlpProfiles(std::string_view(bytes).substr(0, bytes.size() / 2));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("do not parse"), std::string::npos) << result.status();
}

TEST(OtlpImporterTest, SniffDoesNotClaimPprofOrText) {
  auto importer = NewOtlpImporter();
  EXPECT_EQ(importer->Sniff("main;work 3\n"), 0);
  EXPECT_EQ(importer->Sniff(""), 0);
  KILN_SKIP_WITHOUT_CORPUS();
  int checked = 0;
  for (const std::string& path : testing::ListCorpusFiles("pprof")) {
    std::string data = testing::ReadFileForTest(testing::CorpusPath(path));
    if (IsGzip(data)) {
      auto plain = Gunzip(data, size_t{1} << 30);
      if (!plain.ok()) continue;
      data = *plain;
    }
    EXPECT_EQ(importer->Sniff(data), 0) << path;
    ++checked;
  }
  EXPECT_GT(checked, 50);
}

// The eBPF profiler export, against what Pyroscope's TestIngestOTLP expects
// SelectMergeProfile to return for service_name="unknown_service".
TEST(OtlpImporterTest, CorpusExportMatchesPyroscopesIngestResult) {
  KILN_SKIP_WITHOUT_CORPUS();
  const std::string path = "otlp/pyroscope/otel-ebpf-profile.pb.bin";
  auto profiles = ImporterRegistry::Default().Import(testing::ReadFileForTest(testing::CorpusPath(path)), path);
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  const auto& facts = testing::CorpusFacts()[path]["otlp"];
  // One Kiln profile per OTLP profile here (no sample names a service).
  EXPECT_EQ(profiles->size(), facts["profiles"].get<size_t>());
  size_t samples = 0;
  for (const Profile& p : *profiles) samples += p.num_samples();
  EXPECT_EQ(samples, facts["samples"].get<size_t>());

  for (const auto& [name, oracle_file] : {std::pair<std::string, std::string>{"off_cpu", "otel-ebpf-profile-offcpu.out.json"},
                                          {"process_cpu", "otel-ebpf-profile-cpu.out.json"}}) {
    SCOPED_TRACE(name);
    // Oracle: locations leaf first, each "fn[]@file:line" per line, or an
    // address; we key stacks the same way.
    const auto oracle = nlohmann::json::parse(testing::ReadFileForTest(testing::CorpusPath("otlp/pyroscope/" + oracle_file)));
    std::map<std::string, int64_t> expected;
    for (const auto& s : oracle["samples"]) {
      std::string key;
      for (const auto& loc : s["locations"]) {
        if (loc["lines"].empty()) {
          key += loc["address"].get<std::string>() + ";";
        } else {
          for (const auto& line : loc["lines"]) {
            const std::string l = line.get<std::string>();
            key += l.substr(0, l.find('[')) + "|";
          }
          key += ";";
        }
      }
      expected[key] += std::stoll(s["values"].get<std::string>());
    }
    std::map<std::string, int64_t> actual;
    std::vector<LocationId> locs;
    for (const Profile& p : *profiles) {
      std::map<std::string, std::string> labels(p.labels.begin(), p.labels.end());
      if (labels["service_name"] != "unknown_service" || p.name != name) continue;
      for (size_t i = 0; i < p.num_samples(); ++i) {
        p.stacks.Unwind(p.sample_stacks[i], &locs);
        std::string key;
        for (LocationId l : locs) {
          auto lines = p.symbols.lines(l);
          if (lines.empty()) {
            key += fmt::format("{:#x};", p.symbols.location(l).address);
          } else {
            for (const Line& line : lines) key += std::string(p.symbols.FunctionName(line.function_id)) + "|";
            key += ";";
          }
        }
        actual[key] += p.values(i)[0];
      }
    }
    EXPECT_EQ(actual, expected);
    int64_t total = 0;
    for (const auto& [k, v] : actual) total += v;
    EXPECT_EQ(total, name == "off_cpu" ? 250725419905 : 500000000);
  }
}

}  // namespace
}  // namespace kiln
