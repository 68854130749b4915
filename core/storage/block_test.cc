// Profiles → dataset → block object → dataset again: everything survives,
// symbols are stored once per dataset, and damage is reported, not served.
#include <gtest/gtest.h>

#include <map>

#include "core/testing/corpus.h"
#include "kiln/ingest/importer_registry.h"
#include "kiln/storage/block.h"
#include "kiln/storage/block_id.h"
#include "kiln/storage/dataset_builder.h"
#include "kiln/storage/memory_object_store.h"
#include "kiln/storage/profile_appender.h"

namespace kiln::storage {
namespace {

// "root;…;leaf" → value over the rows of |series|, computed by walking the
// parent pointers by hand (independent of the query engine).
std::map<std::string, int64_t> Collapse(const Dataset& d, uint32_t series) {
  std::map<std::string, int64_t> out;
  std::vector<LocationId> locations;
  for (const ProfileRow& row : d.profiles) {
    if (row.series != series) continue;
    for (uint64_t i = row.first_sample; i < row.first_sample + row.num_samples; ++i) {
      d.stacks.Unwind(d.sample_stacks[i], &locations);
      std::string key;
      for (auto it = locations.rbegin(); it != locations.rend(); ++it) {
        auto lines = d.symbols.lines(*it);
        for (auto line = lines.rbegin(); line != lines.rend(); ++line) {
          key += std::string(d.symbols.FunctionName(line->function_id)) + ";";
        }
      }
      out[key] += d.sample_values[i];
    }
  }
  return out;
}

std::map<std::string, int64_t> Collapse(const Profile& p, size_t type) {
  std::map<std::string, int64_t> out;
  std::vector<LocationId> locations;
  for (size_t i = 0; i < p.num_samples(); ++i) {
    p.stacks.Unwind(p.sample_stacks[i], &locations);
    std::string key;
    for (auto it = locations.rbegin(); it != locations.rend(); ++it) {
      auto lines = p.symbols.lines(*it);
      for (auto line = lines.rbegin(); line != lines.rend(); ++line) {
        key += std::string(p.symbols.FunctionName(line->function_id)) + ";";
      }
    }
    if (p.values(i)[type] != 0) out[key] += p.values(i)[type];
  }
  return out;
}

Profile SmallCpuProfile(int64_t scale) {
  Profile p;
  p.sample_types = {{"samples", "count"}, {"cpu", "nanoseconds"}};
  p.period_type = {"cpu", "nanoseconds"};
  p.period = 10000000;
  p.time_nanos = 1700000000000000000;
  p.duration_nanos = 10000000000;
  const LocationId main = p.symbols.InternFrame("main", "main.go", 10);
  const LocationId work = p.symbols.InternFrame("work", "work.go", 20);
  const LocationId hash = p.symbols.InternFrame("hash", "hash.go", 30);
  const StackId s1 = p.stacks.InternRootFirst(std::vector<LocationId>{main, work});
  const StackId s2 = p.stacks.InternRootFirst(std::vector<LocationId>{main, work, hash});
  const int64_t v1[] = {3 * scale, 30000000 * scale}, v2[] = {5 * scale, 50000000 * scale};
  p.AddSample(s1, v1);
  p.AddSample(s2, v2);
  p.AddSample(s2, v1);  // equal stacks are summed on append
  const uint32_t labelled = p.InternLabelSet({{p.symbols.InternString("span_id"), p.symbols.InternString("00000000000000ab")},
                                              {p.symbols.InternString("endpoint"), p.symbols.InternString("/api")}});
  p.AddSample(s1, v2, labelled);
  return p;
}

TEST(BlockTest, RoundTripsProfilesSeriesSymbolsAndSpans) {
  DatasetBuilder builder("acme", "checkout");
  const Profile p1 = SmallCpuProfile(1), p2 = SmallCpuProfile(2);
  IngestedProfile in{LabelSet{{"service_name", "checkout"}, {"pod", "a"}}, {}, &p1};
  auto r1 = AppendProfile(in, IngestLimits{}, 0, &builder);
  ASSERT_TRUE(r1.ok()) << r1.status();
  EXPECT_EQ(r1->rows, 4u) << "2 types x (unlabelled, endpoint=/api)";
  in.profile = &p2;
  ASSERT_TRUE(AppendProfile(in, IngestLimits{}, 0, &builder).ok());
  // The same profile id again is a retry: stored once.
  IngestedProfile retry{in.labels, builder.dataset().profiles.back().id, &p2};
  auto r3 = AppendProfile(retry, IngestLimits{}, 0, &builder);
  ASSERT_TRUE(r3.ok());
  EXPECT_EQ(r3->rows, 0u);
  EXPECT_EQ(r3->duplicates, 4u);

  const Dataset& source = builder.dataset();
  EXPECT_EQ(source.series.size(), 4u);
  EXPECT_EQ(source.symbols.num_functions(), 4u) << "three functions stored once for both profiles, + null";

  v1::BlockMeta meta;
  meta.set_id(NewBlockId(1700000000000));
  meta.set_key("segments/0/" + meta.id() + ".kb");
  const Dataset* datasets[] = {&source};
  const std::string object = EncodeBlock(datasets, &meta);
  MemoryObjectStore store;
  ASSERT_TRUE(store.Put(meta.key(), object).ok());

  for (uint64_t whole_limit : {uint64_t{1} << 20, uint64_t{0}}) {  // whole object, and range reads
    auto reader = BlockReader::Open(&store, meta.key(), object.size(), whole_limit);
    ASSERT_TRUE(reader.ok()) << reader.status();
    ASSERT_EQ(reader->meta().datasets_size(), 1);
    const v1::DatasetMeta& dm = reader->meta().datasets(0);
    EXPECT_EQ(dm.tenant(), "acme");
    EXPECT_EQ(dm.service(), "checkout");
    EXPECT_EQ(dm.num_profiles(), 8u);
    ASSERT_EQ(dm.profile_types_size(), 2);
    EXPECT_EQ(dm.profile_types(0), "process_cpu:cpu:nanoseconds:cpu:nanoseconds");
    EXPECT_EQ(dm.profile_types(1), "process_cpu:samples:count:cpu:nanoseconds");
    EXPECT_EQ(dm.min_time_nanos(), 1700000000000000000);
    EXPECT_EQ(dm.max_time_nanos(), 1700000010000000000);

    auto decoded = reader->ReadDataset(0);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    ASSERT_EQ(decoded->series, source.series);
    ASSERT_EQ(decoded->profiles.size(), source.profiles.size());
    for (uint32_t s = 0; s < source.series.size(); ++s) {
      EXPECT_EQ(Collapse(*decoded, s), Collapse(source, s)) << source.series[s].ToString();
    }
    // Span annotations survive.
    bool found_span = false;
    for (size_t i = 0; i < decoded->sample_annotations.size(); ++i) {
      if (decoded->annotations[decoded->sample_annotations[i]].span_id == 0xab) found_span = true;
    }
    EXPECT_TRUE(found_span);

    auto index_only = reader->ReadDataset(0, kSectionIndex | kSectionProfiles);
    ASSERT_TRUE(index_only.ok());
    EXPECT_EQ(index_only->series.size(), 4u);
    EXPECT_TRUE(index_only->sample_stacks.empty());
    int64_t total = 0;
    for (const ProfileRow& row : index_only->profiles) {
      if (index_only->series[row.series].Get("__type__") == "cpu") total += row.total;
    }
    EXPECT_EQ(total, p1.Total(1) + p2.Total(1));
  }
}

TEST(BlockTest, CorruptionIsReportedWithTheObjectAndSection) {
  DatasetBuilder builder("t", "svc");
  const Profile p = SmallCpuProfile(1);
  ASSERT_TRUE(AppendProfile({LabelSet{{"service_name", "svc"}}, {}, &p}, IngestLimits{}, 0, &builder).ok());
  v1::BlockMeta meta;
  meta.set_id("01HZZZZZZZZZZZZZZZZZZZZZZZ");
  const Dataset* datasets[] = {&builder.dataset()};
  const std::string object = EncodeBlock(datasets, &meta);

  MemoryObjectStore store;
  // Every single-byte flip in the sections or footer is caught.
  for (size_t pos = 0; pos < object.size(); pos += 7) {
    std::string damaged = object;
    damaged[pos] ^= 0x20;
    ASSERT_TRUE(store.Put("b", damaged).ok());
    auto reader = BlockReader::Open(&store, "b");
    if (!reader.ok()) {
      EXPECT_EQ(reader.status().code(), absl::StatusCode::kDataLoss) << reader.status();
      EXPECT_NE(reader.status().message().find("object b"), std::string::npos);
      continue;
    }
    auto d = reader->ReadDataset(0);
    ASSERT_FALSE(d.ok()) << "flip at " << pos << " went unnoticed";
    EXPECT_EQ(d.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_NE(d.status().message().find("section"), std::string::npos) << d.status();
  }
  // Truncation.
  ASSERT_TRUE(store.Put("b", object.substr(0, object.size() - 3)).ok());
  EXPECT_EQ(BlockReader::Open(&store, "b").status().code(), absl::StatusCode::kDataLoss);
}

TEST(BlockTest, LimitsRejectBeforeStoring) {
  DatasetBuilder builder("t", "svc");
  const Profile p = SmallCpuProfile(1);
  IngestLimits limits;
  limits.max_samples_per_profile = 2;
  auto r = AppendProfile({LabelSet{{"service_name", "svc"}}, {}, &p}, limits, 0, &builder);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("the limit is 2"), std::string::npos) << r.status();
  limits = IngestLimits{};
  limits.max_label_value_length = 3;
  r = AppendProfile({LabelSet{{"service_name", "svc"}, {"pod", "abcdef"}}, {}, &p}, limits, 0, &builder);
  EXPECT_NE(r.status().message().find("label pod"), std::string::npos) << r.status();
  limits = IngestLimits{};
  limits.max_labels_per_series = 5;
  r = AppendProfile({LabelSet{{"service_name", "svc"}}, {}, &p}, limits, 0, &builder);
  EXPECT_NE(r.status().message().find("labels; the limit is 5"), std::string::npos) << r.status();
  EXPECT_TRUE(builder.dataset().profiles.empty());
  EXPECT_EQ(AppendProfile({LabelSet{{"pod", "x"}}, {}, &p}, IngestLimits{}, 0, &builder).status().message(),
            "profile has no service_name label");
}

TEST(BlockTest, CorpusProfilesRoundTripWithSharedSymbols) {
  KILN_SKIP_WITHOUT_CORPUS();
  DatasetBuilder builder("t", "go-app");
  std::vector<Profile> profiles;
  for (const std::string& path : testing::ListCorpusFiles("pprof/parca/many")) {
    auto imported = ImporterRegistry::Default().Import(testing::ReadFileForTest(testing::CorpusPath(path)), path);
    ASSERT_TRUE(imported.ok()) << path << ": " << imported.status();
    for (Profile& p : *imported) profiles.push_back(std::move(p));
  }
  ASSERT_GE(profiles.size(), 10u);
  size_t received_locations = 0;
  for (const Profile& p : profiles) {
    received_locations += p.symbols.num_locations() - 1;
    auto r = AppendProfile({LabelSet{{"service_name", "go-app"}}, {}, &p}, IngestLimits{}, 0, &builder);
    ASSERT_TRUE(r.ok()) << r.status();
  }
  const Dataset& d = builder.dataset();
  EXPECT_LT(d.symbols.num_locations() * 2, received_locations) << "locations shared across the profiles";
  const Dataset* datasets[] = {&d};
  v1::BlockMeta meta;
  meta.set_id(NewBlockId(0));
  MemoryObjectStore store;
  ASSERT_TRUE(store.Put("x", EncodeBlock(datasets, &meta)).ok());
  auto reader = BlockReader::Open(&store, "x");
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto decoded = reader->ReadDataset(0);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  for (uint32_t s = 0; s < d.series.size(); ++s) EXPECT_EQ(Collapse(*decoded, s), Collapse(d, s));
  // And the merged dataset equals the merged source profiles.
  std::map<std::string, int64_t> expected;
  for (const Profile& p : profiles) {
    const int type = p.FindSampleType("alloc_space");
    ASSERT_GE(type, 0);
    for (const auto& [k, v] : Collapse(p, type)) expected[k] += v;
  }
  std::map<std::string, int64_t> actual;
  for (uint32_t s = 0; s < d.series.size(); ++s) {
    if (d.series[s].Get("__type__") != "alloc_space") continue;
    for (const auto& [k, v] : Collapse(*decoded, s)) actual[k] += v;
  }
  EXPECT_EQ(actual, expected);
}

}  // namespace
}  // namespace kiln::storage
