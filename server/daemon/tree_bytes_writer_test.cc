#include "server/daemon/tree_bytes_writer.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>

namespace kiln::server {
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

}  // namespace
}  // namespace kiln::server
