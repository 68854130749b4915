#include "server/daemon/querier_service.h"

#include <set>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/base/hex.h"
#include "kiln/export/pprof_writer.h"
#include "kiln/model/label_matcher.h"
#include "kiln/model/profile_type.h"
#include "kiln/query/flame_graph.h"
#include "kiln/storage/dataset.h"
#include "kiln/query/tree_bytes.h"

namespace kiln::server {
namespace {

constexpr int64_t kNanosPerMilli = 1000000;
constexpr int64_t kHourNanos = int64_t{3600} * 1000000000;

absl::Status Prefixed(std::string_view field, const absl::Status& s) {
  return absl::Status(s.code(), fmt::format("{}: {}", field, s.message()));
}

// A selector's matchers; errors name the request field.
absl::StatusOr<std::vector<LabelMatcher>> MatchersOf(std::string_view text, std::string_view field) {
  auto matchers = ParseSelectorMatchers(text);
  if (!matchers.ok()) return Prefixed(field, matchers.status());
  return matchers;
}

// Several selectors are alternatives; none selects everything.
absl::StatusOr<std::vector<std::vector<LabelMatcher>>> Alternatives(
    const google::protobuf::RepeatedPtrField<std::string>& selectors) {
  std::vector<std::vector<LabelMatcher>> out;
  for (int i = 0; i < selectors.size(); ++i) {
    auto m = MatchersOf(selectors[i], fmt::format("matchers[{}]", i));
    if (!m.ok()) return m.status();
    out.push_back(*std::move(m));
  }
  if (out.empty()) out.emplace_back();
  return out;
}

// The selection every select request shares (type, selector, range) as a
// SelectMergeStacktracesRequest, which Selection() checks and converts.
template <typename Req>
querier::v1::SelectMergeStacktracesRequest MergeRequestOf(const Req& req) {
  querier::v1::SelectMergeStacktracesRequest merge;
  merge.set_profile_typeid(req.profile_typeid());
  merge.set_label_selector(req.label_selector());
  merge.set_start(req.start());
  merge.set_end(req.end());
  return merge;
}

std::string Hex(uint64_t v, int digits) { return fmt::format("{:0{}x}", v, digits); }

absl::Status FillIds(ProfileSelection* sel, const google::protobuf::RepeatedPtrField<std::string>& profile_ids,
                     const google::protobuf::RepeatedPtrField<std::string>& span_ids,
                     const google::protobuf::RepeatedPtrField<std::string>& trace_ids, std::string_view span_field) {
  for (int i = 0; i < profile_ids.size(); ++i) {
    storage::ProfileId id;
    if (!storage::ParseProfileId(profile_ids[i], &id)) {
      return absl::InvalidArgumentError(
          fmt::format("profile_id_selector[{}]: {:?} is not a UUID", i, profile_ids[i]));
    }
    sel->profile_ids.push_back(id);
  }
  for (int i = 0; i < span_ids.size(); ++i) {
    uint64_t v;
    if (span_ids[i].size() != 16 || !ParseHex64(span_ids[i], &v)) {
      return absl::InvalidArgumentError(
          fmt::format("{}[{}]: {:?} is not a span id (16 hex characters)", span_field, i, span_ids[i]));
    }
    sel->span_ids.push_back(v);
  }
  for (int i = 0; i < trace_ids.size(); ++i) {
    uint64_t hi, lo;
    const std::string& t = trace_ids[i];
    if (t.size() != 32 || !ParseHex64(std::string_view(t).substr(0, 16), &hi) ||
        !ParseHex64(std::string_view(t).substr(16), &lo)) {
      return absl::InvalidArgumentError(
          fmt::format("trace_id_selector[{}]: {:?} is not a trace id (32 hex characters)", i, t));
    }
    sel->trace_ids.emplace_back(hi, lo);
  }
  return absl::OkStatus();
}

absl::Status FillStackSelector(ProfileSelection* sel, bool has, const types::v1::StackTraceSelector& s) {
  if (!has) return absl::OkStatus();
  if (s.has_go_pgo()) {
    return absl::UnimplementedError("stack_trace_selector.go_pgo: Go PGO profiles are not served yet");
  }
  for (const types::v1::Location& l : s.call_site()) sel->call_site.push_back(l.name());
  return absl::OkStatus();
}

absl::Status CheckProfileType(const std::string& id) {
  if (id.empty()) {
    return absl::InvalidArgumentError(
        "profile_typeID is required (e.g. process_cpu:cpu:nanoseconds:cpu:nanoseconds; ProfileTypes lists them)");
  }
  auto parsed = ProfileTypeId::Parse(id);
  if (!parsed.ok()) return Prefixed("profile_typeID", parsed.status());
  return absl::OkStatus();
}

void SetLabels(const LabelSet& labels, google::protobuf::RepeatedPtrField<types::v1::LabelPair>* out) {
  for (const auto& [k, v] : labels.pairs()) {
    types::v1::LabelPair* p = out->Add();
    p->set_name(k);
    p->set_value(v);
  }
}

void SetExemplar(const Exemplar& e, types::v1::Exemplar* out) {
  out->set_timestamp(e.timestamp_nanos / kNanosPerMilli);
  if (e.profile_id != storage::ProfileId{}) out->set_profile_id(storage::FormatProfileId(e.profile_id));
  if (e.span_id != 0) out->set_span_id(Hex(e.span_id, 16));
  if (e.trace_id != std::pair<uint64_t, uint64_t>{0, 0}) {
    out->set_trace_id(Hex(e.trace_id.first, 16) + Hex(e.trace_id.second, 16));
  }
  out->set_value(e.value);
  SetLabels(e.labels, out->mutable_labels());
}

void SetFlameGraph(const FlameGraph& fg, querier::v1::FlameGraph* out) {
  for (const std::string& n : fg.names) out->add_names(n);
  for (const auto& level : fg.levels) {
    querier::v1::Level* l = out->add_levels();
    l->mutable_values()->Reserve(static_cast<int>(level.size()));
    for (int64_t v : level) l->add_values(v);
  }
  out->set_total(fg.total);
  out->set_max_self(fg.max_self);
}

absl::StatusOr<perftools::profiles::Profile> ToProto(const Profile& profile) {
  PprofWriteOptions options;
  options.gzip = false;
  auto bytes = WritePprof(profile, options);
  if (!bytes.ok()) return bytes.status();
  perftools::profiles::Profile out;
  if (!out.ParseFromString(*bytes)) return absl::InternalError("the merged profile could not be re-read as pprof");
  return out;
}

}  // namespace

QuerierService::QuerierService(const QueryEngine* engine, QuerierOptions options)
    : engine_(engine), options_(std::move(options)) {}

absl::StatusOr<QuerierService::Range> QuerierService::RangeOf(int64_t start_ms, int64_t end_ms) const {
  const int64_t now = options_.now_nanos ? options_.now_nanos() : absl::ToUnixNanos(absl::Now());
  constexpr int64_t kMaxMs = std::numeric_limits<int64_t>::max() / kNanosPerMilli - 1;
  if (start_ms < 0 || end_ms < 0 || start_ms > kMaxMs || end_ms > kMaxMs) {
    return absl::InvalidArgumentError(
        fmt::format("start ({}) and end ({}) must be milliseconds since epoch", start_ms, end_ms));
  }
  Range r;
  // The whole last millisecond counts: profiles are stamped in nanoseconds.
  r.end_nanos = end_ms == 0 ? now : end_ms * kNanosPerMilli + (kNanosPerMilli - 1);
  r.start_nanos = start_ms == 0 ? r.end_nanos - kHourNanos : start_ms * kNanosPerMilli;
  if (start_ms != 0 && end_ms != 0 && end_ms < start_ms) {
    return absl::InvalidArgumentError(fmt::format("end ({}) is before start ({}): the time range is empty", end_ms,
                                                  start_ms));
  }
  return r;
}

absl::StatusOr<int64_t> QuerierService::MaxNodes(bool has, int64_t value) const {
  if (!has || value == 0) return options_.default_max_nodes;
  if (value < 0) return absl::InvalidArgumentError(fmt::format("max_nodes ({}) must be positive", value));
  if (value > options_.max_max_nodes) {
    return absl::InvalidArgumentError(
        fmt::format("max_nodes ({}) exceeds the limit of {}", value, options_.max_max_nodes));
  }
  return value;
}

absl::StatusOr<ProfileSelection> QuerierService::Selection(
    const std::string& tenant, const querier::v1::SelectMergeStacktracesRequest& req) const {
  if (absl::Status s = CheckProfileType(req.profile_typeid()); !s.ok()) return s;
  auto range = RangeOf(req.start(), req.end());
  if (!range.ok()) return range.status();
  auto matchers = MatchersOf(req.label_selector(), "label_selector");
  if (!matchers.ok()) return matchers.status();
  ProfileSelection sel;
  sel.tenant = tenant;
  sel.profile_type = req.profile_typeid();
  sel.matchers = *std::move(matchers);
  sel.start_nanos = range->start_nanos;
  sel.end_nanos = range->end_nanos;
  if (absl::Status s = FillIds(&sel, req.profile_id_selector(), req.span_selector(), req.trace_id_selector(),
                               "span_selector");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = FillStackSelector(&sel, req.has_stack_trace_selector(), req.stack_trace_selector()); !s.ok()) {
    return s;
  }
  return sel;
}

absl::StatusOr<querier::v1::ProfileTypesResponse> QuerierService::ProfileTypes(
    const std::string& tenant, const querier::v1::ProfileTypesRequest& req) const {
  auto range = RangeOf(req.start(), req.end());
  if (!range.ok()) return range.status();
  auto types = engine_->ProfileTypes(tenant, range->start_nanos, range->end_nanos);
  if (!types.ok()) return types.status();
  querier::v1::ProfileTypesResponse out;
  for (const ProfileTypeInfo& t : *types) {
    types::v1::ProfileType* p = out.add_profile_types();
    p->set_id(t.id.ToString());
    p->set_name(t.id.name);
    p->set_sample_type(t.id.sample_type);
    p->set_sample_unit(t.id.sample_unit);
    p->set_period_type(t.id.period_type);
    p->set_period_unit(t.id.period_unit);
  }
  return out;
}

absl::StatusOr<types::v1::LabelNamesResponse> QuerierService::LabelNames(
    const std::string& tenant, const types::v1::LabelNamesRequest& req) const {
  auto range = RangeOf(req.start(), req.end());
  if (!range.ok()) return range.status();
  auto alternatives = Alternatives(req.matchers());
  if (!alternatives.ok()) return alternatives.status();
  std::set<std::string> names;
  for (const auto& matchers : *alternatives) {
    auto got = engine_->LabelNames(tenant, matchers, range->start_nanos, range->end_nanos);
    if (!got.ok()) return got.status();
    names.insert(got->begin(), got->end());
  }
  types::v1::LabelNamesResponse out;
  for (const std::string& n : names) out.add_names(n);
  return out;
}

absl::StatusOr<types::v1::LabelValuesResponse> QuerierService::LabelValues(
    const std::string& tenant, const types::v1::LabelValuesRequest& req) const {
  if (req.name().empty()) return absl::InvalidArgumentError("name: the label whose values to list is required");
  auto range = RangeOf(req.start(), req.end());
  if (!range.ok()) return range.status();
  auto alternatives = Alternatives(req.matchers());
  if (!alternatives.ok()) return alternatives.status();
  std::set<std::string> values;
  for (const auto& matchers : *alternatives) {
    auto got = engine_->LabelValues(tenant, req.name(), matchers, range->start_nanos, range->end_nanos);
    if (!got.ok()) return got.status();
    values.insert(got->begin(), got->end());
  }
  types::v1::LabelValuesResponse out;
  for (const std::string& v : values) out.add_names(v);
  return out;
}

absl::StatusOr<querier::v1::SeriesResponse> QuerierService::Series(const std::string& tenant,
                                                                   const querier::v1::SeriesRequest& req) const {
  auto range = RangeOf(req.start(), req.end());
  if (!range.ok()) return range.status();
  auto alternatives = Alternatives(req.matchers());
  if (!alternatives.ok()) return alternatives.status();
  const std::vector<std::string> names(req.label_names().begin(), req.label_names().end());
  std::set<LabelSet> all;
  for (const auto& matchers : *alternatives) {
    auto got = engine_->Series(tenant, matchers, names, range->start_nanos, range->end_nanos);
    if (!got.ok()) return got.status();
    all.insert(got->begin(), got->end());
  }
  querier::v1::SeriesResponse out;
  for (const LabelSet& s : all) SetLabels(s, out.add_labels_set()->mutable_labels());
  return out;
}

absl::StatusOr<querier::v1::SelectMergeStacktracesResponse> QuerierService::SelectMergeStacktraces(
    const std::string& tenant, const querier::v1::SelectMergeStacktracesRequest& req) const {
  auto sel = Selection(tenant, req);
  if (!sel.ok()) return sel.status();
  auto max_nodes = MaxNodes(req.has_max_nodes(), req.max_nodes());
  if (!max_nodes.ok()) return max_nodes.status();
  querier::v1::SelectMergeStacktracesResponse out;
  switch (req.format()) {
    case querier::v1::PROFILE_FORMAT_DOT:
      return absl::UnimplementedError("format PROFILE_FORMAT_DOT is not served yet; use FLAMEGRAPH, TREE or PPROF");
    case querier::v1::PROFILE_FORMAT_PPROF: {
      auto profile = engine_->SelectMergeProfile(*sel);
      if (!profile.ok()) return profile.status();
      auto proto = ToProto(*profile);
      if (!proto.ok()) return proto.status();
      *out.mutable_pprof()->mutable_profile() = *std::move(proto);
      return out;
    }
    case querier::v1::PROFILE_FORMAT_TREE: {
      auto tree = engine_->SelectMergeTree(*sel);
      if (!tree.ok()) return tree.status();
      out.set_tree(WriteTreeBytes(*tree, *max_nodes));
      return out;
    }
    default: {
      auto tree = engine_->SelectMergeTree(*sel);
      if (!tree.ok()) return tree.status();
      SetFlameGraph(BuildFlameGraph(*tree, *max_nodes), out.mutable_flamegraph());
      return out;
    }
  }
}

absl::StatusOr<querier::v1::SelectMergeSpanProfileResponse> QuerierService::SelectMergeSpanProfile(
    const std::string& tenant, const querier::v1::SelectMergeSpanProfileRequest& req) const {
  querier::v1::SelectMergeStacktracesRequest merge = MergeRequestOf(req);
  *merge.mutable_span_selector() = req.span_selector();
  if (req.has_max_nodes()) merge.set_max_nodes(req.max_nodes());
  if (req.format() == querier::v1::PROFILE_FORMAT_DOT || req.format() == querier::v1::PROFILE_FORMAT_PPROF) {
    return absl::InvalidArgumentError("format: SelectMergeSpanProfile answers FLAMEGRAPH or TREE");
  }
  merge.set_format(req.format());
  auto got = SelectMergeStacktraces(tenant, merge);
  if (!got.ok()) return got.status();
  querier::v1::SelectMergeSpanProfileResponse out;
  if (got->has_flamegraph()) *out.mutable_flamegraph() = std::move(*got->mutable_flamegraph());
  out.set_tree(got->tree());
  return out;
}

absl::StatusOr<perftools::profiles::Profile> QuerierService::SelectMergeProfile(
    const std::string& tenant, const querier::v1::SelectMergeProfileRequest& req) const {
  querier::v1::SelectMergeStacktracesRequest merge = MergeRequestOf(req);
  *merge.mutable_profile_id_selector() = req.profile_id_selector();
  *merge.mutable_trace_id_selector() = req.trace_id_selector();
  if (req.has_stack_trace_selector()) *merge.mutable_stack_trace_selector() = req.stack_trace_selector();
  if (auto n = MaxNodes(req.has_max_nodes(), req.max_nodes()); !n.ok()) return n.status();
  auto sel = Selection(tenant, merge);
  if (!sel.ok()) return sel.status();
  auto profile = engine_->SelectMergeProfile(*sel);
  if (!profile.ok()) return profile.status();
  return ToProto(*profile);
}

absl::StatusOr<querier::v1::SelectSeriesResponse> QuerierService::SelectSeries(
    const std::string& tenant, const querier::v1::SelectSeriesRequest& req) const {
  return SeriesOf(tenant, req, {});
}

absl::StatusOr<querier::v1::SelectSeriesResponse> QuerierService::SelectFunctionSeries(
    const std::string& tenant, const kiln::profiles::v1::SelectFunctionSeriesRequest& req) const {
  if (req.function().empty()) return absl::InvalidArgumentError("function: a frame name is required");
  SeriesOptions function;
  function.function = req.function();
  function.function_self = req.self();
  return SeriesOf(tenant, req.series(), function);
}

absl::StatusOr<querier::v1::SelectSeriesResponse> QuerierService::SeriesOf(
    const std::string& tenant, const querier::v1::SelectSeriesRequest& req, const SeriesOptions& function) const {
  querier::v1::SelectMergeStacktracesRequest merge = MergeRequestOf(req);
  if (req.has_stack_trace_selector()) *merge.mutable_stack_trace_selector() = req.stack_trace_selector();
  auto sel = Selection(tenant, merge);
  if (!sel.ok()) return sel.status();
  if (!(req.step() > 0) || req.step() > 1e9) {
    return absl::InvalidArgumentError(fmt::format("step ({} s) must be a positive number of seconds", req.step()));
  }
  if (req.has_limit() && req.limit() < 0) {
    return absl::InvalidArgumentError(fmt::format("limit ({}) must not be negative", req.limit()));
  }
  SeriesOptions options = function;
  options.step_nanos = std::max<int64_t>(1, static_cast<int64_t>(req.step() * 1e9));
  options.group_by.assign(req.group_by().begin(), req.group_by().end());
  options.aggregation = req.has_aggregation() && req.aggregation() == types::v1::TIME_SERIES_AGGREGATION_TYPE_AVERAGE
                            ? Aggregation::kAverage
                            : Aggregation::kSum;
  options.limit = req.has_limit() ? static_cast<uint64_t>(req.limit()) : 0;
  switch (req.exemplar_type()) {
    case types::v1::EXEMPLAR_TYPE_INDIVIDUAL: options.exemplars = ExemplarKind::kIndividual; break;
    case types::v1::EXEMPLAR_TYPE_SPAN: options.exemplars = ExemplarKind::kSpan; break;
    default: options.exemplars = ExemplarKind::kNone;
  }
  auto series = engine_->SelectSeries(*sel, options);
  if (!series.ok()) return series.status();
  querier::v1::SelectSeriesResponse out;
  for (const TimeSeries& s : *series) {
    types::v1::Series* ps = out.add_series();
    SetLabels(s.labels, ps->mutable_labels());
    for (const SeriesPoint& p : s.points) {
      types::v1::Point* pp = ps->add_points();
      pp->set_value(p.value);
      pp->set_timestamp(p.timestamp_nanos / kNanosPerMilli);
      for (const Exemplar& e : p.exemplars) SetExemplar(e, pp->add_exemplars());
    }
  }
  return out;
}

absl::StatusOr<querier::v1::SelectHeatmapResponse> QuerierService::SelectHeatmap(
    const std::string& tenant, const querier::v1::SelectHeatmapRequest& req) const {
  querier::v1::SelectMergeStacktracesRequest merge = MergeRequestOf(req);
  auto sel = Selection(tenant, merge);
  if (!sel.ok()) return sel.status();
  if (!(req.step() >= 0.001) || req.step() > 1e9) {
    return absl::InvalidArgumentError(fmt::format("step ({} s) must be at least 0.001 s", req.step()));
  }
  if (req.has_limit() && req.limit() < 0) {
    return absl::InvalidArgumentError(fmt::format("limit ({}) must not be negative", req.limit()));
  }
  HeatmapOptions options;
  options.step_nanos = static_cast<int64_t>(req.step() * 1e9);
  options.group_by.assign(req.group_by().begin(), req.group_by().end());
  options.per_span = req.query_type() == querier::v1::HEATMAP_QUERY_TYPE_SPAN;
  options.limit = req.has_limit() ? static_cast<uint64_t>(req.limit()) : 0;
  auto heatmap = engine_->SelectHeatmap(*sel, options);
  if (!heatmap.ok()) return heatmap.status();
  const bool exemplars = req.exemplar_type() != types::v1::EXEMPLAR_TYPE_NONE;
  querier::v1::SelectHeatmapResponse out;
  for (const HeatmapSeries& s : *heatmap) {
    types::v1::HeatmapSeries* ps = out.add_series();
    SetLabels(s.labels, ps->mutable_labels());
    for (const HeatmapSlot& slot : s.slots) {
      types::v1::HeatmapSlot* p = ps->add_slots();
      p->set_timestamp(slot.timestamp_nanos / kNanosPerMilli);
      for (double y : slot.y_min) p->add_y_min(y);
      for (int32_t c : slot.counts) p->add_counts(c);
      if (exemplars) {
        for (const Exemplar& e : slot.exemplars) SetExemplar(e, p->add_exemplars());
      }
    }
  }
  return out;
}

absl::StatusOr<querier::v1::DiffResponse> QuerierService::Diff(const std::string& tenant,
                                                               const querier::v1::DiffRequest& req) const {
  if (!req.has_left() || !req.has_right()) {
    return absl::InvalidArgumentError("left and right are both required");
  }
  auto left = Selection(tenant, req.left());
  if (!left.ok()) return Prefixed("left", left.status());
  auto right = Selection(tenant, req.right());
  if (!right.ok()) return Prefixed("right", right.status());
  const bool has = req.left().has_max_nodes() || req.right().has_max_nodes();
  auto max_nodes =
      MaxNodes(has, req.left().has_max_nodes() ? req.left().max_nodes() : req.right().max_nodes());
  if (!max_nodes.ok()) return max_nodes.status();
  auto left_tree = engine_->SelectMergeTree(*left);
  if (!left_tree.ok()) return Prefixed("left", left_tree.status());
  auto right_tree = engine_->SelectMergeTree(*right);
  if (!right_tree.ok()) return Prefixed("right", right_tree.status());
  const FlameGraphDiff diff = BuildFlameGraphDiff(*left_tree, *right_tree, *max_nodes);
  querier::v1::DiffResponse out;
  querier::v1::FlameGraphDiff* fg = out.mutable_flamegraph();
  for (const std::string& n : diff.names) fg->add_names(n);
  for (const auto& level : diff.levels) {
    querier::v1::Level* l = fg->add_levels();
    for (int64_t v : level) l->add_values(v);
  }
  fg->set_total(diff.total);
  fg->set_max_self(diff.max_self);
  fg->set_leftticks(diff.left_ticks);
  fg->set_rightticks(diff.right_ticks);
  return out;
}

absl::StatusOr<types::v1::GetProfileStatsResponse> QuerierService::GetProfileStats(
    const std::string& tenant, const types::v1::GetProfileStatsRequest&) const {
  const DataStats stats = engine_->GetDataStats(tenant);
  types::v1::GetProfileStatsResponse out;
  out.set_data_ingested(stats.data_ingested);
  out.set_oldest_profile_time(stats.oldest_nanos / kNanosPerMilli);
  out.set_newest_profile_time(stats.newest_nanos / kNanosPerMilli);
  return out;
}

absl::StatusOr<querier::v1::AnalyzeQueryResponse> QuerierService::AnalyzeQuery(
    const std::string&, const querier::v1::AnalyzeQueryRequest&) const {
  return absl::UnimplementedError("AnalyzeQuery is not served yet");
}

absl::StatusOr<kiln::profiles::v1::SelectProfilesResponse> QuerierService::SelectProfiles(
    const std::string& tenant, const kiln::profiles::v1::SelectProfilesRequest& req) const {
  querier::v1::SelectMergeStacktracesRequest merge = MergeRequestOf(req);
  *merge.mutable_span_selector() = req.span_selector();
  auto sel = Selection(tenant, merge);
  if (!sel.ok()) return sel.status();
  if (req.limit() < 0 || req.limit() > 100000) {
    return absl::InvalidArgumentError(fmt::format("limit ({}) must be within 0..100000", req.limit()));
  }
  auto profiles = engine_->SelectProfiles(*sel, static_cast<uint64_t>(req.limit()));
  if (!profiles.ok()) return profiles.status();
  kiln::profiles::v1::SelectProfilesResponse out;
  for (const ProfileSummary& p : *profiles) {
    kiln::profiles::v1::ProfileSummary* ps = out.add_profiles();
    ps->set_id(storage::FormatProfileId(p.id));
    ps->set_timestamp(p.timestamp_nanos / kNanosPerMilli);
    SetLabels(p.labels, ps->mutable_labels());
    ps->set_total(p.total);
  }
  return out;
}

}  // namespace kiln::server
