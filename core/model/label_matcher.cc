#include "kiln/model/label_matcher.h"

#include <re2/re2.h>

#include "absl/status/status.h"
#include "fmt/format.h"

namespace kiln {
namespace {

constexpr const char* kOpText[] = {"=", "!=", "=~", "!~"};

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9') || c == '.'; }

// A recursive-descent reader over the selector text; every error names the
// byte offset it stopped at.
class SelectorParser {
 public:
  explicit SelectorParser(std::string_view text) : text_(text) {}

  absl::StatusOr<Selector> Parse() {
    Selector sel;
    SkipSpace();
    const size_t name_start = pos_;
    while (pos_ < text_.size() && text_[pos_] != '{' && !IsSpace(text_[pos_])) ++pos_;
    sel.name = std::string(text_.substr(name_start, pos_ - name_start));
    SkipSpace();
    if (pos_ == text_.size()) {
      if (sel.name.empty()) return Error("empty selector; expected '{...}' or a profile type");
      return sel;
    }
    if (text_[pos_] != '{') return Error(fmt::format("expected '{{', found '{}'", text_[pos_]));
    ++pos_;
    SkipSpace();
    while (pos_ < text_.size() && text_[pos_] != '}') {
      auto m = ParseMatcher();
      if (!m.ok()) return m.status();
      sel.matchers.push_back(*std::move(m));
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        SkipSpace();
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] != '}') {
        return Error(fmt::format("expected ',' or '}}' after a matcher, found '{}'", text_[pos_]));
      }
    }
    if (pos_ == text_.size()) return Error("unterminated selector: missing '}'");
    ++pos_;
    SkipSpace();
    if (pos_ != text_.size()) return Error("unexpected text after '}'");
    return sel;
  }

 private:
  static bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  void SkipSpace() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
  }
  absl::Status Error(std::string_view what) const {
    return absl::InvalidArgumentError(fmt::format("selector: at offset {}: {}", pos_, what));
  }

  absl::StatusOr<LabelMatcher> ParseMatcher() {
    std::string name;
    if (pos_ < text_.size() && (text_[pos_] == '"' || text_[pos_] == '\'')) {
      auto quoted = ParseString();  // quoted UTF-8 names, as Prometheus 3 allows
      if (!quoted.ok()) return quoted.status();
      name = *std::move(quoted);
    } else {
      if (pos_ >= text_.size() || !IsNameStart(text_[pos_])) {
        return Error("expected a label name");
      }
      const size_t start = pos_;
      while (pos_ < text_.size() && IsNameChar(text_[pos_])) ++pos_;
      name = std::string(text_.substr(start, pos_ - start));
    }
    SkipSpace();
    LabelMatcher::Op op;
    std::string_view rest = text_.substr(pos_);
    if (rest.starts_with("=~")) {
      op = LabelMatcher::Op::kRegexMatch;
      pos_ += 2;
    } else if (rest.starts_with("!~")) {
      op = LabelMatcher::Op::kRegexNoMatch;
      pos_ += 2;
    } else if (rest.starts_with("!=")) {
      op = LabelMatcher::Op::kNotEqual;
      pos_ += 2;
    } else if (rest.starts_with("=")) {
      op = LabelMatcher::Op::kEqual;
      pos_ += 1;
    } else {
      return Error(fmt::format(
          "expected '=', '!=', '=~' or '!~' after label name \"{}\"", name));
    }
    SkipSpace();
    auto value = ParseString();
    if (!value.ok()) return value.status();
    auto m = LabelMatcher::Create(op, name, *std::move(value));
    if (!m.ok()) return Error(std::string(m.status().message()));
    return m;
  }

  absl::StatusOr<std::string> ParseString() {
    if (pos_ >= text_.size()) return Error("expected a quoted string, found the end");
    const char quote = text_[pos_];
    if (quote != '"' && quote != '\'' && quote != '`') {
      return Error(fmt::format("expected a quoted string, found '{}'", quote));
    }
    const size_t start = pos_++;
    std::string out;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      char c = text_[pos_++];
      if (c == '\\' && quote != '`') {
        if (pos_ >= text_.size()) break;
        char e = text_[pos_++];
        switch (e) {
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case 'r': out += '\r'; break;
          case '\\': case '"': case '\'': out += e; break;
          default:
            // Unknown escapes pass through with their backslash so regexes
            // such as "a\.b" mean what they say.
            out += '\\';
            out += e;
        }
        continue;
      }
      out += c;
    }
    if (pos_ >= text_.size()) {
      pos_ = start;
      return Error("unterminated string");
    }
    ++pos_;
    return out;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

LabelMatcher::LabelMatcher(Op op, std::string name, std::string value,
                           std::shared_ptr<const re2::RE2> re)
    : op_(op), name_(std::move(name)), value_(std::move(value)), re_(std::move(re)) {}

absl::StatusOr<LabelMatcher> LabelMatcher::Create(Op op, std::string name, std::string value) {
  std::shared_ptr<const re2::RE2> re;
  if (op == Op::kRegexMatch || op == Op::kRegexNoMatch) {
    RE2::Options options;
    options.set_log_errors(false);
    auto compiled = std::make_shared<re2::RE2>("^(?:" + value + ")$", options);
    if (!compiled->ok()) {
      return absl::InvalidArgumentError(
          fmt::format("invalid regex for label \"{}\": {}", name, compiled->error()));
    }
    re = std::move(compiled);
  }
  return LabelMatcher(op, std::move(name), std::move(value), std::move(re));
}

bool LabelMatcher::Matches(std::string_view value) const {
  switch (op_) {
    case Op::kEqual: return value == value_;
    case Op::kNotEqual: return value != value_;
    case Op::kRegexMatch: return RE2::FullMatch(re2::StringPiece(value.data(), value.size()), *re_);
    case Op::kRegexNoMatch:
      return !RE2::FullMatch(re2::StringPiece(value.data(), value.size()), *re_);
  }
  return false;
}

std::string LabelMatcher::ToString() const {
  return fmt::format("{}{}\"{}\"", name_, kOpText[static_cast<int>(op_)], value_);
}

bool Selector::Matches(const LabelSet& labels) const {
  for (const auto& m : matchers) {
    if (!m.Matches(labels)) return false;
  }
  return true;
}

absl::StatusOr<Selector> ParseSelector(std::string_view text) {
  return SelectorParser(text).Parse();
}

absl::StatusOr<std::vector<LabelMatcher>> ParseSelectorMatchers(std::string_view text) {
  if (text.find_first_not_of(" \t") == std::string_view::npos) return std::vector<LabelMatcher>{};
  auto selector = ParseSelector(text);
  if (!selector.ok()) return selector.status();
  std::vector<LabelMatcher> out = std::move(selector->matchers);
  if (!selector->name.empty()) {
    auto m = LabelMatcher::Create(LabelMatcher::Op::kEqual, "__profile_type__", selector->name);
    if (!m.ok()) return m.status();
    out.push_back(*std::move(m));
  }
  return out;
}

}  // namespace kiln
