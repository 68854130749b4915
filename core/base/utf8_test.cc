#include "kiln/base/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace kiln {
namespace {

TEST(Utf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain \xC3\xA9 \xF0\x9F\x98\x80"));
  EXPECT_TRUE(IsValidUtf8("github.com/grafana/pyroscope/pkg/ingester.(*Ingester).Push"));
  EXPECT_TRUE(IsValidUtf8("\xEF\xBF\xBD"));  // U+FFFD itself
}

TEST(Utf8Test, RefusesMalformedSequences) {
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\x80"));              // a lone continuation byte
}

TEST(Utf8Test, FindsTheFirstBadSequenceAndMeasuresGoodOnes) {
  EXPECT_EQ(FindInvalidUtf8("abc"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("abcdefghij\xC3\xA9xyz\xFFtail"), 15u);  // 10 + 2 + 3
  EXPECT_EQ(Utf8SequenceLength("\xF0\x9F\x98\x80", 0), 4u);
  EXPECT_EQ(Utf8SequenceLength("a\xC3\xA9", 1), 2u);
  EXPECT_EQ(Utf8SequenceLength("\xE2\x82", 0), 0u);  // truncated
}

TEST(Utf8Test, FindsABadByteAtEveryPositionOfLongAsciiRuns) {
  // The eight-byte ASCII fast path must not step over a bad byte at any
  // alignment, nor over one in the tail shorter than a word.
  for (size_t len = 1; len < 40; ++len) {
    for (size_t bad = 0; bad < len; ++bad) {
      std::string s(len, 'a');
      s[bad] = '\xFF';
      EXPECT_FALSE(IsValidUtf8(s)) << "len " << len << " bad at " << bad;
      EXPECT_EQ(FindInvalidUtf8(s), bad) << "len " << len;
    }
    EXPECT_TRUE(IsValidUtf8(std::string(len, 'a')));
  }
}

}  // namespace
}  // namespace kiln
