#include "server/daemon/utf8.h"

#include <gtest/gtest.h>

#include "querier/v1/querier.pb.h"

namespace kiln::server {
namespace {

TEST(Utf8Test, FindsInvalidSequences) {
  EXPECT_EQ(FindInvalidUtf8("plain ascii"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\xa5"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("ab\xff"), 2u);
  EXPECT_EQ(FindInvalidUtf8("ab\xc3"), 2u);              // truncated
  EXPECT_EQ(FindInvalidUtf8("\xc0\xaf"), 0u);            // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("x\xed\xa0\x80"), 1u);       // surrogate
  EXPECT_EQ(FindInvalidUtf8("\xf4\x90\x80\x80"), 0u);    // past U+10FFFF
}

TEST(Utf8Test, ReplacesInvalidSequences) {
  std::string s = "ok";
  EXPECT_FALSE(ReplaceInvalidUtf8(&s));
  EXPECT_EQ(s, "ok");
  s = "a\xff" "b\xc3";
  EXPECT_TRUE(ReplaceInvalidUtf8(&s));
  EXPECT_EQ(s, "a\xef\xbf\xbd" "b\xef\xbf\xbd");
}

TEST(Utf8Test, RepairsEveryStringOfAMessage) {
  querier::v1::SelectMergeStacktracesResponse r;
  r.mutable_flamegraph()->add_names("total");
  r.mutable_flamegraph()->add_names("bad\xfe");
  r.set_tree("\xff bytes stay bytes");
  EXPECT_EQ(ReplaceInvalidUtf8InMessage(&r), 1u);
  EXPECT_EQ(r.flamegraph().names(1), "bad\xef\xbf\xbd");
  EXPECT_EQ(r.tree(), "\xff bytes stay bytes");
}

}  // namespace
}  // namespace kiln::server
