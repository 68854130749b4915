#include "kiln/query/tree_filter.h"

#include <re2/re2.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "fmt/format.h"

namespace kiln {
namespace {

absl::StatusOr<std::unique_ptr<RE2>> Compile(const std::string& pattern, std::string_view what) {
  if (pattern.empty()) return std::unique_ptr<RE2>();
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(pattern, options);
  if (!re->ok()) {
    return absl::InvalidArgumentError(fmt::format("{} regex '{}': {}", what, pattern, re->error()));
  }
  return re;
}

}  // namespace

absl::StatusOr<Tree> FilterTree(const Tree& tree, const TreeFilter& filter) {
  auto focus = Compile(filter.focus, "focus");
  if (!focus.ok()) return focus.status();
  auto ignore = Compile(filter.ignore, "ignore");
  if (!ignore.ok()) return ignore.status();
  auto hide = Compile(filter.hide, "hide");
  if (!hide.ok()) return hide.status();

  // Match each distinct name once, not once per node.
  enum : uint8_t { kFocus = 1, kIgnore = 2, kHide = 4 };
  std::vector<uint8_t> flags(tree.names().size(), 0);
  for (StringId i = 0; i < tree.names().size(); ++i) {
    const std::string_view n = tree.names().Get(i);
    const re2::StringPiece piece(n.data(), n.size());
    if (*focus && RE2::PartialMatch(piece, **focus)) flags[i] |= kFocus;
    if (*ignore && RE2::PartialMatch(piece, **ignore)) flags[i] |= kIgnore;
    if (*hide && RE2::PartialMatch(piece, **hide)) flags[i] |= kHide;
  }

  Tree out;
  std::vector<std::string_view> path;
  for (Tree::NodeId id = 1; id < tree.size(); ++id) {
    const int64_t self = tree.node(id).self;
    if (self == 0) continue;
    bool focused = !*focus, ignored = false;
    path.clear();
    for (Tree::NodeId p = id; p != Tree::kRoot; p = tree.node(p).parent) {
      const uint8_t f = flags[tree.node(p).name];
      focused = focused || (f & kFocus);
      ignored = ignored || (f & kIgnore);
      if (!(f & kHide)) path.push_back(tree.name(p));
    }
    if (!focused || ignored) continue;
    std::reverse(path.begin(), path.end());
    out.AddStack(path, self);
  }
  return out;
}

}  // namespace kiln
