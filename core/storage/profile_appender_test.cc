// Stacks interned straight into the dataset (DecodedPprof, the ingest path)
// must store exactly what the profile path stores (ParsePprof, then the
// StackTranslator): same rows, same stacks frame by frame.
#include "kiln/storage/profile_appender.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"
#include "fmt/format.h"
#include "core/storage/storage_test_profiles.h"
#include "core/testing/corpus.h"
#include "kiln/export/pprof_writer.h"
#include "kiln/ingest/pprof_importer.h"
#include "kiln/storage/dataset_builder.h"

namespace kiln::storage {
namespace {

// (series, stack) → value, where a stack is a hash of its frames root
// first, each frame hashed from its function, file, line, address and
// mapping file: everything a query can see of a stack, but not the ids,
// which may differ. Hashes are memoized per node, so the corpus's
// 3-million-node profile takes seconds.
std::map<std::pair<std::string, uint64_t>, int64_t> Rows(const Dataset& d) {
  std::vector<uint64_t> node_hash(d.stacks.size(), 0);
  for (StackId id = 1; id < d.stacks.size(); ++id) {
    const StackTraceTree::Node& n = d.stacks.node(id);
    const Location& loc = d.symbols.location(n.location);
    size_t h = absl::HashOf(node_hash[n.parent], loc.address,
                            absl::string_view(fmt::format("{}", d.symbols.String(d.symbols.mapping(loc.mapping_id).filename))));
    for (const Line& line : d.symbols.lines(n.location)) {
      const Function& f = d.symbols.function(line.function_id);
      h = absl::HashOf(h, absl::string_view(fmt::format("{}/{}({}:{})", d.symbols.String(f.name), d.symbols.String(f.system_name),
                                                        d.symbols.String(f.filename), line.line)));
    }
    node_hash[id] = h;
  }
  std::map<std::pair<std::string, uint64_t>, int64_t> out;
  for (const ProfileRow& row : d.profiles) {
    for (uint64_t i = row.first_sample; i < row.first_sample + row.num_samples; ++i) {
      out[{d.series[row.series].ToString(), node_hash[d.sample_stacks[i]]}] += d.sample_values[i];
    }
  }
  return out;
}

// The corpus has profiles past the default limits (wide-heap: 100,000+ samples).
IngestLimits NoLimits() { return {0, 0, 0, 0, 0}; }

// Appends |bytes| twice (two times, so the second finds its symbols and
// stacks already there) both ways; returns the two datasets' rows.
void ExpectSameRows(const std::string& bytes, const std::string& what) {
  const LabelSet labels{{"service_name", "svc"}, {"pod", "p-1"}};
  DatasetBuilder via_profile("t", "svc"), direct("t", "svc");
  for (int64_t t : {1, 2}) {
    auto parsed = ParsePprof(bytes);
    ASSERT_TRUE(parsed.ok()) << what << ": " << parsed.status();
    ASSERT_TRUE(AppendProfile({labels, {}, &*parsed}, NoLimits(), t, &via_profile).ok()) << what;
    auto decoded = DecodedPprof::Decode(bytes);
    ASSERT_TRUE(decoded.ok()) << what << ": " << decoded.status();
    IngestedProfile in{labels, {}, &(*decoded)->header(), decoded->get()};
    ASSERT_TRUE(AppendProfile(in, NoLimits(), t, &direct).ok()) << what;
  }
  ASSERT_EQ(direct.dataset().profiles.size(), via_profile.dataset().profiles.size()) << what;
  EXPECT_EQ(direct.dataset().series, via_profile.dataset().series) << what;
  const auto expected = Rows(via_profile.dataset());
  EXPECT_FALSE(expected.empty()) << what;
  EXPECT_EQ(Rows(direct.dataset()), expected) << what;
  // Only what samples use is stored, never more than the profile path.
  EXPECT_LE(direct.dataset().symbols.num_locations(), via_profile.dataset().symbols.num_locations()) << what;
  EXPECT_EQ(direct.dataset().stacks.size(), via_profile.dataset().stacks.size()) << what;
}

TEST(ProfileAppenderTest, PprofStacksInternedIntoTheDatasetEqualTranslatedOnes) {
  // Our own fixture: two sample types, labels that split series and a span
  // id that does not.
  Profile p = testing::SmallCpuProfile(3);
  const StringId key = p.symbols.InternString("handler"), value = p.symbols.InternString("/pay");
  const StringId span = p.symbols.InternString("span_id"), span_value = p.symbols.InternString("00000000000000ab");
  const uint32_t set = p.InternLabelSet({{key, value, 0, 0}, {span, span_value, 0, 0}});
  const int64_t values[] = {7, 70000000};
  p.AddSample(p.sample_stacks[0], values, set);
  auto bytes = WritePprof(p);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  ExpectSameRows(*bytes, "SmallCpuProfile");
}

TEST(ProfileAppenderTest, CorpusPprofStacksInternedIntoTheDatasetEqualTranslatedOnes) {
  KILN_SKIP_WITHOUT_CORPUS();
  int compared = 0;
  for (const std::string& file : ::kiln::testing::ListCorpusFiles("pprof")) {
    const std::string bytes = ::kiln::testing::ReadFileForTest(::kiln::testing::CorpusPath(file));
    if (!ParsePprof(bytes).ok()) continue;  // not pprof (JSON, text) or broken on purpose
    auto parsed = ParsePprof(bytes);
    if (parsed->sample_types.empty() || parsed->num_samples() == 0) continue;
    ExpectSameRows(bytes, file);
    ++compared;
  }
  EXPECT_GT(compared, 40);
}

TEST(ProfileAppenderTest, ARejectedPprofLeavesTheDatasetUnchanged) {
  auto bytes = WritePprof(testing::SmallCpuProfile(1));
  ASSERT_TRUE(bytes.ok());
  auto decoded = DecodedPprof::Decode(*bytes);
  ASSERT_TRUE(decoded.ok());
  DatasetBuilder builder("t", "svc");
  IngestLimits limits;
  limits.max_samples_per_profile = 1;
  IngestedProfile in{LabelSet{{"service_name", "svc"}}, {}, &(*decoded)->header(), decoded->get()};
  auto r = AppendProfile(in, limits, 0, &builder);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << r.status();
  EXPECT_TRUE(builder.dataset().profiles.empty());
  EXPECT_EQ(builder.dataset().stacks.size(), 1u);
  EXPECT_EQ(builder.dataset().symbols.num_locations(), 1u);
}

}  // namespace
}  // namespace kiln::storage
