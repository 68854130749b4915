#include "server/daemon/ingest_request.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/daemon/ingest_service.h"

namespace kiln::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Pair;

constexpr int64_t kNow = int64_t{1700000000} * 1000000000;  // 2023-11-14T22:13:20Z

TEST(ParseAppLabelSetTest, NameAndLabels) {
  auto got = ParseAppLabelSet(" my-app.cpu { env = prod , region=eu-west-1,}");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->app_name, "my-app.cpu");
  EXPECT_THAT(got->labels, ::testing::ElementsAre(Pair("env", "prod"), Pair("region", "eu-west-1")));
}

TEST(ParseAppLabelSetTest, NameOnly) {
  auto got = ParseAppLabelSet("svc/api");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->app_name, "svc/api");
  EXPECT_TRUE(got->labels.empty());
}

TEST(ParseAppLabelSetTest, ErrorsSayWhereAndWhy) {
  struct Case {
    const char* name;
    const char* message;
  } cases[] = {
      {"", "application name is empty"},
      {"{env=prod}", "application name is empty"},
      {"my app", "at offset 2: character \" \" is not allowed"},
      {"app{env=prod", "at offset 3: '{' is never closed"},
      {"app{env=prod}x", "at offset 13: unexpected text after"},
      {"app{env}", "label \"env\" has no '='"},
      {"app{e-v=1}", "character \"-\" at offset 1 is not allowed"},
      {"app{=1}", "label name is empty"},
  };
  for (const Case& c : cases) {
    auto got = ParseAppLabelSet(c.name);
    ASSERT_FALSE(got.ok()) << c.name;
    EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(got.status().message()), HasSubstr(c.message)) << c.name;
  }
}

TEST(ParseAtTimeTest, EveryForm) {
  EXPECT_EQ(*ParseAtTime("1700000000", kNow), kNow);
  EXPECT_EQ(*ParseAtTime("1700000000123", kNow), kNow + 123000000);
  EXPECT_EQ(*ParseAtTime("1700000000123456", kNow), kNow + 123456000);
  EXPECT_EQ(*ParseAtTime("1700000000123456789", kNow), kNow + 123456789);
  EXPECT_EQ(*ParseAtTime("20231114", kNow), int64_t{1699920000} * 1000000000);
  EXPECT_EQ(*ParseAtTime("now", kNow), kNow);
  EXPECT_EQ(*ParseAtTime("now-1h", kNow), kNow - int64_t{3600} * 1000000000);
  EXPECT_EQ(*ParseAtTime("now+30m", kNow), kNow + int64_t{1800} * 1000000000);
  EXPECT_EQ(*ParseAtTime("now-1h30min", kNow), kNow - int64_t{5400} * 1000000000);
  EXPECT_EQ(*ParseAtTime("-2d", kNow), kNow - int64_t{2} * 86400 * 1000000000);
  for (const char* bad : {"yesterday", "now-", "now-1x", "now*2", "12345678901234567890", "1.5", "now-h"}) {
    auto got = ParseAtTime(bad, kNow);
    EXPECT_FALSE(got.ok()) << bad;
    EXPECT_THAT(std::string(got.status().message()), HasSubstr("cannot read time")) << bad;
  }
}

TEST(ParseIngestRequestTest, DefaultsAndErrors) {
  std::multimap<std::string, std::string> params{{"name", "app"}};
  auto got = ParseIngestRequest(params, kNow);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->from_nanos, kNow);
  EXPECT_EQ(got->until_nanos, kNow);
  EXPECT_EQ(got->sample_rate, 100u);
  EXPECT_FALSE(got->sample_rate_given);
  EXPECT_EQ(got->spy_name, "unknown");

  params = {{"name", "app"}, {"sampleRate", "abc"}, {"format", "PPROF"}};
  got = ParseIngestRequest(params, kNow);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->sample_rate, 100u);  // as Pyroscope: invalid means the default
  EXPECT_EQ(got->format, "pprof");

  params = {{"from", "now"}};
  EXPECT_THAT(std::string(ParseIngestRequest(params, kNow).status().message()), HasSubstr("name: required"));
  params = {{"name", "app"}, {"from", "now"}, {"until", "now-1h"}};
  EXPECT_THAT(std::string(ParseIngestRequest(params, kNow).status().message()), HasSubstr("until (now-1h) is before"));
  params = {{"name", "app"}, {"until", "soon"}};
  EXPECT_THAT(std::string(ParseIngestRequest(params, kNow).status().message()), HasSubstr("until: cannot read time"));
}

TEST(TextProfileTypeTest, SuffixPicksTheType) {
  auto t = TextProfileTypeOf("my.app.alloc_space");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->app, "my.app");
  EXPECT_EQ(t->name, "memory");
  EXPECT_EQ(t->sample_type, "alloc_space");
  EXPECT_EQ(t->sample_unit, "bytes");
  t = TextProfileTypeOf("app");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->app, "app");
  EXPECT_EQ(t->name, "process_cpu");
  EXPECT_THAT(std::string(TextProfileTypeOf("my.server").status().message()),
              HasSubstr("unknown profile type \"server\""));
}

}  // namespace
}  // namespace kiln::server
