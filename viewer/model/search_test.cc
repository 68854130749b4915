#include "kiln/viewer/search.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kiln/viewer/render_list_builder.h"
#include "viewer/model/tree_from_collapsed.h"

namespace kiln::viewer {
namespace {

using testing::TreeFromCollapsed;

constexpr std::string_view kParse =
    "main;parse;lex 5\n"
    "main;parse 2\n"
    "main;batch;parse;alloc 3\n"
    "main;other 90\n";

std::vector<std::string> Names(const DepthLayout& layout, const std::vector<NodeId>& nodes) {
  std::vector<std::string> out;
  for (NodeId n : nodes) out.emplace_back(layout.name(n));
  return out;
}

SearchResult MustSearch(const DepthLayout& layout, SearchQuery query) {
  auto result = SearchResult::Run(layout, query);
  EXPECT_TRUE(result.ok()) << result.status().message();
  return *std::move(result);
}

TEST(SearchTest, SubstringOverUniqueNamesWithMatchedValue) {
  Tree tree = TreeFromCollapsed(kParse);
  DepthLayout layout = DepthLayout::Build(tree);
  SearchResult r = MustSearch(layout, {"pars", MatchMode::kSubstring});
  ASSERT_EQ(r.matched_names().size(), 1u);
  EXPECT_EQ(layout.names()[r.matched_names()[0]], "parse");
  EXPECT_EQ(Names(layout, r.matched_nodes()), (std::vector<std::string>{"parse", "parse"}));
  EXPECT_EQ(r.matched_value(), 10);  // 7 under main;parse + 3 under main;batch;parse
  EXPECT_EQ(r.matched_value(1), 0);
  EXPECT_EQ(r.state(kRootNode), NodeMatch::kAncestorOfMatch);
  EXPECT_EQ(r.state(layout.NodeAt(1, 0)), NodeMatch::kAncestorOfMatch);  // main
}

TEST(SearchTest, MatchesHighlightedAncestorsNotDimmed) {
  Tree tree = TreeFromCollapsed(kParse);
  DepthLayout layout = DepthLayout::Build(tree);
  SearchResult r = MustSearch(layout, {"parse", MatchMode::kSubstring});
  RenderListBuilder builder;
  RenderList list;
  builder.Build(layout, Viewport::Full(layout, 1000, 100), {}, &r, &list);
  EXPECT_EQ(PrintRenderList(list, layout, false),
            "d0 x=0.0 w=1000.0 y=0.0 total \"total\"\n"
            "d1 x=0.0 w=1000.0 y=20.0 main \"main\"\n"
            "d2 x=0.0 w=30.0 y=40.0 batch \"b…h\"\n"
            "d2 x=30.0 w=900.0 y=40.0 other \"other\" dim\n"
            "d2 x=930.0 w=70.0 y=40.0 parse \"parse\" match\n"
            "d3 x=0.0 w=30.0 y=60.0 parse \"p…e\" match\n"
            "d3 x=950.0 w=50.0 y=60.0 lex \"lex\" dim\n"
            "d4 x=0.0 w=30.0 y=80.0 alloc \"a…c\" dim\n");
}

TEST(SearchTest, FoldedItemsShowWhetherTheyHoldAMatch) {
  std::string text = "main;big 1000\n";
  for (int i = 0; i < 50; ++i) text += "main;f" + std::to_string(100 + i) + " 1\n";
  text += "main;needle 1\n";
  for (int i = 0; i < 50; ++i) text += "main;z" + std::to_string(100 + i) + " 1\n";
  Tree tree = TreeFromCollapsed(text);
  DepthLayout layout = DepthLayout::Build(tree);
  SearchResult r = MustSearch(layout, {"NEEDLE", MatchMode::kSubstring});  // case-insensitive
  RenderListBuilder builder;
  RenderList list;
  builder.Build(layout, Viewport::Full(layout, 1101, 60), {}, &r, &list);
  // 1 px per tick: the 101 one-tick siblings fold into one run that holds
  // the match.
  EXPECT_EQ(PrintRenderList(list, layout, false),
            "d0 x=0.0 w=1101.0 y=0.0 total \"total\"\n"
            "d1 x=0.0 w=1101.0 y=20.0 main \"main\"\n"
            "d2 x=0.0 w=1000.0 y=40.0 big \"big\" dim\n"
            "d2 x=1000.0 w=101.0 y=40.0 folded(101) value=101 \"101\" match\n");
  SearchResult none = MustSearch(layout, {"f1[0-4]", MatchMode::kRegex});
  EXPECT_EQ(none.matched_nodes().size(), 50u);
  EXPECT_EQ(none.matched_value(), 50);
  SearchResult other = MustSearch(layout, {"^big$", MatchMode::kRegex});
  builder.Build(layout, Viewport::Full(layout, 1101, 60), {}, &other, &list);
  EXPECT_NE(PrintRenderList(list, layout, false).find("folded(101) value=101 \"101\" dim"), std::string::npos);
}

TEST(SearchTest, RegexCaseAndRecursion) {
  Tree tree = TreeFromCollapsed(kParse);
  DepthLayout layout = DepthLayout::Build(tree);
  SearchResult r = MustSearch(layout, {"^(lex|alloc)$", MatchMode::kRegex});
  EXPECT_EQ(Names(layout, r.matched_nodes()), (std::vector<std::string>{"alloc", "lex"}));
  EXPECT_EQ(r.matched_value(), 8);
  EXPECT_EQ(MustSearch(layout, {"PARSE", MatchMode::kSubstring, true}).matched_nodes().size(), 0u);
  EXPECT_EQ(MustSearch(layout, {"PARSE", MatchMode::kRegex}).matched_nodes().size(), 2u);
  EXPECT_EQ(MustSearch(layout, {"total", MatchMode::kSubstring}).matched_nodes().size(), 0u);  // the root is not a frame

  Tree recursive = TreeFromCollapsed("main;f;g;f;h 4\nmain;f 1\nmain;x 5\n");
  DepthLayout rl = DepthLayout::Build(recursive);
  SearchResult f = MustSearch(rl, {"^f$", MatchMode::kRegex});
  EXPECT_EQ(f.matched_nodes().size(), 2u);
  EXPECT_EQ(f.matched_value(), 5);  // not 9: the inner f is inside the outer one
}

TEST(SearchTest, DiffMatchedValuePerSide) {
  Tree base = TreeFromCollapsed("main;a 10\nmain;b 5\n");
  Tree next = TreeFromCollapsed("main;b 20\nmain;c 1\n");
  DepthLayout layout = DepthLayout::BuildDiff(base, next);
  SearchResult r = MustSearch(layout, {"b", MatchMode::kSubstring});
  EXPECT_EQ(r.matched_value(0), 5);
  EXPECT_EQ(r.matched_value(1), 20);
  EXPECT_EQ(r.matched_value(), 25);
}

TEST(SearchTest, BadQueriesAreErrors) {
  Tree tree = TreeFromCollapsed(kParse);
  DepthLayout layout = DepthLayout::Build(tree);
  auto empty = SearchResult::Run(layout, {"", MatchMode::kSubstring});
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kInvalidArgument);
  auto bad = SearchResult::Run(layout, {"(", MatchMode::kRegex});
  ASSERT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(bad.status().message()).find("\"(\""), std::string::npos) << bad.status().message();
}

}  // namespace
}  // namespace kiln::viewer
