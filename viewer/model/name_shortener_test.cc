#include "kiln/viewer/name_shortener.h"

#include <gtest/gtest.h>

#include <string>

namespace kiln::viewer {
namespace {

struct Case {
  const char* name;
  size_t max_chars;
  const char* expected;
};

class ShortenNameTest : public ::testing::TestWithParam<Case> {};

TEST_P(ShortenNameTest, Shortens) {
  const Case& c = GetParam();
  const std::string out = ShortenName(c.name, c.max_chars);
  EXPECT_EQ(out, c.expected) << c.name << " in " << c.max_chars;
  EXPECT_LE(CodePointCount(out), c.max_chars);
}

constexpr const char* kPushBack = "std::vector<int, std::allocator<int> >::push_back(int const&)";

INSTANTIATE_TEST_SUITE_P(
    Stages, ShortenNameTest,
    ::testing::Values(
        Case{"main", 10, "main"},
        Case{"main", 4, "main"},
        Case{"", 5, ""},
        Case{"main", 0, ""},
        // C++: parameters, then templates, then namespaces, then the ellipsis.
        Case{kPushBack, 100, kPushBack},
        Case{kPushBack, 51, "std::vector<int, std::allocator<int> >::push_back()"},
        Case{kPushBack, 40, "std::vector<>::push_back()"},
        Case{kPushBack, 21, "vector<>::push_back()"},
        Case{kPushBack, 20, "push_back()"},
        Case{kPushBack, 8, "push…k()"},
        Case{kPushBack, 3, "p…)"},
        Case{kPushBack, 2, ""},
        // Return types and qualifiers after the parameter list go in stage 1.
        Case{"void ns::Widget::draw<float>(Canvas&) const", 30, "ns::Widget::draw<float>()"},
        Case{"int f(int) [clone .cold]", 10, "f()"},
        // Operators are names, not brackets.
        Case{"std::basic_ostream<char>& std::operator<< <std::char_traits<char> >(std::basic_ostream<char>&, "
             "char const*)",
             30, "std::operator<< <>()"},
        Case{"Foo::operator()(int) const", 20, "Foo::operator()()"},
        Case{"bool operator<(A const&, A const&)", 12, "operator<()"},
        Case{"Vec::operator->() const", 14, "operator->()"},
        Case{"operator new(unsigned long)", 20, "operator new()"},
        // Lambdas and anonymous namespaces.
        Case{"main::{lambda(int)#1}::operator()(int) const", 30, "{lambda(int)#1}::operator()()"},
        Case{"(anonymous namespace)::Helper::run(int)", 15, "Helper::run()"},
        // Java: packages, then classes.
        Case{"com.example.service.OrderService.placeOrder(java.lang.String)", 30, "OrderService.placeOrder()"},
        Case{"java/util/HashMap.get", 10, "get"},
        Case{"java.lang.Thread.run", 16, "lang.Thread.run"},
        // Go: receivers are not parameter lists; import paths are packages.
        Case{"github.com/grafana/pyroscope/pkg/ingester.(*Ingester).Push", 25, "ingester.(*Ingester).Push"},
        Case{"github.com/grafana/pyroscope/pkg/ingester.(*Ingester).Push", 20, "(*Ingester).Push"},
        Case{"runtime.gcBgMarkWorker.func1", 12, "func1"},
        // Not separators: a '.' before a digit, anything in brackets.
        Case{"libc.so.6", 5, "so.6"},
        Case{"process (app/worker.py:42)", 20, "process (a…er.py:42)"},
        // Unbalanced brackets are kept as they are.
        Case{"foo(bar", 4, "fo…r"},
        Case{"a<b<c", 4, "a<…c"},
        Case{")(((<<>>", 5, ")(…>>"},
        // UTF-8: counted and cut in code points.
        Case{"日本語の関数名前", 5, "日本…名前"},
        Case{"ns::日本語の関数名前", 8, "日本語の関数名前"}));

TEST(ElideMiddleTest, KeepsHeadAndTail) {
  EXPECT_EQ(ElideMiddle("abcdefghij", 10), "abcdefghij");
  EXPECT_EQ(ElideMiddle("abcdefghij", 9), "abcd…ghij");
  EXPECT_EQ(ElideMiddle("abcdefghij", 5), "ab…ij");
  EXPECT_EQ(ElideMiddle("abcdefghij", 4), "ab…j");
  EXPECT_EQ(ElideMiddle("abcdefghij", 3), "a…j");
  EXPECT_EQ(ElideMiddle("abcdefghij", 2), "");
}

TEST(DropStagesTest, EachStageAlone) {
  EXPECT_EQ(DropParameterLists("ns::f<int>(int, char) const"), "ns::f<int>()");
  EXPECT_EQ(DropParameterLists("pkg.(*T).M"), "pkg.(*T).M");
  EXPECT_EQ(DropParameterLists("(anonymous namespace)::f(int)"), "(anonymous namespace)::f()");
  EXPECT_EQ(DropTemplateArguments("std::vector<std::pair<int, int> >::push_back()"), "std::vector<>::push_back()");
  EXPECT_EQ(DropTemplateArguments("std::function<void (int)>::operator()()"), "std::function<>::operator()()");
  EXPECT_EQ(DropTemplateArguments("f<(1 > 2)>()"), "f<>()");
  EXPECT_EQ(CodePointCount("a…b"), 3u);
}

// Whatever the input, the result fits and is valid UTF-8 cut at code points.
TEST(ShortenNameTest, NeverExceedsTheBudgetOnOddInputs) {
  const char* inputs[] = {"<<<<", ">>>>", "(((", ")))", "::::", "....", "////", "operator", "operator<<<<",
                          "a::b::", "::a", ".a", "a.", "operator() ()", "x (y", "\xE2\x80\xA6\xE2\x80\xA6\xE2\x80\xA6x"};
  for (const char* in : inputs) {
    for (size_t max = 0; max < 12; ++max) {
      const std::string out = ShortenName(in, max);
      EXPECT_LE(CodePointCount(out), max) << in;
      if (!out.empty()) {
        EXPECT_NE(static_cast<unsigned char>(out[0]) & 0xC0, 0x80u) << in;
      }
    }
  }
}

}  // namespace
}  // namespace kiln::viewer
