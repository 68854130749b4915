// PromQL-style label matchers and series selectors:
//   {service_name="api", pod=~"api-.*", region!="eu", env!~"dev|test"}
//   process_cpu:cpu:nanoseconds:cpu:nanoseconds{service_name="api"}
// Regexes are RE2 (Go's syntax, as Prometheus and Pyroscope use) and fully
// anchored. As in Prometheus, a missing label matches as the empty string.
#ifndef KILN_MODEL_LABEL_MATCHER_H_
#define KILN_MODEL_LABEL_MATCHER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "kiln/model/label_set.h"

namespace re2 {
class RE2;
}

namespace kiln {

class LabelMatcher {
 public:
  enum class Op { kEqual, kNotEqual, kRegexMatch, kRegexNoMatch };

  // Fails with InvalidArgument when a regex does not compile.
  static absl::StatusOr<LabelMatcher> Create(Op op, std::string name, std::string value);

  bool Matches(std::string_view value) const;
  bool Matches(const LabelSet& labels) const { return Matches(labels.Get(name_)); }
  // True when the matcher accepts the empty string (so series without the
  // label match too).
  bool MatchesEmpty() const { return Matches(std::string_view()); }

  Op op() const { return op_; }
  const std::string& name() const { return name_; }
  const std::string& value() const { return value_; }
  std::string ToString() const;

 private:
  LabelMatcher(Op op, std::string name, std::string value, std::shared_ptr<const re2::RE2> re);
  Op op_;
  std::string name_;
  std::string value_;
  std::shared_ptr<const re2::RE2> re_;  // shared: matchers are copied into query plans
};

struct Selector {
  std::string name;  // the part before `{` (a profile type ID), may be empty
  std::vector<LabelMatcher> matchers;

  bool Matches(const LabelSet& labels) const;
};

// Parses a selector. Errors say where: "selector: at offset 14: expected
// '=', '!=', '=~' or '!~' after label name \"pod\"".
absl::StatusOr<Selector> ParseSelector(std::string_view text);

// The matchers a query selector stands for: its label matchers, and a name
// before '{' as a match on the series' profile type (__profile_type__). A
// blank selector has none (it selects everything).
absl::StatusOr<std::vector<LabelMatcher>> ParseSelectorMatchers(std::string_view text);

}  // namespace kiln

#endif  // KILN_MODEL_LABEL_MATCHER_H_
