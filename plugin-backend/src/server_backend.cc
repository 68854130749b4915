#include "plugin-backend/src/server_backend.h"

#include "absl/status/status.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/model/profile_type.h"
#include "kiln/profiles/v1/profiles.pb.h"
#include "kiln/query/tree_bytes.h"
#include "querier/v1/querier.pb.h"
#include "server/client/connect_client.h"
#include "types/v1/types.pb.h"

namespace kiln::plugin {
namespace {

constexpr int64_t kNanosPerMilli = 1000000;

void SetRange(int64_t start_ms, int64_t end_ms, auto* req) {
  req->set_start(start_ms);
  req->set_end(end_ms);
}

class ServerBackend : public ProfileBackend {
 public:
  explicit ServerBackend(std::unique_ptr<client::ConnectClient> client) : client_(std::move(client)) {}

  absl::StatusOr<std::vector<std::string>> ProfileTypes(int64_t start_ms, int64_t end_ms) override {
    querier::v1::ProfileTypesRequest req;
    SetRange(start_ms, end_ms, &req);
    querier::v1::ProfileTypesResponse resp;
    if (absl::Status s = Call("/querier.v1.QuerierService/ProfileTypes", req, &resp); !s.ok()) return s;
    std::vector<std::string> out;
    for (const auto& t : resp.profile_types()) out.push_back(t.id());
    return out;
  }

  absl::StatusOr<std::vector<std::string>> LabelNames(const std::string& selector, int64_t start_ms,
                                                      int64_t end_ms) override {
    types::v1::LabelNamesRequest req;
    req.add_matchers(selector);
    SetRange(start_ms, end_ms, &req);
    types::v1::LabelNamesResponse resp;
    if (absl::Status s = Call("/querier.v1.QuerierService/LabelNames", req, &resp); !s.ok()) return s;
    return std::vector<std::string>(resp.names().begin(), resp.names().end());
  }

  absl::StatusOr<std::vector<std::string>> LabelValues(const std::string& name, const std::string& selector,
                                                       int64_t start_ms, int64_t end_ms) override {
    types::v1::LabelValuesRequest req;
    req.set_name(name);
    req.add_matchers(selector);
    SetRange(start_ms, end_ms, &req);
    types::v1::LabelValuesResponse resp;
    if (absl::Status s = Call("/querier.v1.QuerierService/LabelValues", req, &resp); !s.ok()) return s;
    return std::vector<std::string>(resp.names().begin(), resp.names().end());
  }

  absl::StatusOr<std::vector<LabelSet>> Series(const std::string& selector, const std::vector<std::string>& label_names,
                                               int64_t start_ms, int64_t end_ms) override {
    querier::v1::SeriesRequest req;
    req.add_matchers(selector);
    for (const std::string& n : label_names) req.add_label_names(n);
    SetRange(start_ms, end_ms, &req);
    querier::v1::SeriesResponse resp;
    if (absl::Status s = Call("/querier.v1.QuerierService/Series", req, &resp); !s.ok()) return s;
    std::vector<LabelSet> out;
    for (const auto& labels : resp.labels_set()) out.push_back(LabelsOf(labels.labels()));
    return out;
  }

  absl::StatusOr<Tree> MergeTree(const BackendSelection& selection, int64_t max_nodes) override {
    querier::v1::SelectMergeStacktracesRequest req = MergeRequest(selection);
    req.set_format(querier::v1::PROFILE_FORMAT_TREE);
    if (max_nodes > 0) req.set_max_nodes(max_nodes);
    querier::v1::SelectMergeStacktracesResponse resp;
    if (absl::Status s = Call("/querier.v1.QuerierService/SelectMergeStacktraces", req, &resp); !s.ok()) return s;
    auto tree = ReadTreeBytes(resp.tree());
    if (!tree.ok()) {
      return absl::DataLossError(fmt::format("{} answered a tree that does not decode: {}", Describe(), tree.status()));
    }
    return tree;
  }

  bool TruncatesTrees() const override { return true; }

  absl::StatusOr<std::string> MergePprof(const BackendSelection& selection) override {
    querier::v1::SelectMergeProfileRequest req;
    req.set_profile_typeid(selection.profile_type);
    req.set_label_selector(selection.label_selector);
    SetRange(selection.start_ms, selection.end_ms, &req);
    perftools::profiles::Profile resp;
    if (absl::Status s = Call("/querier.v1.QuerierService/SelectMergeProfile", req, &resp); !s.ok()) return s;
    return resp.SerializeAsString();
  }

  absl::StatusOr<std::vector<TimeSeries>> SelectSeries(const BackendSelection& selection,
                                                       const SeriesOptions& options) override {
    querier::v1::SelectSeriesRequest req;
    req.set_profile_typeid(selection.profile_type);
    req.set_label_selector(selection.label_selector);
    SetRange(selection.start_ms, selection.end_ms, &req);
    req.set_step(static_cast<double>(options.step_nanos) / 1e9);
    for (const std::string& g : options.group_by) req.add_group_by(g);
    if (options.aggregation == Aggregation::kAverage) {
      req.set_aggregation(types::v1::TIME_SERIES_AGGREGATION_TYPE_AVERAGE);
    }
    if (options.limit) req.set_limit(static_cast<int64_t>(options.limit));
    if (options.exemplars == ExemplarKind::kIndividual) req.set_exemplar_type(types::v1::EXEMPLAR_TYPE_INDIVIDUAL);
    if (options.exemplars == ExemplarKind::kSpan) req.set_exemplar_type(types::v1::EXEMPLAR_TYPE_SPAN);
    querier::v1::SelectSeriesResponse resp;
    absl::Status s;
    if (options.function.empty()) {
      s = Call("/querier.v1.QuerierService/SelectSeries", req, &resp);
    } else {
      kiln::profiles::v1::SelectFunctionSeriesRequest fn;
      *fn.mutable_series() = req;
      fn.set_function(options.function);
      fn.set_self(options.function_self);
      s = Call("/kiln.profiles.v1.ProfilesService/SelectFunctionSeries", fn, &resp);
    }
    if (!s.ok()) return s;
    std::vector<TimeSeries> out;
    for (const auto& series : resp.series()) {
      TimeSeries& ts = out.emplace_back();
      ts.labels = LabelsOf(series.labels());
      for (const auto& p : series.points()) {
        SeriesPoint& point = ts.points.emplace_back();
        point.timestamp_nanos = p.timestamp() * kNanosPerMilli;
        point.value = p.value();
      }
    }
    return out;
  }

  absl::StatusOr<std::vector<HeatmapSeries>> SelectHeatmap(const BackendSelection& selection,
                                                           const HeatmapOptions& options) override {
    querier::v1::SelectHeatmapRequest req;
    req.set_profile_typeid(selection.profile_type);
    req.set_label_selector(selection.label_selector);
    SetRange(selection.start_ms, selection.end_ms, &req);
    req.set_step(static_cast<double>(options.step_nanos) / 1e9);
    for (const std::string& g : options.group_by) req.add_group_by(g);
    req.set_query_type(options.per_span ? querier::v1::HEATMAP_QUERY_TYPE_SPAN
                                        : querier::v1::HEATMAP_QUERY_TYPE_INDIVIDUAL);
    if (options.limit) req.set_limit(static_cast<int64_t>(options.limit));
    querier::v1::SelectHeatmapResponse resp;
    if (absl::Status s = Call("/querier.v1.QuerierService/SelectHeatmap", req, &resp); !s.ok()) return s;
    std::vector<HeatmapSeries> out;
    for (const auto& series : resp.series()) {
      HeatmapSeries& hs = out.emplace_back();
      hs.labels = LabelsOf(series.labels());
      for (const auto& slot : series.slots()) {
        HeatmapSlot& s = hs.slots.emplace_back();
        s.timestamp_nanos = slot.timestamp() * kNanosPerMilli;
        s.y_min.assign(slot.y_min().begin(), slot.y_min().end());
        s.counts.assign(slot.counts().begin(), slot.counts().end());
      }
    }
    return out;
  }

  absl::StatusOr<std::vector<ProfileSummary>> SelectProfiles(const BackendSelection& selection,
                                                             uint64_t limit) override {
    kiln::profiles::v1::SelectProfilesRequest req;
    req.set_profile_typeid(selection.profile_type);
    req.set_label_selector(selection.label_selector);
    SetRange(selection.start_ms, selection.end_ms, &req);
    req.set_limit(static_cast<int64_t>(limit));
    for (const std::string& span : selection.span_ids) req.add_span_selector(span);
    kiln::profiles::v1::SelectProfilesResponse resp;
    if (absl::Status s = Call("/kiln.profiles.v1.ProfilesService/SelectProfiles", req, &resp); !s.ok()) return s;
    std::vector<ProfileSummary> out;
    for (const auto& p : resp.profiles()) {
      ProfileSummary& summary = out.emplace_back();
      if (!storage::ParseProfileId(p.id(), &summary.id)) {
        return absl::DataLossError(fmt::format("{} listed a profile id {:?} that is not a UUID", Describe(), p.id()));
      }
      summary.timestamp_nanos = p.timestamp() * kNanosPerMilli;
      summary.labels = LabelsOf(p.labels());
      summary.total = p.total();
    }
    return out;
  }

  absl::StatusOr<DataStats> Stats() override {
    types::v1::GetProfileStatsRequest req;
    types::v1::GetProfileStatsResponse resp;
    if (absl::Status s = Call("/querier.v1.QuerierService/GetProfileStats", req, &resp); !s.ok()) return s;
    DataStats out;
    out.data_ingested = resp.data_ingested();
    out.oldest_nanos = resp.oldest_profile_time() * kNanosPerMilli;
    out.newest_nanos = resp.newest_profile_time() * kNanosPerMilli;
    return out;
  }

  std::string Describe() const override { return client_->Describe(); }

 private:
  static LabelSet LabelsOf(const google::protobuf::RepeatedPtrField<types::v1::LabelPair>& pairs) {
    std::vector<LabelSet::Pair> out;
    for (const auto& p : pairs) out.emplace_back(p.name(), p.value());
    return LabelSet(std::move(out));
  }

  static querier::v1::SelectMergeStacktracesRequest MergeRequest(const BackendSelection& selection) {
    querier::v1::SelectMergeStacktracesRequest req;
    req.set_profile_typeid(selection.profile_type);
    req.set_label_selector(selection.label_selector);
    SetRange(selection.start_ms, selection.end_ms, &req);
    for (const std::string& span : selection.span_ids) req.add_span_selector(span);
    for (const std::string& id : selection.profile_ids) req.add_profile_id_selector(id);
    return req;
  }

  absl::Status Call(const std::string& procedure, const google::protobuf::Message& req,
                    google::protobuf::Message* resp) {
    return client_->Call(procedure, req, resp);
  }

  std::unique_ptr<client::ConnectClient> client_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<ProfileBackend>> OpenServerBackend(const ServerBackendOptions& options) {
  client::ConnectClientOptions connect;
  connect.url = options.url;
  connect.bearer_token = options.bearer_token;
  connect.basic_user = options.basic_user;
  connect.basic_password = options.basic_password;
  connect.tenant = options.tenant;
  connect.timeout = options.timeout;
  auto client = client::ConnectClient::Open(connect);
  if (!client.ok()) return client.status();
  return std::make_unique<ServerBackend>(*std::move(client));
}

}  // namespace kiln::plugin
