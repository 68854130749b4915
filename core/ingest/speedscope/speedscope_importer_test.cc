// speedscope files written here: evented and sampled profiles, every unit,
// merging of same-named profiles, and bad input of every kind (each error
// must say where).
#include "kiln/ingest/speedscope_importer.h"

#include <gtest/gtest.h>

#include <string>

#include "core/testing/corpus.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/export/collapsed_writer.h"
#include "kiln/export/speedscope_writer.h"
#include "kiln/ingest/importer_registry.h"
#include "kiln/query/tree_builder.h"

namespace kiln {
namespace {

constexpr std::string_view kSchema =
    R"("$schema": "https://www.speedscope.app/file-format-schema.json")";

std::string Collapsed(const Profile& p, size_t type = 0) {
  return WriteCollapsed(BuildTree(p, type));
}

// A file with frames a, b, c, d and |profiles| (the JSON array's contents).
std::string File(std::string_view profiles) {
  return "{" + std::string(kSchema) +
         R"(, "shared": {"frames": [{"name": "a"}, {"name": "b", "file": "b.js", "line": 3,
             "col": 7}, {"name": "c"}, {"name": "d"}]}, "profiles": [)" +
         std::string(profiles) + "]}";
}

// speedscope's own "simple" trace: a;b;c [0,2) a;b;d [2,6) a;b;c [6,9) a;b [9,14).
constexpr std::string_view kEvented = R"({"type": "evented", "name": "simple", "unit": "none",
  "startValue": 0, "endValue": 14, "events": [
  {"type": "O", "frame": 0, "at": 0}, {"type": "O", "frame": 1, "at": 0},
  {"type": "O", "frame": 2, "at": 0}, {"type": "C", "frame": 2, "at": 2},
  {"type": "O", "frame": 3, "at": 2}, {"type": "C", "frame": 3, "at": 6},
  {"type": "O", "frame": 2, "at": 6}, {"type": "C", "frame": 2, "at": 9},
  {"type": "C", "frame": 1, "at": 14}, {"type": "C", "frame": 0, "at": 14}]})";

std::string Sampled(std::string_view name, std::string_view unit) {
  return R"({"type": "sampled", "name": ")" + std::string(name) + R"(", "unit": ")" +
         std::string(unit) + R"(", "startValue": 0, "endValue": 14,
    "samples": [[0, 1, 2], [0, 1, 2], [0, 1, 3], [0, 1, 2], [0, 1]],
    "weights": [1, 1, 4, 3, 5]})";
}

std::string ImportError(std::string_view data, const ImportOptions& options = {}) {
  auto result = ParseSpeedscope(data, options);
  if (result.ok()) return "(imported)";
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << result.status();
  return std::string(result.status().message());
}

TEST(SpeedscopeImporterTest, EventedProfileWeighsEachStackBySelfTime) {
  auto profiles = ParseSpeedscope(File(kEvented));
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  ASSERT_EQ(profiles->size(), 1u);
  const Profile& p = (*profiles)[0];
  ASSERT_EQ(p.sample_types.size(), 1u);
  EXPECT_EQ(p.sample_types[0], (ValueType{"samples", "count"}));
  EXPECT_EQ(Collapsed(p), "a;b 5\na;b;c 5\na;b;d 4\n");
  EXPECT_EQ(p.Total(0), 14);
  ASSERT_EQ(p.labels.size(), 1u);
  EXPECT_EQ(p.labels[0], (std::pair<std::string, std::string>{"profile_name", "simple"}));
  EXPECT_TRUE(p.stats.Empty()) << p.stats.ToString();
}

TEST(SpeedscopeImporterTest, FramesKeepFileLineAndColumn) {
  auto profiles = ParseSpeedscope(File(kEvented));
  ASSERT_TRUE(profiles.ok());
  const Profile& p = (*profiles)[0];
  bool found = false;
  for (LocationId loc = 1; loc < p.symbols.num_locations(); ++loc) {
    const Line& line = p.symbols.lines(loc)[0];
    if (p.symbols.FunctionName(line.function_id) != "b") continue;
    EXPECT_EQ(p.symbols.String(p.symbols.function(line.function_id).filename), "b.js");
    EXPECT_EQ(line.line, 3);
    EXPECT_EQ(line.column, 7);
    found = true;
  }
  EXPECT_TRUE(found);
}

TEST(SpeedscopeImporterTest, TimeInGapsBetweenStacksIsNotCounted) {
  auto profiles = ParseSpeedscope(File(R"({"type": "evented", "name": "p", "unit": "milliseconds",
    "startValue": 0, "endValue": 100, "events": [
    {"type": "O", "frame": 0, "at": 10}, {"type": "C", "frame": 0, "at": 10.5},
    {"type": "O", "frame": 1, "at": 50}, {"type": "O", "frame": 1, "at": 51},
    {"type": "C", "frame": 1, "at": 52.25}, {"type": "C", "frame": 1, "at": 60}]})"));
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  const Profile& p = (*profiles)[0];
  EXPECT_EQ(p.sample_types[0], (ValueType{"cpu", "nanoseconds"}));
  // Recursion b;b is a stack of its own.
  EXPECT_EQ(Collapsed(p), "a 500000\nb 8750000\nb;b 1250000\n");
  EXPECT_EQ(p.duration_nanos, 100'000'000);
}

TEST(SpeedscopeImporterTest, SampledProfilesInEveryUnit) {
  struct Case {
    std::string_view unit;
    ValueType type;
    int64_t scale;
  };
  const Case kCases[] = {
      {"none", {"samples", "count"}, 1},
      {"nanoseconds", {"cpu", "nanoseconds"}, 1},
      {"microseconds", {"cpu", "nanoseconds"}, 1000},
      {"milliseconds", {"cpu", "nanoseconds"}, 1'000'000},
      {"seconds", {"cpu", "nanoseconds"}, 1'000'000'000},
      {"bytes", {"space", "bytes"}, 1},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.unit);
    auto profiles = ParseSpeedscope(File(Sampled("p", c.unit)));
    ASSERT_TRUE(profiles.ok()) << profiles.status();
    const Profile& p = (*profiles)[0];
    EXPECT_EQ(p.sample_types[0], c.type);
    EXPECT_EQ(Collapsed(p), fmt::format("a;b {}\na;b;c {}\na;b;d {}\n", 5 * c.scale,
                                        5 * c.scale, 4 * c.scale));
  }
}

TEST(SpeedscopeImporterTest, FractionalWeightsRoundOncePerStack) {
  auto profiles = ParseSpeedscope(File(R"({"type": "sampled", "name": "p", "unit": "none",
    "samples": [[0], [0], [0], [1]], "weights": [0.5, 0.25, 0.25, 0.4]})"));
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  EXPECT_EQ(Collapsed((*profiles)[0]), "a 1\n");
  EXPECT_EQ((*profiles)[0].stats.Get(ImportStat::zero_values_dropped), 1);
}

TEST(SpeedscopeImporterTest, SameNamedProfilesMergeLikePyroscope) {
  const std::string data =
      File(Sampled("one", "seconds") + "," + Sampled("one", "seconds") + "," +
           Sampled("two", "seconds") + "," + Sampled("one", "bytes") + "," +
           Sampled("one", "seconds"));
  auto profiles = ParseSpeedscope(data);
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  // one/seconds (x3), two/seconds, one/bytes: in order of first appearance.
  ASSERT_EQ(profiles->size(), 3u);
  const Profile& one = (*profiles)[0];
  EXPECT_EQ(one.labels[0].second, "one");
  EXPECT_EQ(Collapsed(one), "a;b 15000000000\na;b;c 15000000000\na;b;d 12000000000\n");
  EXPECT_EQ((*profiles)[1].labels[0].second, "two");
  EXPECT_EQ((*profiles)[1].Total(0), 14'000'000'000);
  EXPECT_EQ((*profiles)[2].sample_types[0], (ValueType{"space", "bytes"}));
  EXPECT_EQ((*profiles)[2].Total(0), 14);
}

TEST(SpeedscopeImporterTest, EmptySamplesAreSkippedAndNoted) {
  auto profiles = ParseSpeedscope(File(R"({"type": "sampled", "name": "p", "unit": "none",
    "samples": [[0], []], "weights": [2, 3]})"));
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  const Profile& p = (*profiles)[0];
  EXPECT_EQ(p.Total(0), 2);
  EXPECT_EQ(p.stats.Get(ImportStat::records_skipped), 1);
  ASSERT_FALSE(p.stats.notes().empty());
  EXPECT_EQ(p.stats.notes()[0], "profiles[0].samples[1]: empty stack (weight 3) skipped");
}

TEST(SpeedscopeImporterTest, DeepStacksKeepTheirRootMostFrames) {
  ImportOptions options;
  options.max_stack_depth = 2;
  auto sampled = ParseSpeedscope(File(Sampled("p", "none")), options);
  ASSERT_TRUE(sampled.ok()) << sampled.status();
  EXPECT_EQ(Collapsed((*sampled)[0]), "a;b 14\n");
  EXPECT_EQ((*sampled)[0].stats.Get(ImportStat::stacks_truncated), 4);
  auto evented = ParseSpeedscope(File(kEvented), options);
  ASSERT_TRUE(evented.ok()) << evented.status();
  EXPECT_EQ(Collapsed((*evented)[0]), "a;b 14\n");
  EXPECT_EQ((*evented)[0].stats.Get(ImportStat::stacks_truncated), 3);
}

TEST(SpeedscopeImporterTest, TooManyDistinctStacksIsResourceExhausted) {
  ImportOptions options;
  options.max_samples = 2;
  auto result = ParseSpeedscope(File(Sampled("p", "none")), options);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kResourceExhausted) << result.status();
}

TEST(SpeedscopeImporterTest, EventsMustNestAndTheErrorNamesTheEvent) {
  // speedscope's sample/profiles/speedscope/invalid/out-of-order-events.json, rewritten.
  EXPECT_EQ(ImportError(File(R"({"type": "evented", "name": "p", "unit": "none", "events": [
    {"type": "O", "frame": 0, "at": 0}, {"type": "C", "frame": 0, "at": 1},
    {"type": "O", "frame": 1, "at": 2}, {"type": "O", "frame": 0, "at": 2},
    {"type": "C", "frame": 1, "at": 4}]})")),
            "profiles[0].events[4]: closes frame 1 (\"b\") but frame 0 (\"a\") (opened by "
            "events[3]) is on top: events must nest");
}

TEST(SpeedscopeImporterTest, EventsMustBeInTimeOrder) {
  EXPECT_EQ(ImportError(File(R"({"type": "evented", "name": "p", "unit": "none", "events": [
    {"type": "O", "frame": 0, "at": 5}, {"type": "C", "frame": 0, "at": 4}]})")),
            "profiles[0].events[1]: at 4 is before the previous event's 5: events must be in "
            "time order");
}

TEST(SpeedscopeImporterTest, UnbalancedEventsAreErrors) {
  EXPECT_EQ(ImportError(File(R"({"type": "evented", "name": "p", "unit": "none", "events": [
    {"type": "O", "frame": 0, "at": 0}, {"type": "O", "frame": 1, "at": 1},
    {"type": "C", "frame": 1, "at": 2}]})")),
            "profiles[0].events: 1 frame(s) still open after the last event (innermost: frame "
            "0 (\"a\"), opened by events[0]): every \"O\" needs its \"C\"");
  EXPECT_EQ(ImportError(File(R"({"type": "evented", "name": "p", "unit": "none", "events": [
    {"type": "C", "frame": 2, "at": 0}]})")),
            "profiles[0].events[0]: closes frame 2 (\"c\") but no frame is open");
}

TEST(SpeedscopeImporterTest, BadValuesNameTheirJsonPath) {
  struct Case {
    std::string profile;
    std::string error;
  };
  const Case kCases[] = {
      {R"({"type": "evented", "name": "p", "unit": "none", "events": [
         {"type": "O", "frame": 0, "at": "0"}]})",
       "profiles[0].events[0].at: expected a number, got a string"},
      {R"({"type": "evented", "name": "p", "unit": "none", "events": [
         {"type": "X", "frame": 0, "at": 0}]})",
       "profiles[0].events[0].type: unknown event type \"X\" (expected \"O\" or \"C\")"},
      {R"({"type": "evented", "name": "p", "unit": "none", "events": [
         {"type": "O", "frame": 4, "at": 0}]})",
       "profiles[0].events[0].frame: 4 is not an index into shared.frames (4 entries)"},
      {R"({"type": "evented", "name": "p", "unit": "none", "events": [
         {"type": "O", "frame": 1.5, "at": 0}]})",
       "profiles[0].events[0].frame: expected an integer, got 1.5"},
      {R"({"type": "evented", "name": "p", "unit": "none", "events": {}})",
       "profiles[0].events: expected an array, got an object"},
      {R"({"type": "evented", "name": "p", "unit": "none"})",
       "profiles[0].events: missing required field"},
      {R"({"type": "sampled", "name": "p", "unit": "none", "samples": [[0, -1]],
         "weights": [1]})",
       "profiles[0].samples[0][1]: -1 is not an index into shared.frames (4 entries)"},
      {R"({"type": "sampled", "name": "p", "unit": "none", "samples": [[0]], "weights": []})",
       "profiles[0]: 1 samples but 0 weights; each sample needs one weight"},
      {R"({"type": "sampled", "name": "p", "unit": "none", "samples": [[0]], "weights": [-1]})",
       "profiles[0].weights[0]: negative weight -1"},
      {R"({"type": "sampled", "name": "p", "unit": "none", "samples": [0], "weights": [1]})",
       "profiles[0].samples[0]: expected an array, got a number"},
      {R"({"type": "sampled", "name": "p", "unit": "parsecs", "samples": [], "weights": []})",
       "profiles[0].unit: unknown unit \"parsecs\" (expected none, nanoseconds, microseconds, "
       "milliseconds, seconds or bytes)"},
      {R"({"type": "stacked", "name": "p", "unit": "none"})",
       "profiles[0].type: unknown profile type \"stacked\" (expected \"evented\" or "
       "\"sampled\")"},
      {R"({"type": "sampled", "name": 7, "unit": "none"})",
       "profiles[0].name: expected a string, got a number"},
      {R"("sampled")", "profiles[0]: expected an object, got a string"},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(ImportError(File(c.profile)), c.error) << c.profile;
  }
}

TEST(SpeedscopeImporterTest, BadDocumentsSayWhatIsWrong) {
  EXPECT_EQ(ImportError("[]"), "(top level): expected an object, got an array");
  EXPECT_EQ(ImportError(R"({"shared": {"frames": []}, "profiles": []})"),
            "$schema: missing; a speedscope file says \"$schema\": "
            "\"https://www.speedscope.app/file-format-schema.json\"");
  EXPECT_EQ(ImportError(R"({"$schema": "http://json-schema.org/draft-07/schema#"})"),
            "$schema: \"http://json-schema.org/draft-07/schema#\" is not speedscope's file "
            "format schema");
  EXPECT_EQ(ImportError("{" + std::string(kSchema) + R"(, "profiles": []})"),
            "shared: missing required field");
  EXPECT_EQ(ImportError("{" + std::string(kSchema) + R"(, "shared": {"frames": [{"file": "x"}]},
            "profiles": []})"),
            "shared.frames[0].name: missing required field");
  EXPECT_EQ(ImportError(File("")), "profiles: empty; the file holds no profile");
  EXPECT_EQ(ImportError(File(R"({"type": "sampled", "name": "p", "unit": "none",
            "samples": [[0]], "weights": [0]})")),
            "no samples: none of the 1 profile(s) has a stack with a non-zero weight");
}

TEST(SpeedscopeImporterTest, TruncatedJsonSaysLineAndColumn) {
  const std::string data = File(kEvented);
  EXPECT_EQ(ImportError(data.substr(0, 200)),
            "invalid JSON at line 2, column 57 (byte 200): syntax error while parsing object key "
            "- unexpected end of input; expected string literal");
}

TEST(SpeedscopeImporterTest, HugeValuesAreErrorsNotWrongTotals) {
  EXPECT_NE(ImportError(File(R"({"type": "sampled", "name": "p", "unit": "seconds",
            "samples": [[0]], "weights": [1e300]})"))
                .find("does not fit in 64 bits"),
            std::string::npos);
  EXPECT_NE(ImportError(File(R"({"type": "sampled", "name": "p", "unit": "seconds",
            "samples": [[0]], "weights": [1e400]})"))
                .find("number overflow"),
            std::string::npos);
  EXPECT_NE(ImportError(File(R"({"type": "sampled", "name": "p", "unit": "none",
            "samples": [[99999999999999999999999]], "weights": [1]})"))
                .find("profiles[0].samples[0][0]: expected an integer"),
            std::string::npos);
}

TEST(SpeedscopeImporterTest, SniffsBySchemaOnly) {
  auto importer = NewSpeedscopeImporter();
  EXPECT_EQ(importer->format(), "speedscope");
  EXPECT_EQ(importer->Sniff(File(kEvented)), 100);
  EXPECT_EQ(importer->Sniff("\xEF\xBB\xBF\n " + File(kEvented)), 100);
  EXPECT_EQ(importer->Sniff(R"({"nodes": [], "samples": [], "timeDeltas": []})"), 0);
  EXPECT_EQ(importer->Sniff(R"(["https://www.speedscope.app/file-format-schema.json"])"), 0);
  EXPECT_EQ(importer->Sniff("main;work 3\n"), 0);
  EXPECT_EQ(importer->Sniff(""), 0);
}

TEST(SpeedscopeImporterTest, RegistryDetectsAndImports) {
  auto profiles = ImporterRegistry::Default().Import(File(kEvented));
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  EXPECT_EQ(Collapsed((*profiles)[0]), "a;b 5\na;b;c 5\na;b;d 4\n");
  EXPECT_EQ(ImporterRegistry::Default().Detect(File(kEvented))->format(), "speedscope");
  auto broken = ImporterRegistry::Default().Import(File(kEvented).substr(0, 300));
  ASSERT_FALSE(broken.ok());
  EXPECT_TRUE(std::string(broken.status().message()).starts_with("speedscope: invalid JSON at line "))
      << broken.status();
}

TEST(SpeedscopeImporterTest, KilnsSpeedscopeExportReadsBack) {
  auto profiles = ParseSpeedscope(File(Sampled("p", "nanoseconds")));
  ASSERT_TRUE(profiles.ok());
  const Tree tree = BuildTree((*profiles)[0], 0);
  const std::string exported = WriteSpeedscope(tree, "p", "nanoseconds");
  auto again = ParseSpeedscope(exported);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ((*again)[0].sample_types[0], (ValueType{"cpu", "nanoseconds"}));
  EXPECT_EQ(Collapsed((*again)[0]), WriteCollapsed(tree));
  EXPECT_EQ(WriteSpeedscope(BuildTree((*again)[0], 0), "p", "nanoseconds"), exported);
}

}  // namespace
}  // namespace kiln
