#include "core/query/engine/dataset_selection.h"

#include <algorithm>

namespace kiln::query_engine {

std::vector<bool> MatchSeries(const storage::Dataset& d, const std::vector<LabelMatcher>& matchers,
                              const std::string& profile_type) {
  std::vector<bool> out(d.series.size());
  for (size_t i = 0; i < d.series.size(); ++i) {
    const LabelSet& labels = d.series[i];
    bool ok = profile_type.empty() || labels.Get("__profile_type__") == profile_type;
    for (size_t m = 0; ok && m < matchers.size(); ++m) ok = matchers[m].Matches(labels);
    out[i] = ok;
  }
  return out;
}

std::vector<uint32_t> SelectRows(const storage::Dataset& d, const std::vector<bool>& series,
                                 const ProfileSelection& selection) {
  std::vector<uint32_t> rows;
  for (uint32_t i = 0; i < d.profiles.size(); ++i) {
    const storage::ProfileRow& row = d.profiles[i];
    if (row.series >= series.size() || !series[row.series]) continue;
    if (row.time_nanos < selection.start_nanos || row.time_nanos > selection.end_nanos) continue;
    if (!selection.profile_ids.empty() &&
        std::find(selection.profile_ids.begin(), selection.profile_ids.end(), row.id) == selection.profile_ids.end()) {
      continue;
    }
    rows.push_back(i);
  }
  return rows;
}

std::vector<bool> SelectAnnotations(const storage::Dataset& d, const ProfileSelection& selection) {
  if (selection.span_ids.empty() && selection.trace_ids.empty()) return {};
  std::vector<bool> out(d.annotations.size());
  for (size_t i = 1; i < d.annotations.size(); ++i) {
    const storage::SampleAnnotation& a = d.annotations[i];
    const bool span = std::find(selection.span_ids.begin(), selection.span_ids.end(), a.span_id) !=
                      selection.span_ids.end();
    const bool trace = std::find(selection.trace_ids.begin(), selection.trace_ids.end(),
                                 std::make_pair(a.trace_id_high, a.trace_id_low)) != selection.trace_ids.end();
    out[i] = span || trace;
  }
  return out;
}

namespace {

// Frame names of a location, outermost (caller) first.
template <typename Fn>
void ForEachFrameOutermostFirst(const SymbolTable& symbols, LocationId location, Fn fn) {
  auto lines = symbols.lines(location);
  if (lines.empty()) {
    fn(UnsymbolizedFrameName(symbols, symbols.location(location)));
    return;
  }
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) fn(FrameName(symbols, *it, FrameNaming::kFunction));
}

}  // namespace

std::vector<bool> MatchCallSite(const storage::Dataset& d, const std::vector<std::string>& call_site) {
  if (call_site.empty()) return {};
  // matched[n]: frames of call_site matched by the path to n, or -1 once
  // it diverged. Parents come first, so one forward pass does it.
  std::vector<int32_t> matched(d.stacks.size(), 0);
  const int32_t want = static_cast<int32_t>(call_site.size());
  for (StackId n = 1; n < d.stacks.size(); ++n) {
    int32_t m = matched[d.stacks.node(n).parent];
    if (m >= 0 && m < want) {
      ForEachFrameOutermostFirst(d.symbols, d.stacks.node(n).location, [&](const std::string& name) {
        if (m < 0 || m >= want) return;
        m = name == call_site[m] ? m + 1 : -1;
      });
    }
    matched[n] = m;
  }
  std::vector<bool> out(d.stacks.size());
  for (size_t n = 0; n < out.size(); ++n) out[n] = matched[n] == want;
  return out;
}

FunctionMembership MatchFunction(const storage::Dataset& d, const std::string& function) {
  FunctionMembership out{std::vector<bool>(d.stacks.size()), std::vector<bool>(d.stacks.size())};
  // Per location: contains the function / innermost frame is it.
  std::vector<int8_t> location_state(d.symbols.num_locations(), -1);
  for (StackId n = 1; n < d.stacks.size(); ++n) {
    const LocationId loc = d.stacks.node(n).location;
    if (location_state[loc] < 0) {
      bool any = false, leaf = false, first = true;
      auto lines = d.symbols.lines(loc);
      for (const Line& line : lines) {  // innermost first
        const bool is = FrameName(d.symbols, line, FrameNaming::kFunction) == function;
        if (first) leaf = is;
        any = any || is;
        first = false;
      }
      if (lines.empty()) {
        leaf = any = UnsymbolizedFrameName(d.symbols, d.symbols.location(loc)) == function;
      }
      location_state[loc] = static_cast<int8_t>((any ? 1 : 0) | (leaf ? 2 : 0));
    }
    out.contains[n] = out.contains[d.stacks.node(n).parent] || (location_state[loc] & 1);
    out.is_leaf[n] = location_state[loc] & 2;
  }
  return out;
}

int64_t RowValue(const storage::Dataset& d, const storage::ProfileRow& row, const std::vector<bool>& annotations,
                 const std::vector<bool>& stacks) {
  if (annotations.empty() && stacks.empty()) return row.total;
  int64_t sum = 0;
  for (uint64_t i = row.first_sample; i < row.first_sample + row.num_samples; ++i) {
    if (!annotations.empty() && !annotations[d.sample_annotations[i]]) continue;
    if (!stacks.empty() && !stacks[d.sample_stacks[i]]) continue;
    sum += d.sample_values[i];
  }
  return sum;
}

}  // namespace kiln::query_engine
