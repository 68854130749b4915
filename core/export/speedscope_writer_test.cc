#include "kiln/export/speedscope_writer.h"

#include <gtest/gtest.h>

#include "nlohmann/json.hpp"

namespace kiln {
namespace {

TEST(SpeedscopeWriterTest, WritesSampledProfileWithSharedFrames) {
  Tree t;
  std::vector<std::string_view> a = {"main", "work"};
  std::vector<std::string_view> b = {"main"};
  std::vector<std::string_view> bad = {"main", "\xff\xfe"};
  t.AddStack(a, 30);
  t.AddStack(b, 10);
  t.AddStack(bad, 1);
  auto doc = nlohmann::json::parse(WriteSpeedscope(t, "cpu", "nanoseconds"), nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_EQ(doc["$schema"], "https://www.speedscope.app/file-format-schema.json");
  const auto& prof = doc["profiles"][0];
  EXPECT_EQ(prof["type"], "sampled");
  EXPECT_EQ(prof["unit"], "nanoseconds");
  EXPECT_EQ(prof["endValue"], 41);
  ASSERT_EQ(prof["samples"].size(), prof["weights"].size());
  int64_t sum = 0;
  for (const auto& w : prof["weights"]) sum += w.get<int64_t>();
  EXPECT_EQ(sum, 41);
  // Every sample is root first and indexes shared frames.
  for (const auto& s : prof["samples"]) {
    EXPECT_EQ(doc["shared"]["frames"][s[0].get<size_t>()]["name"], "main");
  }
  EXPECT_EQ(doc["shared"]["frames"].size(), 3u);
}

}  // namespace
}  // namespace kiln
