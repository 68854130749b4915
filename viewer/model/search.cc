#include "kiln/viewer/search.h"

#include <algorithm>
#include <cctype>
#include <memory>

#include "absl/status/status.h"
#include "fmt/format.h"
#include "re2/re2.h"

namespace kiln::viewer {
namespace {

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool ContainsIgnoringCase(std::string_view haystack, std::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                     [](char a, char b) { return Lower(a) == Lower(b); }) != haystack.end();
}

}  // namespace

absl::StatusOr<SearchResult> SearchResult::Run(const DepthLayout& layout, const SearchQuery& query) {
  if (query.pattern.empty()) return absl::InvalidArgumentError("search: empty pattern");
  std::unique_ptr<RE2> regex;
  if (query.mode == MatchMode::kRegex) {
    RE2::Options options;
    options.set_log_errors(false);
    options.set_case_sensitive(query.case_sensitive);
    regex = std::make_unique<RE2>(query.pattern, options);
    if (!regex->ok()) {
      return absl::InvalidArgumentError(
          fmt::format("search: regular expression \"{}\" does not compile: {}", query.pattern, regex->error()));
    }
  }

  SearchResult result;
  // Names first: each distinct name is tested once. Index 0 is the root.
  const std::vector<std::string>& names = layout.names();
  std::vector<uint8_t> name_matches(names.size(), 0);
  for (uint32_t i = 1; i < names.size(); ++i) {
    const std::string& name = names[i];
    bool match;
    if (regex != nullptr) {
      match = RE2::PartialMatch(name, *regex);
    } else if (query.case_sensitive) {
      match = name.find(query.pattern) != std::string::npos;
    } else {
      match = ContainsIgnoringCase(name, query.pattern);
    }
    if (match) {
      name_matches[i] = 1;
      result.matched_names_.push_back(i);
    }
  }

  // Then nodes, by name. Ids are pre-order, so one forward pass sees every
  // node after its ancestors: a match covers the ids after it that are
  // deeper than it, which is its subtree.
  const size_t n = layout.size();
  result.state_.assign(n, static_cast<uint8_t>(NodeMatch::kNone));
  int64_t covering_depth = -1;  // depth of the match whose subtree we are in
  for (NodeId id = 0; id < n; ++id) {
    const int64_t depth = layout.depth(id);
    if (covering_depth >= 0 && depth <= covering_depth) covering_depth = -1;
    if (!name_matches[layout.name_index(id)] || id == kRootNode) continue;
    result.state_[id] = static_cast<uint8_t>(NodeMatch::kMatch);
    result.matched_nodes_.push_back(id);
    if (covering_depth < 0) {
      covering_depth = depth;
      result.matched_value_[0] += layout.total(id, 0);
      result.matched_value_[1] += layout.total(id, 1);
    }
  }
  // Ancestors of matches, each marked once: the walk up stops at a node
  // already marked (an ancestor, whose own ancestors are marked, or a
  // match, whose ancestors its own walk marks).
  for (NodeId id : result.matched_nodes_) {
    for (NodeId p = layout.parent(id); p != kNoNode; p = layout.parent(p)) {
      if (result.state_[p] != static_cast<uint8_t>(NodeMatch::kNone)) break;
      result.state_[p] = static_cast<uint8_t>(NodeMatch::kAncestorOfMatch);
    }
  }

  result.match_prefix_.resize(layout.depth_count());
  result.relevant_prefix_.resize(layout.depth_count());
  for (size_t d = 0; d < layout.depth_count(); ++d) {
    const DepthLayout::Level& level = layout.level(d);
    auto& matches = result.match_prefix_[d];
    auto& relevant = result.relevant_prefix_[d];
    matches.resize(level.size() + 1);
    relevant.resize(level.size() + 1);
    matches[0] = relevant[0] = 0;
    for (size_t i = 0; i < level.size(); ++i) {
      const uint8_t s = result.state_[level.node[i]];
      matches[i + 1] = matches[i] + (s == static_cast<uint8_t>(NodeMatch::kMatch));
      relevant[i + 1] = relevant[i] + (s != static_cast<uint8_t>(NodeMatch::kNone));
    }
  }
  return result;
}

}  // namespace kiln::viewer
