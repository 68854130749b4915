#include "kiln/ingest/collapsed_importer.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "core/ingest/collapsed/text_encoding.h"
#include "kiln/base/utf8.h"
#include "fmt/format.h"
#include "kiln/base/gzip.h"
#include "kiln/base/status_macros.h"

namespace kiln {
namespace {

// How much of the input Sniff reads: enough for dozens of lines.
constexpr size_t kSniffBytes = 4096;

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r\f\v") == std::string_view::npos;
}

bool IsComment(std::string_view line) {
  return line.starts_with('#') || line.starts_with("//");
}

std::string_view TrimTrailingSpace(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// One "stack count" line split at its last space (frame names may contain
// spaces, counts never do).
struct StackLine {
  std::string_view stack;
  int64_t count = 0;
};

enum class LineError { kNone, kNoCount, kBadCount, kCountTooLarge, kEmptyStack };

LineError ParseStackLine(std::string_view line, StackLine* out) {
  line = TrimTrailingSpace(line);
  const size_t sep = line.find_last_of(" \t");
  if (sep == std::string_view::npos) return LineError::kNoCount;
  const std::string_view count = line.substr(sep + 1);
  if (count.empty() || !std::all_of(count.begin(), count.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return LineError::kBadCount;
  }
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), value);
  if (ec != std::errc() || end != count.data() + count.size() ||
      value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return LineError::kCountTooLarge;
  }
  // Only the one separator goes: a frame name may end with a space.
  out->stack = line.substr(0, sep);
  out->count = static_cast<int64_t>(value);
  if (out->stack.empty()) return LineError::kEmptyStack;
  return LineError::kNone;
}

std::string Excerpt(std::string_view line) {
  constexpr size_t kMax = 60;
  std::string out(line.substr(0, kMax));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  if (line.size() > kMax) out += "…";
  return out;
}

std::string Describe(LineError error, std::string_view line) {
  switch (error) {
    case LineError::kNoCount:
      return fmt::format("no count after the stack in \"{}\"", Excerpt(line));
    case LineError::kBadCount:
      return fmt::format("the text after the last space is not an integer count in \"{}\"",
                         Excerpt(line));
    case LineError::kCountTooLarge:
      return fmt::format("count does not fit in 64 bits in \"{}\"", Excerpt(line));
    case LineError::kEmptyStack:
      return fmt::format("a count with no stack in \"{}\"", Excerpt(line));
    case LineError::kNone:
      break;
  }
  return "ok";
}

// Calls |fn(line_number, line)| for every line; CR before LF is dropped.
template <typename Fn>
void ForEachLine(std::string_view text, Fn&& fn) {
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (!fn(line_number, line)) return;
  }
}

class ProfileBuilder {
 public:
  ProfileBuilder(const ImportOptions& options, Profile* out) : options_(options), out_(out) {
    out_->sample_types.push_back(ValueType{"samples", "count"});
  }

  // Adds |count| to the stack named by |stack|. Sets |*skip_reason| instead
  // when the line cannot be added without corrupting the totals.
  absl::Status Add(std::string_view stack, int64_t count, size_t line_number,
                   std::string* skip_reason) {
    frames_.clear();
    size_t depth = 0;
    bool truncated = false;
    for (size_t start = 0; start <= stack.size();) {
      size_t end = stack.find(';', start);
      if (end == std::string_view::npos) end = stack.size();
      if (depth == options_.max_stack_depth) {
        truncated = true;
        break;
      }
      frames_.push_back(Location(stack.substr(start, end - start)));
      ++depth;
      start = end + 1;
    }
    if (truncated) out_->stats.Bump(ImportStat::stacks_truncated);
    const StackId id = out_->stacks.InternRootFirst(frames_);
    auto [it, inserted] = sample_of_stack_.try_emplace(id, out_->num_samples());
    if (inserted) {
      if (out_->num_samples() >= options_.max_samples) {
        return absl::ResourceExhaustedError(fmt::format(
            "line {}: more than {} distinct stacks (ImportOptions::max_samples)", line_number,
            options_.max_samples));
      }
      const int64_t value[] = {count};
      out_->AddSample(id, value);
      return absl::OkStatus();
    }
    int64_t& total = out_->sample_values[it->second];
    if (total > std::numeric_limits<int64_t>::max() - count) {
      *skip_reason = fmt::format("adding {} overflows the stack's total {}", count, total);
      return absl::OkStatus();
    }
    total += count;
    return absl::OkStatus();
  }

 private:
  LocationId Location(std::string_view name) {
    if (name.size() > options_.max_name_length) {
      out_->stats.Bump(ImportStat::names_truncated);
      name = name.substr(0, options_.max_name_length);
    }
    auto it = location_of_name_.find(absl::string_view(name.data(), name.size()));
    if (it != location_of_name_.end()) return it->second;
    const LocationId id = out_->symbols.InternFrame(name);
    location_of_name_.emplace(std::string(name), id);
    return id;
  }

  const ImportOptions& options_;
  Profile* out_;
  std::vector<LocationId> frames_;
  absl::flat_hash_map<std::string, LocationId> location_of_name_;
  absl::flat_hash_map<StackId, size_t> sample_of_stack_;
};

class CollapsedImporter final : public Importer {
 public:
  std::string_view format() const override { return "collapsed"; }

  // Weak by design: "text count" lines are common, so this only says "maybe"
  // when nearly every line of the first few KB is a stack and a count, and
  // never for binary data, JSON, or perf script's indented frame lines.
  int Sniff(std::string_view data) const override {
    if (IsGzip(data)) return 0;
    const bool utf16 = DetectTextEncoding(data) == TextEncoding::kUtf16Le ||
                       DetectTextEncoding(data) == TextEncoding::kUtf16Be;
    const size_t limit = utf16 ? 2 * kSniffBytes : kSniffBytes;
    const bool cut = data.size() > limit;
    std::string storage;
    std::string_view text = DecodeTextToUtf8(data.substr(0, limit), &storage);
    if (cut) {
      // The last line may be cut mid-way; judge complete lines only.
      const size_t nl = text.rfind('\n');
      if (nl == std::string_view::npos) return 0;
      text = text.substr(0, nl + 1);
    }
    for (char c : text) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 && c != '\n' && c != '\r' && c != '\t') return 0;
    }
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || text[first] == '{' || text[first] == '<') return 0;
    int candidates = 0, stacks = 0;
    bool semicolons = false;
    ForEachLine(text, [&](size_t, std::string_view line) {
      if (IsBlank(line) || IsComment(line)) return true;
      ++candidates;
      StackLine parsed;
      // Indented lines are perf script frames or pretty-printed JSON, never stacks.
      if (line[0] == ' ' || line[0] == '\t') return true;
      if (ParseStackLine(line, &parsed) != LineError::kNone) return true;
      ++stacks;
      if (parsed.stack.find(';') != std::string_view::npos) semicolons = true;
      return true;
    });
    if (stacks == 0 || stacks * 4 < candidates * 3) return 0;
    return 20 + (semicolons ? 10 : 0) + (stacks >= 3 ? 10 : 0);
  }

  absl::StatusOr<std::vector<Profile>> Import(std::string_view data,
                                              const ImportOptions& options) const override {
    ASSIGN_OR_RETURN(Profile p, ParseCollapsed(data, options));
    std::vector<Profile> out;
    out.push_back(std::move(p));
    return out;
  }
};

}  // namespace

absl::StatusOr<Profile> ParseCollapsed(std::string_view data, const ImportOptions& options) {
  std::string inflated;
  if (IsGzip(data)) {
    ASSIGN_OR_RETURN(inflated, Gunzip(data, options.max_decompressed_bytes));
    data = inflated;
  }
  Profile out;
  std::string storage;
  int64_t replaced = 0;
  const std::string_view text = DecodeTextToUtf8(data, &storage, &replaced);
  if (replaced > 0) out.stats.Bump(ImportStat::invalid_utf8, replaced);

  ProfileBuilder builder(options, &out);
  absl::Status status;
  size_t lines = 0, zero_lines = 0;
  std::string first_problem;
  auto skip = [&](size_t line_number, std::string why) {
    std::string note = fmt::format("line {}: {}", line_number, why);
    if (first_problem.empty()) first_problem = note;
    out.stats.Note(ImportStat::records_skipped, std::move(note));
  };
  ForEachLine(text, [&](size_t line_number, std::string_view line) {
    lines = line_number;
    // Blank lines separate nothing and carry nothing: not a lost record.
    if (IsBlank(line)) return true;
    if (IsComment(line)) {
      skip(line_number, fmt::format("comment \"{}\"", Excerpt(line)));
      return true;
    }
    StackLine parsed;
    const LineError error = ParseStackLine(line, &parsed);
    if (error != LineError::kNone) {
      skip(line_number, Describe(error, line));
      return true;
    }
    if (parsed.count == 0) {
      ++zero_lines;
      out.stats.Bump(ImportStat::zero_values_dropped);
      return true;
    }
    if (!IsValidUtf8(parsed.stack)) out.stats.Bump(ImportStat::invalid_utf8);
    std::string skip_reason;
    status = builder.Add(parsed.stack, parsed.count, line_number, &skip_reason);
    if (!skip_reason.empty()) skip(line_number, std::move(skip_reason));
    return status.ok();
  });
  RETURN_IF_ERROR(status);
  if (out.num_samples() == 0) {
    if (lines == 0) return absl::InvalidArgumentError("empty input: no collapsed stacks");
    if (zero_lines > 0 && first_problem.empty()) {
      return absl::InvalidArgumentError(
          fmt::format("no samples: all {} stack lines have a count of 0", zero_lines));
    }
    return absl::InvalidArgumentError(fmt::format(
        "no \"frame;frame count\" line in {} lines{}", lines,
        first_problem.empty() ? "" : fmt::format(" (first problem: {})", first_problem)));
  }
  return out;
}

std::unique_ptr<Importer> NewCollapsedImporter() { return std::make_unique<CollapsedImporter>(); }

}  // namespace kiln
