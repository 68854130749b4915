#include "server/daemon/render_service.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

#include "absl/status/status.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/model/label_matcher.h"
#include "kiln/model/profile_type.h"
#include "server/daemon/ingest_request.h"

namespace kiln::server {
namespace {

using Json = nlohmann::json;
constexpr int64_t kNanosPerMilli = 1000000;

std::string Param(const RenderParams& params, const std::string& key, const std::string& fallback = "") {
  auto it = params.find(key);
  return it == params.end() || it->second.empty() ? fallback : it->second;
}

// "<profile type ID>{matchers}" split into its type and selector.
struct RenderQuery {
  std::string profile_type;
  ProfileTypeId type;
  std::string selector;
};

absl::StatusOr<RenderQuery> ParseRenderQuery(const std::string& query, const char* key) {
  if (query.empty()) {
    return absl::InvalidArgumentError(
        fmt::format("{} is required: a profile type ID and a selector, e.g. "
                    "process_cpu:cpu:nanoseconds:cpu:nanoseconds{{service_name=\"app\"}}",
                    key));
  }
  auto selector = ParseSelector(query);
  if (!selector.ok()) return absl::InvalidArgumentError(fmt::format("{}: {}", key, selector.status().message()));
  auto type = ProfileTypeId::Parse(selector->name);
  if (!type.ok()) {
    return absl::InvalidArgumentError(fmt::format("{}: {:?} does not start with a profile type ID: {}", key,
                                                  selector->name, type.status().message()));
  }
  const size_t brace = query.find('{');
  return RenderQuery{selector->name, *std::move(type), brace == std::string::npos ? "{}" : query.substr(brace)};
}

// Pyroscope's flamebearer units and sample rate of a profile type.
void SetMetadata(const ProfileTypeId& profile_type, const char* format, Json* metadata) {
  const std::string& sample_type = profile_type.sample_type;
  std::string units = profile_type.sample_unit;
  int64_t sample_rate = 100;
  if (sample_type == "inuse_objects" || sample_type == "alloc_objects" || sample_type == "goroutine" ||
      sample_type == "samples") {
    units = "objects";
  } else if (sample_type == "cpu") {
    units = "samples";
    sample_rate = 1000000000;  // values are nanoseconds
  }
  *metadata = {{"format", format}, {"units", units}, {"name", sample_type}, {"sampleRate", sample_rate},
               {"spyName", "unknown"}};
}

Json Levels(const google::protobuf::RepeatedPtrField<querier::v1::Level>& levels) {
  Json out = Json::array();
  for (const auto& level : levels) out.push_back(Json(std::vector<int64_t>(level.values().begin(), level.values().end())));
  return out;
}

// A series as a flamebearer timeline: one sample per step from the aligned
// start, zero where no profile fell.
Json Timeline(const types::v1::Series* series, int64_t from_ms, int64_t until_ms, int64_t step_s) {
  const int64_t step_ms = step_s * 1000;
  const int64_t start_ms = from_ms / step_ms * step_ms;
  const int64_t n = std::max<int64_t>(1, (until_ms - start_ms) / step_ms + 1);
  std::vector<int64_t> samples(static_cast<size_t>(n), 0);
  if (series != nullptr) {
    for (const auto& p : series->points()) {
      const int64_t i = (p.timestamp() - start_ms) / step_ms;
      if (i >= 0 && i < n) samples[static_cast<size_t>(i)] += static_cast<int64_t>(std::llround(p.value()));
    }
  }
  return {{"startTime", start_ms / 1000}, {"samples", samples}, {"durationDelta", step_s}};
}

}  // namespace

RenderService::RenderService(const QuerierService* querier, std::function<int64_t()> now_nanos)
    : querier_(querier), now_nanos_(std::move(now_nanos)) {}

absl::StatusOr<RenderService::Range> RenderService::RangeOf(const RenderParams& params, const char* from_key,
                                                            const char* until_key) const {
  const int64_t now = now_nanos_();
  Range r;
  auto parse = [&](const char* key, int64_t fallback_nanos, int64_t* out_ms) -> absl::Status {
    const std::string text = Param(params, key);
    int64_t nanos = fallback_nanos;
    if (!text.empty()) {
      auto t = ParseAtTime(text, now);
      if (!t.ok()) return absl::InvalidArgumentError(fmt::format("{}: {}", key, t.status().message()));
      nanos = *t;
    }
    *out_ms = nanos / kNanosPerMilli;
    return absl::OkStatus();
  };
  if (auto s = parse(until_key, now, &r.until_ms); !s.ok()) return s;
  if (auto s = parse(from_key, now - int64_t{3600} * 1000000000, &r.from_ms); !s.ok()) return s;
  if (r.until_ms < r.from_ms) {
    return absl::InvalidArgumentError(fmt::format("{} is before {}: the time range is empty", until_key, from_key));
  }
  return r;
}

absl::StatusOr<std::string> RenderService::Render(const std::string& tenant, const RenderParams& params) const {
  if (const std::string format = Param(params, "format", "json"); format != "json") {
    return absl::UnimplementedError(fmt::format("format {:?} is not served; use format=json", format));
  }
  auto query = ParseRenderQuery(Param(params, "query"), "query");
  if (!query.ok()) return query.status();
  auto range = RangeOf(params, "from", "until");
  if (!range.ok()) return range.status();
  const std::string max_nodes_text = Param(params, "maxNodes", Param(params, "max-nodes"));
  int64_t max_nodes = 0;
  if (!max_nodes_text.empty()) {
    try {
      size_t used = 0;
      max_nodes = std::stoll(max_nodes_text, &used);
      if (used != max_nodes_text.size()) throw std::invalid_argument("trailing");
    } catch (...) {
      return absl::InvalidArgumentError(fmt::format("maxNodes {:?} is not a number", max_nodes_text));
    }
  }
  const std::string aggregation = Param(params, "aggregation", "sum");
  if (aggregation != "sum" && aggregation != "avg" && aggregation != "average") {
    return absl::InvalidArgumentError(fmt::format("aggregation {:?}: expected sum or avg", aggregation));
  }

  querier::v1::SelectMergeStacktracesRequest merge;
  merge.set_profile_typeid(query->profile_type);
  merge.set_label_selector(query->selector);
  merge.set_start(range->from_ms);
  merge.set_end(range->until_ms);
  if (max_nodes != 0) merge.set_max_nodes(max_nodes);
  auto merged = querier_->SelectMergeStacktraces(tenant, merge);
  if (!merged.ok()) return merged.status();

  // Pyroscope's timeline step: range / 1500 points, at least 15 s.
  const int64_t step_s = std::max<int64_t>(15, (range->until_ms - range->from_ms) / 1000 / 1500);
  const std::string group_by = Param(params, "groupBy");  // only the first label counts, as in Pyroscope
  querier::v1::SelectSeriesRequest series_req;
  series_req.set_profile_typeid(query->profile_type);
  series_req.set_label_selector(query->selector);
  series_req.set_start(range->from_ms);
  series_req.set_end(range->until_ms);
  series_req.set_step(static_cast<double>(step_s));
  if (aggregation != "sum") series_req.set_aggregation(types::v1::TIME_SERIES_AGGREGATION_TYPE_AVERAGE);
  auto total_series = querier_->SelectSeries(tenant, series_req);
  if (!total_series.ok()) return total_series.status();

  const querier::v1::FlameGraph& fg = merged->flamegraph();
  Json out = {{"version", 1}};
  out["flamebearer"] = {{"names", std::vector<std::string>(fg.names().begin(), fg.names().end())},
                        {"levels", Levels(fg.levels())},
                        {"numTicks", fg.total()},
                        {"maxSelf", fg.max_self()}};
  SetMetadata(query->type, "single", &out["metadata"]);
  out["timeline"] = Timeline(total_series->series().empty() ? nullptr : &total_series->series(0), range->from_ms,
                             range->until_ms, step_s);
  if (!group_by.empty()) {
    series_req.add_group_by(group_by);
    auto grouped = querier_->SelectSeries(tenant, series_req);
    if (!grouped.ok()) return grouped.status();
    Json groups = Json::object();
    for (const auto& s : grouped->series()) {
      std::string value = "";
      for (const auto& l : s.labels()) {
        if (l.name() == group_by) value = l.value();
      }
      groups[value.empty() ? "*" : value] = Timeline(&s, range->from_ms, range->until_ms, step_s);
    }
    out["groups"] = std::move(groups);
  }
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

absl::StatusOr<std::string> RenderService::RenderDiff(const std::string& tenant, const RenderParams& params) const {
  auto left = ParseRenderQuery(Param(params, "leftQuery"), "leftQuery");
  if (!left.ok()) return left.status();
  auto right = ParseRenderQuery(Param(params, "rightQuery"), "rightQuery");
  if (!right.ok()) return right.status();
  if (left->profile_type != right->profile_type) {
    return absl::InvalidArgumentError(fmt::format("leftQuery and rightQuery compare different profile types ({} vs {})",
                                                  left->profile_type, right->profile_type));
  }
  auto left_range = RangeOf(params, "leftFrom", "leftUntil");
  if (!left_range.ok()) return left_range.status();
  auto right_range = RangeOf(params, "rightFrom", "rightUntil");
  if (!right_range.ok()) return right_range.status();
  querier::v1::DiffRequest req;
  for (auto [side, q, r] : {std::tuple{req.mutable_left(), &*left, &*left_range},
                            std::tuple{req.mutable_right(), &*right, &*right_range}}) {
    side->set_profile_typeid(q->profile_type);
    side->set_label_selector(q->selector);
    side->set_start(r->from_ms);
    side->set_end(r->until_ms);
  }
  auto diff = querier_->Diff(tenant, req);
  if (!diff.ok()) return diff.status();
  const querier::v1::FlameGraphDiff& fg = diff->flamegraph();
  Json out = {{"version", 1}, {"leftTicks", fg.leftticks()}, {"rightTicks", fg.rightticks()}};
  out["flamebearer"] = {{"names", std::vector<std::string>(fg.names().begin(), fg.names().end())},
                        {"levels", Levels(fg.levels())},
                        {"numTicks", fg.total()},
                        {"maxSelf", fg.max_self()}};
  SetMetadata(left->type, "double", &out["metadata"]);
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

absl::StatusOr<std::string> RenderService::LabelValues(const std::string& tenant, const RenderParams& params) const {
  const std::string label = Param(params, "label");
  if (label.empty()) return absl::InvalidArgumentError("label is required, e.g. label=service_name");
  auto range = RangeOf(params, "from", "until");
  if (!range.ok()) return range.status();
  std::vector<std::string> values;
  if (label == "__name__") {
    // Pyroscope's legacy meaning: the profile types.
    querier::v1::ProfileTypesRequest req;
    req.set_start(range->from_ms);
    req.set_end(range->until_ms);
    auto types = querier_->ProfileTypes(tenant, req);
    if (!types.ok()) return types.status();
    for (const auto& t : types->profile_types()) values.push_back(t.id());
  } else {
    types::v1::LabelValuesRequest req;
    req.set_name(label);
    if (const std::string query = Param(params, "query"); !query.empty()) req.add_matchers(query);
    req.set_start(range->from_ms);
    req.set_end(range->until_ms);
    auto answer = querier_->LabelValues(tenant, req);
    if (!answer.ok()) return answer.status();
    values.assign(answer->names().begin(), answer->names().end());
  }
  return Json(values).dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace kiln::server
