#include "kiln/model/label_matcher.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

TEST(LabelMatcherTest, ParsesEveryOperator) {
  auto sel = ParseSelector(
      R"(process_cpu:cpu:nanoseconds:cpu:nanoseconds{service_name="api", pod=~"api-.*", region!='eu', env!~"dev|test"})");
  ASSERT_TRUE(sel.ok()) << sel.status();
  EXPECT_EQ(sel->name, "process_cpu:cpu:nanoseconds:cpu:nanoseconds");
  ASSERT_EQ(sel->matchers.size(), 4u);
  EXPECT_EQ(sel->matchers[1].op(), LabelMatcher::Op::kRegexMatch);
  EXPECT_EQ(sel->matchers[3].ToString(), "env!~\"dev|test\"");

  LabelSet match({{"service_name", "api"}, {"pod", "api-7"}, {"region", "us"}, {"env", "prod"}});
  EXPECT_TRUE(sel->Matches(match));
  LabelSet wrong_pod({{"service_name", "api"}, {"pod", "web-7"}, {"env", "prod"}});
  EXPECT_FALSE(sel->Matches(wrong_pod));
  LabelSet dev({{"service_name", "api"}, {"pod", "api-1"}, {"env", "dev"}});
  EXPECT_FALSE(sel->Matches(dev));
}

TEST(LabelMatcherTest, RegexIsAnchoredAndMissingIsEmpty) {
  auto m = LabelMatcher::Create(LabelMatcher::Op::kRegexMatch, "pod", "api");
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->Matches("api"));
  EXPECT_FALSE(m->Matches("api-1"));  // fully anchored, as in PromQL
  auto empty = LabelMatcher::Create(LabelMatcher::Op::kEqual, "zone", "");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->Matches(LabelSet({{"a", "b"}})));
  EXPECT_TRUE(empty->MatchesEmpty());
}

TEST(LabelMatcherTest, EmptyBracesAndNameOnly) {
  auto a = ParseSelector("{}");
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->matchers.empty());
  auto b = ParseSelector("memory:alloc_space:bytes:space:bytes");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->name, "memory:alloc_space:bytes:space:bytes");
  auto c = ParseSelector(R"({"service.name"="x", a="q\"uote"})");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->matchers[0].name(), "service.name");
  EXPECT_EQ(c->matchers[1].value(), "q\"uote");
}

TEST(LabelMatcherTest, SelectorMatchersIncludeTheProfileType) {
  auto blank = ParseSelectorMatchers("  ");
  ASSERT_TRUE(blank.ok());
  EXPECT_TRUE(blank->empty());
  auto typed = ParseSelectorMatchers("process_cpu:cpu:nanoseconds:cpu:nanoseconds{pod=\"a\"}");
  ASSERT_TRUE(typed.ok()) << typed.status();
  ASSERT_EQ(typed->size(), 2u);
  EXPECT_EQ((*typed)[1].name(), "__profile_type__");
  EXPECT_EQ((*typed)[1].value(), "process_cpu:cpu:nanoseconds:cpu:nanoseconds");
  EXPECT_FALSE(ParseSelectorMatchers("{pod=}").ok());
}

TEST(LabelMatcherTest, ErrorsSayWhereAndWhy) {
  struct Case {
    const char* text;
    const char* expect;
  };
  const Case cases[] = {
      {"{pod}", "at offset 4: expected '=', '!=', '=~' or '!~' after label name \"pod\""},
      {"{pod=\"x\"", "missing '}'"},
      {"{pod=\"x}", "unterminated string"},
      {"{pod=~\"(\"}", "invalid regex for label \"pod\""},
      {"{1pod=\"x\"}", "at offset 1: expected a label name"},
      {"{a=\"b\" c=\"d\"}", "expected ',' or '}' after a matcher"},
      {"", "empty selector"},
      {"{a=\"b\"} x", "unexpected text after '}'"},
  };
  for (const Case& c : cases) {
    auto s = ParseSelector(c.text);
    ASSERT_FALSE(s.ok()) << c.text;
    EXPECT_NE(s.status().message().find(c.expect), std::string::npos)
        << c.text << " -> " << s.status().message();
  }
}

}  // namespace
}  // namespace kiln
