#include "kiln/base/gzip.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

TEST(GzipTest, RoundTrips) {
  std::string text;
  for (int i = 0; i < 10000; ++i) text += "main;handle;parse " + std::to_string(i) + "\n";
  std::string gz = Gzip(text);
  ASSERT_TRUE(IsGzip(gz));
  EXPECT_LT(gz.size(), text.size() / 4);
  auto out = Gunzip(gz, 1 << 30);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, text);
}

TEST(GzipTest, ConcatenatedMembersAreOneStream) {
  auto out = Gunzip(Gzip("hello ") + Gzip("world"), 1 << 20);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, "hello world");
}

TEST(GzipTest, LimitIsEnforced) {
  std::string big(1 << 20, 'a');
  auto out = Gunzip(Gzip(big), 1000);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(out.status().message().find("1000"), std::string::npos);
}

TEST(GzipTest, CorruptInputIsAnErrorNotACrash) {
  std::string gz = Gzip("some profile bytes that are long enough to matter");
  gz[gz.size() / 2] ^= 0x55;
  EXPECT_FALSE(Gunzip(gz, 1 << 20).ok());
  EXPECT_FALSE(Gunzip(gz.substr(0, gz.size() - 6), 1 << 20).ok());
  EXPECT_FALSE(Gunzip("\x1f\x8b", 1 << 20).ok());
  EXPECT_FALSE(IsGzip("\x1f"));
}

}  // namespace
}  // namespace kiln

namespace kiln {
namespace {

TEST(GzipTest, TheMostCompressibleInputStillInflates) {
  // Zeros at the strongest level come close to deflate's 1032:1 limit,
  // which Gunzip uses to refuse runaway streams; they must still pass.
  const std::string zeros(16 << 20, '\0');
  const std::string gz = Gzip(zeros, 12);
  auto out = Gunzip(gz, size_t{1} << 30);
  ASSERT_TRUE(out.ok()) << out.status() << " (" << gz.size() << " compressed bytes)";
  EXPECT_EQ(out->size(), zeros.size());
}

TEST(GzipTest, ATruncatedStreamFailsWithoutInflatingToTheLimit) {
  // libdeflate reads zeros past a cut and keeps inflating; Gunzip must stop
  // at what the bytes could hold, not at the 1 GiB limit, and say why.
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "main;handle;parse " + std::to_string(i % 7) + "\n";
  const std::string gz = Gzip(text);
  for (size_t cut : {gz.size() / 3, gz.size() / 2, gz.size() - 5}) {
    auto out = Gunzip(gz.substr(0, cut), size_t{1} << 30);
    ASSERT_FALSE(out.ok()) << "cut at " << cut;
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument) << out.status();
    EXPECT_NE(out.status().message().find("gzip"), std::string::npos) << out.status();
  }
}

}  // namespace
}  // namespace kiln
