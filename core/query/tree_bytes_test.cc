#include "kiln/query/tree_bytes.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>

namespace kiln {
namespace {

// Decodes tree bytes back into "a;b;c" -> self, as Pyroscope's UnmarshalTree
// reads them (a stack of parents, one entry per announced child).
std::map<std::string, int64_t> Decode(const std::string& bytes) {
  std::map<std::string, int64_t> out;
  size_t pos = 0;
  auto uvarint = [&]() {
    uint64_t v = 0;
    int shift = 0;
    while (pos < bytes.size()) {
      const auto b = static_cast<uint8_t>(bytes[pos++]);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
      shift += 7;
    }
    return v;
  };
  std::vector<std::string> parents{"<virtual>"};
  while (!parents.empty() && pos < bytes.size()) {
    const std::string parent = parents.back();
    parents.pop_back();
    const uint64_t len = uvarint();
    const std::string name = bytes.substr(pos, len);
    pos += len;
    const int64_t self = static_cast<int64_t>(uvarint());
    const uint64_t children = uvarint();
    const std::string path = parent == "<virtual>" ? "" : parent.empty() ? name : parent + ";" + name;
    if (self) out[path] += self;
    for (uint64_t i = 0; i < children; ++i) parents.push_back(path);
  }
  EXPECT_EQ(pos, bytes.size());
  return out;
}

Tree Sample() {
  Tree t;
  auto add = [&](std::vector<std::string_view> stack, int64_t v) { t.AddStack(stack, v); };
  add({"main", "a"}, 50);
  add({"main", "b"}, 30);
  add({"main", "c"}, 2);
  add({"main", "d"}, 1);
  add({"main"}, 10);
  return t;
}

TEST(TreeBytesWriterTest, RoundTripsUntruncated) {
  const auto got = Decode(WriteTreeBytes(Sample(), 0));
  const std::map<std::string, int64_t> want{{"main", 10}, {"main;a", 50}, {"main;b", 30}, {"main;c", 2}, {"main;d", 1}};
  EXPECT_EQ(got, want);
}

TEST(TreeBytesWriterTest, TruncatesSmallNodesIntoOther) {
  // 3 nodes kept: main (93), a (50), b (30); c and d become "other" (3).
  const auto got = Decode(WriteTreeBytes(Sample(), 3));
  const std::map<std::string, int64_t> want{{"main", 10}, {"main;a", 50}, {"main;b", 30}, {"main;other", 3}};
  EXPECT_EQ(got, want);
}

TEST(TreeBytesWriterTest, EmptyTree) { EXPECT_EQ(WriteTreeBytes(Tree(), 10), ""); }

// Root-first paths with a self, as "a;b" -> self, read from a Tree.
std::map<std::string, int64_t> Selves(const Tree& tree) {
  std::map<std::string, int64_t> out;
  for (Tree::NodeId id = 1; id < tree.size(); ++id) {
    if (tree.node(id).self == 0) continue;
    std::string path;
    for (std::string_view frame : tree.Path(id)) path += (path.empty() ? "" : ";") + std::string(frame);
    out[path] += tree.node(id).self;
  }
  return out;
}

TEST(TreeBytesReaderTest, ReadsWhatTheWriterWrote) {
  absl::StatusOr<Tree> tree = ReadTreeBytes(WriteTreeBytes(Sample(), 3));
  ASSERT_TRUE(tree.ok()) << tree.status();
  EXPECT_EQ(tree->total(), 93);
  EXPECT_EQ(Selves(*tree), Decode(WriteTreeBytes(Sample(), 3)));
  absl::StatusOr<Tree> empty = ReadTreeBytes("");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->size(), 1u);
}

// The example of docs/api.md, shop's 5 s tree, as Pyroscope writes it.
TEST(TreeBytesReaderTest, ReadsTheDocumentedExample) {
  const std::string bytes{"\x00\x00\x01\x04main\x00\x02\x06handle\x00\x02\x05parse\x80\x98\x9a\xbc\x04\x00"
                          "\x06render\x80\xbc\xc1\x96\x0b\x00\x04idle\x80\x90\xbc\xfd\x02\x00",
                          55};
  absl::StatusOr<Tree> tree = ReadTreeBytes(bytes);
  ASSERT_TRUE(tree.ok()) << tree.status();
  EXPECT_EQ(tree->total(), 5'000'000'000);
  const std::map<std::string, int64_t> want = {
      {"main;handle;parse", 1'200'000'000}, {"main;handle;render", 3'000'000'000}, {"main;idle", 800'000'000}};
  EXPECT_EQ(Selves(*tree), want);
}

TEST(TreeBytesReaderTest, NamesTheOffsetOfBadBytes) {
  const std::string good = WriteTreeBytes(Sample(), 0);
  for (size_t cut : {size_t{1}, size_t{5}, size_t{12}, good.size() - 1}) {
    absl::StatusOr<Tree> t = ReadTreeBytes(std::string_view(good).substr(0, cut));
    ASSERT_FALSE(t.ok()) << "cut at " << cut;
    EXPECT_NE(t.status().message().find("offset"), std::string_view::npos) << t.status();
  }
  absl::StatusOr<Tree> trailing = ReadTreeBytes(good + std::string(1, '\0'));
  ASSERT_FALSE(trailing.ok());
  EXPECT_NE(trailing.status().message().find("after the end"), std::string_view::npos);
  // A child count no input of this size can hold.
  absl::StatusOr<Tree> huge = ReadTreeBytes(std::string("\x00\x00\xff\xff\x03", 5));
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.status().message().find("cannot fit"), std::string_view::npos);
}

}  // namespace
}  // namespace kiln
