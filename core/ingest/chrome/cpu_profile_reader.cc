#include "core/ingest/chrome/cpu_profile_reader.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/ingest/chrome/v8_call_tree.h"
#include "core/ingest/json/weighted_stacks.h"
#include "fmt/format.h"
#include "kiln/base/status_macros.h"

namespace kiln::chrome {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kNanosPerMicro = 1000;

// |v| rounded, or 0 when it is not a finite value that fits in int64.
int64_t ToInt64OrZero(double v) {
  v = std::round(v);
  return std::isfinite(v) && std::abs(v) < 9.2e18 ? static_cast<int64_t>(v) : 0;
}

}  // namespace

absl::StatusOr<Profile> ReadCpuProfile(const Json& doc, const JsonPath& path,
                                       const ImportOptions& options) {
  RETURN_IF_ERROR(ExpectObject(doc, path));
  std::vector<int64_t> hit_counts;
  auto read_hit_count = [&](size_t index, const Json& node,
                            const JsonPath& node_path) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t hits, OptionalIntegerField(node, "hitCount", node_path, 0));
    if (hits < 0) {
      return absl::InvalidArgumentError(
          fmt::format("{}: negative hitCount {}", node_path.Field("hitCount").ToString(), hits));
    }
    if (hit_counts.size() <= index) hit_counts.resize(index + 1, 0);
    hit_counts[index] = hits;
    return absl::OkStatus();
  };

  // Chrome >= 60 writes a flat "nodes" array with times in microseconds;
  // older dumps a nested "head" tree with start and end in seconds.
  const Json* nodes = FindField(doc, "nodes");
  const bool old_format = nodes == nullptr;
  V8CallTree tree;
  if (!old_format) {
    ASSIGN_OR_RETURN(tree, V8CallTree::FromNodeArray(*nodes, path.Field("nodes"), read_hit_count));
  } else {
    const Json* head = FindField(doc, "head");
    if (head == nullptr) {
      return absl::InvalidArgumentError(fmt::format(
          "{}: neither \"nodes\" nor \"head\": no call tree, so not a V8 CPU profile",
          path.ToString()));
    }
    ASSIGN_OR_RETURN(tree, V8CallTree::FromHeadTree(*head, path.Field("head"), read_hit_count));
  }
  const double to_micros = old_format ? 1e6 : 1;
  ASSIGN_OR_RETURN(double start_time, OptionalNumberField(doc, "startTime", path, kNan));
  ASSIGN_OR_RETURN(double end_time, OptionalNumberField(doc, "endTime", path, kNan));
  start_time *= to_micros;
  end_time *= to_micros;

  Profile out;
  out.sample_types = {{"samples", "count"}, {"cpu", "nanoseconds"}};
  out.default_sample_type = "cpu";
  out.period_type = {"cpu", "nanoseconds"};
  std::vector<bool> truncated;
  const std::vector<StackId> stacks = tree.InternStacks(options, &out, &truncated);
  StackId root_stack = 0;
  auto stack_of = [&](size_t node) {
    if (truncated[node]) out.stats.Bump(ImportStat::stacks_truncated);
    if (stacks[node] != 0) return stacks[node];
    if (root_stack == 0) root_stack = V8CallTree::RootStack(options, &out);
    return root_stack;
  };
  WeightedStacks weighted(/*num_types=*/2, options.max_samples);
  double period_micros = 0;

  const Json* samples = FindField(doc, "samples");
  if (samples != nullptr && !samples->is_null()) {
    RETURN_IF_ERROR(ExpectArray(*samples, path.Field("samples")));
  }
  if (samples != nullptr && samples->is_array() && !samples->empty()) {
    const JsonPath samples_path = path.Field("samples");
    const std::string_view times_key = old_format ? "timestamps" : "timeDeltas";
    ASSIGN_OR_RETURN(const Json* times, RequireArrayField(doc, times_key, path));
    const JsonPath times_path = path.Field(times_key);
    if (times->size() != samples->size()) {
      return absl::InvalidArgumentError(
          fmt::format("{}: {} samples but {} {}; each sample needs one", path.ToString(),
                      samples->size(), times->size(), times_key));
    }
    const size_t n = samples->size();
    std::vector<double> at(n);
    double elapsed = old_format || std::isnan(start_time) ? 0 : start_time;
    for (size_t i = 0; i < n; ++i) {
      ASSIGN_OR_RETURN(double t, ReadNumber((*times)[i], times_path.Index(i)));
      elapsed = old_format ? t : elapsed + t;
      at[i] = i > 0 && elapsed < at[i - 1] ? at[i - 1] : elapsed;
      if (!std::isfinite(at[i])) {
        return absl::InvalidArgumentError(fmt::format(
            "{}: the sample time overflows", times_path.Index(i).ToString()));
      }
    }
    for (size_t i = 0; i < n; ++i) {
      const JsonPath sample_path = samples_path.Index(i);
      ASSIGN_OR_RETURN(int64_t id, ReadInteger((*samples)[i], sample_path));
      const std::optional<size_t> node = tree.Find(id);
      if (!node) {
        return absl::InvalidArgumentError(
            fmt::format("{}: no node has id {}", sample_path.ToString(), id));
      }
      const double weight[] = {1, i + 1 < n ? at[i + 1] - at[i] : 0};
      RETURN_IF_ERROR(weighted.Add(stack_of(*node), weight));
    }
    if (n > 1) period_micros = (at[n - 1] - at[0]) / static_cast<double>(n - 1);
  } else {
    // No samples: V8's per-node hit counts, time shared out evenly.
    double total_hits = 0;
    for (int64_t h : hit_counts) total_hits += static_cast<double>(h);
    if (total_hits == 0) {
      return absl::InvalidArgumentError(fmt::format(
          "{}: no samples: \"samples\" is empty and every node's hitCount is 0",
          path.ToString()));
    }
    const double span = end_time - start_time;
    period_micros = std::isfinite(span) && span > 0 ? span / total_hits : 0;
    for (size_t i = 0; i < hit_counts.size(); ++i) {
      if (hit_counts[i] == 0) continue;
      const double hits = static_cast<double>(hit_counts[i]);
      const double weight[] = {hits, hits * period_micros};
      RETURN_IF_ERROR(weighted.Add(stack_of(i), weight));
    }
  }
  const double scale[] = {1, kNanosPerMicro};
  RETURN_IF_ERROR(weighted.WriteTo(scale, &out));
  out.period = ToInt64OrZero(period_micros * kNanosPerMicro);
  if (end_time >= start_time) out.duration_nanos = ToInt64OrZero((end_time - start_time) * kNanosPerMicro);
  return out;
}

}  // namespace kiln::chrome
