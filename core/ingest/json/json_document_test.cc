// Parsing errors say line and column; typed access names the JSON path and
// never throws, whatever the value's type.
#include "core/ingest/json/json_document.h"

#include <gtest/gtest.h>

#include <string>

#include "core/ingest/json/json_sniff.h"
#include "core/ingest/json/quoted_name.h"

namespace kiln {
namespace {

TEST(JsonDocumentTest, ParsesWithBomAndWhitespace) {
  auto doc = ParseJsonDocument("\xEF\xBB\xBF  \n{\"a\": [1, 2.5, \"x\"]}\n");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_TRUE(doc->is_object());
}

TEST(JsonDocumentTest, TruncatedJsonSaysLineAndColumn) {
  auto doc = ParseJsonDocument("{\n  \"a\": [1,\n  2");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(doc.status().message().find("line 3, column 4"), std::string::npos)
      << doc.status().message();
  EXPECT_NE(doc.status().message().find("unexpected end of input"), std::string::npos)
      << doc.status().message();
}

TEST(JsonDocumentTest, SyntaxErrorPointsAtTheOffendingByte) {
  auto doc = ParseJsonDocument("{\"a\": [1, 2,\n  3, }");
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.status().message().find("line 2, column 6 (byte 18)"), std::string::npos)
      << doc.status().message();
}

TEST(JsonDocumentTest, EmptyInputAndOverflowAreErrors) {
  EXPECT_NE(ParseJsonDocument("").status().message().find("empty input"), std::string::npos);
  EXPECT_NE(ParseJsonDocument(" \n ").status().message().find("empty input"), std::string::npos);
  auto big = ParseJsonDocument("[1e999]");
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.status().message().find("number overflow"), std::string::npos)
      << big.status().message();
}

TEST(JsonDocumentTest, ErrorMessagesDoNotQuoteMegabytesOfInput) {
  std::string data = "{\"a\": \"" + std::string(1 << 20, 'x');
  auto doc = ParseJsonDocument(data);
  ASSERT_FALSE(doc.ok());
  EXPECT_LT(doc.status().message().size(), 300u) << doc.status().message();
}

TEST(JsonDocumentTest, InvalidUtf8IsASyntaxError) {
  auto doc = ParseJsonDocument("{\"a\": \"\xff\"}");
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.status().message().find("line 1"), std::string::npos);
}

TEST(JsonDocumentTest, DeepNestingNeitherCrashesNorRecurses) {
  const std::string deep = std::string(500000, '[') + std::string(500000, ']');
  auto doc = ParseJsonDocument(deep);
  ASSERT_TRUE(doc.ok()) << doc.status();
}

TEST(JsonDocumentTest, WrongTypesNameTheJsonPath) {
  auto doc = ParseJsonDocument(R"({"profiles": [{"events": [{"at": "soon"}]}]})");
  ASSERT_TRUE(doc.ok());
  // Each link of a path must outlive its children: one named variable each.
  const JsonPath root;
  const JsonPath profiles = root.Field("profiles");
  const JsonPath profile = profiles.Index(0);
  const JsonPath events = profile.Field("events");
  const JsonPath event = events.Index(0);
  const JsonPath at = event.Field("at");
  const Json& value = (*doc)["profiles"][0]["events"][0]["at"];
  auto n = ReadNumber(value, at);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().message(), "profiles[0].events[0].at: expected a number, got a string");
  EXPECT_EQ(ReadInteger(value, at).status().message(),
            "profiles[0].events[0].at: expected an integer, got a string");
  EXPECT_EQ(ExpectArray(*doc, root).message(), "(top level): expected an array, got an object");
  EXPECT_EQ(RequireField(*doc, "shared", root).status().message(),
            "shared: missing required field");
  EXPECT_EQ(ReadString(Json(3), root.Field("name")).status().message(),
            "name: expected a string, got a number");
}

TEST(JsonDocumentTest, IntegersMustBeIntegralAndFit) {
  const JsonPath p;
  EXPECT_EQ(*ReadInteger(Json(3.0), p), 3);
  EXPECT_EQ(*ReadInteger(Json(-7), p), -7);
  EXPECT_FALSE(ReadInteger(Json(2.5), p).ok());
  EXPECT_FALSE(ReadInteger(Json(1e300), p).ok());
  EXPECT_FALSE(ReadInteger(Json(18446744073709551615ull), p).ok());
  EXPECT_EQ(*ReadInteger(Json(9223372036854775807ull), p), 9223372036854775807);
}

TEST(JsonDocumentTest, IndexMustBeInRange) {
  const JsonPath root;
  const JsonPath samples = root.Field("samples");
  const JsonPath sample = samples.Index(3);
  const JsonPath p = sample.Index(1);
  EXPECT_EQ(*ReadIndex(Json(2), 4, "shared.frames", p), 2u);
  EXPECT_EQ(ReadIndex(Json(4), 4, "shared.frames", p).status().message(),
            "samples[3][1]: 4 is not an index into shared.frames (4 entries)");
  EXPECT_FALSE(ReadIndex(Json(-1), 4, "shared.frames", p).ok());
}

TEST(JsonDocumentTest, OptionalFieldsFallBackWhenAbsentOrNull) {
  auto doc = ParseJsonDocument(R"({"a": null, "b": "x", "c": 5})");
  ASSERT_TRUE(doc.ok());
  const JsonPath root;
  EXPECT_EQ(*OptionalStringField(*doc, "a", root, "dflt"), "dflt");
  EXPECT_EQ(*OptionalStringField(*doc, "z", root, "dflt"), "dflt");
  EXPECT_EQ(*OptionalStringField(*doc, "b", root), "x");
  EXPECT_EQ(*OptionalIntegerField(*doc, "c", root, 0), 5);
  EXPECT_EQ(OptionalIntegerField(*doc, "b", root, 0).status().message(),
            "b: expected an integer, got a string");
}

TEST(QuotedNameTest, CutsLongNamesAtCharacterBoundaries) {
  EXPECT_EQ(QuotedName("main"), "\"main\"");
  EXPECT_EQ(QuotedName("a\nb"), "\"a?b\"");
  std::string long_name(kMaxQuotedName - 1, 'x');
  long_name += "\xC3\xA9tail";  // é straddles the cut
  const std::string quoted = QuotedName(long_name);
  EXPECT_EQ(quoted, "\"" + std::string(kMaxQuotedName - 1, 'x') + "...\"");
}

TEST(JsonSniffTest, FindsKeysNotValues) {
  EXPECT_TRUE(ContainsJsonKey(R"({"head": {}})", "head"));
  EXPECT_TRUE(ContainsJsonKey("{\"head\"\n  : 1}", "head"));
  EXPECT_FALSE(ContainsJsonKey(R"({"name": "head"})", "head"));
  EXPECT_TRUE(ContainsJsonKey(R"({"name": "head", "head": 1})", "head"));
  EXPECT_FALSE(ContainsJsonKey(R"({"heads": 1})", "head"));
  EXPECT_FALSE(ContainsJsonKey(R"("head")", "head"));
}

}  // namespace
}  // namespace kiln
