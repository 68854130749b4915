#include "server/daemon/ingest_service.h"

#include <chrono>
#include <map>
#include <optional>

#include "absl/strings/str_join.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/ingest/collapsed_importer.h"
#include "kiln/ingest/jfr_importer.h"
#include "kiln/ingest/otlp_importer.h"
#include "kiln/ingest/pprof_importer.h"
#include "kiln/ingest/speedscope_importer.h"
#include "kiln/model/label_set.h"
#include "kiln/storage/dataset.h"
#include "nlohmann/json.hpp"
#include "server/daemon/label_checks.h"
#include "server/daemon/structured_log.h"

namespace kiln::server {

std::string_view IngestFailureReason(IngestFailure failure) {
  switch (failure) {
    case IngestFailure::kNone: return "none";
    case IngestFailure::kBadRequest: return "bad_request";
    case IngestFailure::kUnsupportedMediaType: return "unsupported_media_type";
    case IngestFailure::kInvalidProfile: return "invalid_profile";
    case IngestFailure::kTooLarge: return "decompressed_too_large";
    case IngestFailure::kLimits: return "limits";
    case IngestFailure::kTooManySeries: return "too_many_series";
    case IngestFailure::kStorage: return "storage_error";
  }
  return "unknown";
}

// One profile ready to be written.
struct IngestService::Decoded {
  LabelSet labels;
  storage::ProfileId id{};
  Profile profile;
  // pprof: decoded with its stacks pending, interned by the writer straight
  // into the dataset; its header() then stands for |profile|.
  std::unique_ptr<DecodedPprof> pprof;

  Profile& header() { return pprof ? pprof->header() : profile; }
  const Profile& header() const { return pprof ? pprof->header() : profile; }
};

namespace {

constexpr int64_t kOneYearNanos = int64_t{365} * 86400 * 1000000000;

IngestOutcome Fail(IngestFailure failure, absl::Status status) {
  IngestOutcome out;
  out.failure = failure;
  out.status = std::move(status);
  return out;
}

// A decode error: too large when the decompression bound was hit.
IngestOutcome DecodeFailure(const absl::Status& s, std::string_view what) {
  const IngestFailure f =
      s.code() == absl::StatusCode::kResourceExhausted ? IngestFailure::kTooLarge : IngestFailure::kInvalidProfile;
  const absl::StatusCode code =
      f == IngestFailure::kTooLarge ? absl::StatusCode::kResourceExhausted : absl::StatusCode::kInvalidArgument;
  return Fail(f, absl::Status(code, fmt::format("{}: {}", what, s.message())));
}

// Old SDKs (py-spy, rbspy, pyroscope-rs) send no time or microseconds as
// nanoseconds; Pyroscope then uses `from`.
void FixTime(Profile* p, int64_t from_nanos) {
  if (p->time_nanos < kOneYearNanos) p->time_nanos = from_nanos;
}

// The labels every /ingest profile carries (Pyroscope's ingest adapter):
// the client's labels except private `__*` ones (but `__session_id__`),
// pyroscope_spy, __delta__=false and service_name = |service| unless the
// client set one (then the application name goes to app_name when
// |app_name_label| is set, as for text formats).
LabelSet LegacyLabels(const IngestRequest& req, std::string_view service, bool app_name_label) {
  std::vector<LabelSet::Pair> pairs;
  bool has_service = false, has_app_name = false;
  for (const auto& [k, v] : req.name.labels) {
    if (k.starts_with("__") && k != "__session_id__") continue;
    has_service |= k == "service_name";
    has_app_name |= k == "app_name";
    pairs.emplace_back(k, v);
  }
  pairs.emplace_back("pyroscope_spy", req.spy_name);
  pairs.emplace_back("__delta__", "false");
  if (!has_service) {
    pairs.emplace_back("service_name", std::string(service));
  } else if (app_name_label && !has_app_name) {
    pairs.emplace_back("app_name", std::string(service));
  }
  // A name given twice keeps its first value: LabelSet would keep the last,
  // and the defaults appended above would override the client's own labels.
  std::vector<LabelSet::Pair> unique;
  for (auto& p : pairs) {
    bool seen = false;
    for (const auto& u : unique) seen |= u.first == p.first;
    if (!seen) unique.push_back(std::move(p));
  }
  return LabelSet(std::move(unique));
}

const FormPart* FindPart(const IngestBody& body, std::string_view name) {
  for (const FormPart& p : body.parts) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

// Pyroscope's guess of a pprof's profile name from its sample types and the
// client's sample_type_config display names (pkg/og/convert/pprof).
std::string MetricName(const Profile& p, const std::map<std::string, std::string>& display_names) {
  for (const ValueType& t : p.sample_types) {
    if (t.type == "wall") return "wall";
  }
  std::string st;
  for (const ValueType& t : p.sample_types) {
    st = t.type;
    if (auto it = display_names.find(st); it != display_names.end() && !it->second.empty()) st = it->second;
    if (st.find("cpu") != std::string::npos) return "process_cpu";
    if (st.find("alloc_") != std::string::npos || st.find("inuse_") != std::string::npos || st == "space" ||
        st == "objects") {
      return "memory";
    }
    if (st.find("mutex_") != std::string::npos) return "mutex";
    if (st.find("block_") != std::string::npos) return "block";
    if (st.find("goroutines") != std::string::npos) return "goroutines";
  }
  return st;
}

// sample_type_config: {"<type>": {"units", "aggregation", "display-name", "sampled"}}.
absl::StatusOr<std::map<std::string, std::string>> ParseSampleTypeConfig(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return absl::InvalidArgumentError("sample_type_config: not a JSON object");
  }
  std::map<std::string, std::string> display_names;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.value().is_null()) continue;
    if (!it.value().is_object()) {
      return absl::InvalidArgumentError(fmt::format("sample_type_config.{}: not a JSON object", it.key()));
    }
    for (const char* field : {"units", "aggregation", "display-name"}) {
      auto f = it.value().find(field);
      if (f != it.value().end() && !f->is_string() && !f->is_null()) {
        return absl::InvalidArgumentError(fmt::format("sample_type_config.{}.{}: not a string", it.key(), field));
      }
    }
    if (auto f = it.value().find("aggregation"); f != it.value().end() && f->is_string() && *f != "sum" &&
                                                  *f != "average" && *f != "") {
      return absl::InvalidArgumentError(fmt::format(
          "sample_type_config.{}.aggregation: {:?} is neither \"sum\" nor \"average\"", it.key(), f->get<std::string>()));
    }
    if (auto f = it.value().find("display-name"); f != it.value().end() && f->is_string()) {
      display_names[it.key()] = f->get<std::string>();
    }
  }
  return display_names;
}

// Multiplies every value by |factor| (sampleRate to nanoseconds).
absl::Status ScaleValues(Profile* p, int64_t factor) {
  for (int64_t& v : p->sample_values) {
    if (__builtin_mul_overflow(v, factor, &v)) {
      return absl::InvalidArgumentError(fmt::format("a sample value overflows 64 bits once scaled by {} ns", factor));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<TextProfileType> TextProfileTypeOf(std::string_view app_name) {
  TextProfileType t;
  const size_t dot = app_name.rfind('.');
  std::string suffix = "cpu";
  t.app = std::string(app_name);
  if (dot != std::string_view::npos) {
    suffix = std::string(app_name.substr(dot + 1));
    t.app = std::string(app_name.substr(0, dot));
  }
  static const std::map<std::string, TextProfileType, std::less<>> kTypes = {
      {"cpu", {"", "process_cpu", "samples", "count"}},
      {"itimer", {"", "process_cpu", "samples", "count"}},
      {"wall", {"", "wall", "samples", "count"}},
      {"inuse_objects", {"", "memory", "inuse_objects", "count"}},
      {"inuse_space", {"", "memory", "inuse_space", "bytes"}},
      {"alloc_objects", {"", "memory", "alloc_objects", "count"}},
      {"alloc_space", {"", "memory", "alloc_space", "bytes"}},
      {"goroutines", {"", "goroutine", "goroutines", "count"}},
      {"mutex_count", {"", "mutex", "contentions", "count"}},
      {"mutex_duration", {"", "mutex", "delay", "nanoseconds"}},
      {"block_count", {"", "block", "contentions", "count"}},
      {"block_duration", {"", "block", "delay", "nanoseconds"}},
      {"lock_count", {"", "block", "contentions", "count"}},
      {"lock_duration", {"", "block", "delay", "nanoseconds"}},
      {"alloc_in_new_tlab_objects", {"", "memory", "alloc_in_new_tlab_objects", "count"}},
      {"alloc_in_new_tlab_bytes", {"", "memory", "alloc_in_new_tlab_bytes", "bytes"}},
      {"alloc_outside_tlab_objects", {"", "memory", "alloc_outside_tlab_objects", "count"}},
      {"alloc_outside_tlab_bytes", {"", "memory", "alloc_outside_tlab_bytes", "bytes"}},
      {"live", {"", "memory", "live", "count"}},
      {"exceptions", {"", "exceptions", "samples", "count"}},
      {"seconds", {"", "wall", "samples", "count"}},
      {"nanoseconds", {"", "wall", "samples", "count"}},
      {"microseconds", {"", "wall", "samples", "count"}},
      {"milliseconds", {"", "wall", "samples", "count"}},
      {"bytes", {"", "memory", "samples", "bytes"}},
  };
  auto it = kTypes.find(suffix);
  if (it == kTypes.end()) {
    return absl::InvalidArgumentError(fmt::format(
        "name: unknown profile type {:?}: for text formats the suffix after the last '.' of the application name "
        "picks the type (cpu, wall, alloc_space, inuse_space, alloc_objects, inuse_objects, goroutines, "
        "mutex_count, mutex_duration, block_count, block_duration, …); no '.' means cpu",
        suffix));
  }
  const std::string app = t.app;
  t = it->second;
  t.app = app;
  return t;
}

IngestService::IngestService(storage::SegmentWriter* writer, IngestServiceOptions options, ServerMetrics* metrics)
    : writer_(writer), options_(std::move(options)), metrics_(metrics) {}

IngestOutcome IngestService::IngestLegacy(const std::string& tenant, const IngestRequest& req,
                                          const IngestBody& body) const {
  ImportOptions import_options;
  import_options.max_decompressed_bytes = options_.max_decompressed_bytes;
  const std::string& format = req.format;
  const std::string_view ct = body.content_type;
  std::vector<Decoded> decoded;

  if (format == "trie" || format == "tree" || ct.starts_with("binary/octet-stream+trie") ||
      ct.starts_with("binary/octet-stream+tree")) {
    return Fail(IngestFailure::kUnsupportedMediaType,
                absl::InvalidArgumentError(fmt::format(
                    "format {:?} (Pyroscope's legacy {} encoding) is not supported; send pprof, jfr, speedscope, "
                    "lines or collapsed stacks",
                    format.empty() ? std::string(ct) : format, format.empty() ? "binary" : format)));
  }

  if (format == "jfr") {
    std::string_view data = body.data;
    if (body.multipart) {
      const FormPart* jfr = FindPart(body, "jfr");
      if (jfr == nullptr) {
        return Fail(IngestFailure::kBadRequest,
                    absl::InvalidArgumentError("multipart form: the \"jfr\" field is required for format=jfr"));
      }
      data = jfr->content;
      if (const FormPart* labels = FindPart(body, "labels"); labels != nullptr && !labels->content.empty()) {
        // Per-sample context labels (LabelsSnapshot) need the JFR reader to
        // expose context ids; until then the samples keep the request's labels.
        Log(LogLevel::kWarn, "jfr context labels are not applied yet",
            {{"tenant", tenant}, {"app", req.name.app_name}, {"labels_bytes", std::to_string(labels->content.size())}});
      }
    }
    JfrOptions jfr_options;
    jfr_options.sample_rate_hz = req.sample_rate_given ? req.sample_rate : 0;
    auto recording = ParseJfr(data, import_options, jfr_options);
    if (!recording.ok()) return DecodeFailure(recording.status(), "jfr");
    const LabelSet labels = LegacyLabels(req, req.name.app_name, false);
    for (Profile& p : recording->profiles) {
      FixTime(&p, req.from_nanos);
      decoded.push_back({labels, {}, std::move(p)});
    }
    // An idle JVM records no samples in an upload interval: nothing to store,
    // and not an error (Pyroscope answers 200 too).
    return Write(tenant, "ingest", decoded);
  }

  if (format == "speedscope") {
    auto profiles = ParseSpeedscope(body.data, import_options);
    if (!profiles.ok()) return DecodeFailure(profiles.status(), "speedscope");
    auto type = TextProfileTypeOf(req.name.app_name);
    const std::string service = type.ok() ? type->app : req.name.app_name;
    const LabelSet labels = LegacyLabels(req, service, true);
    for (Profile& p : *profiles) {
      FixTime(&p, req.from_nanos);
      decoded.push_back({labels, {}, std::move(p)});
    }
    return Write(tenant, "ingest", decoded);
  }

  if (format == "pprof" || (format.empty() && body.multipart)) {
    std::string_view data = body.data;
    std::map<std::string, std::string> display_names;
    bool has_config = false;
    if (body.multipart) {
      const FormPart* profile = FindPart(body, "profile");
      if (profile == nullptr) {
        return Fail(IngestFailure::kBadRequest,
                    absl::InvalidArgumentError("multipart form: the \"profile\" field (a pprof file) is required"));
      }
      if (FindPart(body, "prev_profile") != nullptr) {
        return Fail(IngestFailure::kBadRequest,
                    absl::InvalidArgumentError("multipart form: \"prev_profile\" is from an unsupported client "
                                               "version; update github.com/grafana/pyroscope-go"));
      }
      data = profile->content;
      if (const FormPart* config = FindPart(body, "sample_type_config"); config != nullptr) {
        auto parsed = ParseSampleTypeConfig(config->content);
        if (!parsed.ok()) return Fail(IngestFailure::kBadRequest, parsed.status());
        display_names = *std::move(parsed);
        has_config = true;
      }
    }
    if (data.empty()) {
      // Pyroscope stores nothing for an empty profile and answers 200.
      return IngestOutcome{};
    }
    auto p = DecodedPprof::Decode(data, import_options);
    if (!p.ok()) return DecodeFailure(p.status(), "pprof");
    Profile& header = (*p)->header();
    FixTime(&header, req.from_nanos);
    // Pyroscope names a pprof by the client's display names when it sends
    // them (the Go SDK tells block from mutex profiles this way); otherwise
    // Kiln's own guess per sample type applies.
    if (has_config) header.name = MetricName(header, display_names);
    decoded.push_back({LegacyLabels(req, req.name.app_name, false), {}, Profile(), *std::move(p)});
    return Write(tenant, "ingest", decoded);
  }

  if (!format.empty() && format != "lines" && format != "groups" && format != "collapsed" && format != "folded") {
    return Fail(IngestFailure::kUnsupportedMediaType,
                absl::InvalidArgumentError(fmt::format(
                    "format {:?} is not supported; use pprof, jfr, speedscope, lines, or leave it out for "
                    "collapsed stacks",
                    format)));
  }
  if (body.multipart) {
    return Fail(IngestFailure::kBadRequest,
                absl::InvalidArgumentError(fmt::format("format {} expects the stacks as the request body, not a "
                                                       "multipart form",
                                                       format)));
  }
  // Text formats: the application name's suffix picks the profile type.
  auto type = TextProfileTypeOf(req.name.app_name);
  if (!type.ok()) return Fail(IngestFailure::kBadRequest, type.status());
  std::string text;
  std::string_view data = body.data;
  if (format == "lines") {
    // One stack per line, each counting once.
    size_t pos = 0;
    while (pos < data.size()) {
      size_t eol = data.find('\n', pos);
      if (eol == std::string_view::npos) eol = data.size();
      std::string_view line = data.substr(pos, eol - pos);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!line.empty()) {
        text.append(line);
        text.append(" 1\n");
      }
      pos = eol + 1;
    }
    data = text;
  }
  if (data.empty()) return IngestOutcome{};
  auto p = ParseCollapsed(data, import_options);
  const char* what = format == "lines" ? "lines" : "collapsed stacks";
  if (!p.ok()) return DecodeFailure(p.status(), what);
  // The format skips lines it cannot read; a body that is mostly not
  // stacks is not a profile with a few bad lines but something else.
  int64_t lines = 0;
  for (size_t pos = 0; pos < data.size();) {
    size_t eol = data.find('\n', pos);
    if (eol == std::string_view::npos) eol = data.size();
    if (data.substr(pos, eol - pos).find_first_not_of(" \t\r") != std::string_view::npos) ++lines;
    pos = eol + 1;
  }
  const int64_t skipped = p->stats.Get(ImportStat::records_skipped);
  if (skipped * 2 > lines) {
    return Fail(IngestFailure::kInvalidProfile,
                absl::InvalidArgumentError(fmt::format(
                    "{}: {} of {} lines are not \"frame;frame;... count\" lines ({})", what, skipped, lines,
                    p->stats.notes().empty() ? std::string("no details") : p->stats.notes().front())));
  }
  p->name = type->name;
  p->sample_types = {{type->sample_type, type->sample_unit}};
  if (req.sample_rate != 0 && (type->name == "process_cpu" || type->name == "wall")) {
    // Pyroscope's conversion: counts at sampleRate Hz become nanoseconds.
    const int64_t period = 1000000000 / static_cast<int64_t>(req.sample_rate);
    p->period = period;
    p->period_type = {"cpu", "nanoseconds"};
    p->sample_types = {{type->name == "wall" ? "wall" : "cpu", "nanoseconds"}};
    if (absl::Status s = ScaleValues(&*p, period); !s.ok()) return Fail(IngestFailure::kInvalidProfile, s);
  }
  p->time_nanos = req.from_nanos;
  p->duration_nanos = req.until_nanos - req.from_nanos;
  decoded.push_back({LegacyLabels(req, type->app, true), {}, *std::move(p)});
  return Write(tenant, "ingest", decoded);
}

IngestOutcome IngestService::Push(const std::string& tenant, const push::v1::PushRequest& request) const {
  ImportOptions import_options;
  import_options.max_decompressed_bytes = options_.max_decompressed_bytes;
  std::vector<Decoded> decoded;
  for (int s = 0; s < request.series_size(); ++s) {
    const push::v1::RawProfileSeries& series = request.series(s);
    std::vector<LabelSet::Pair> pairs;
    std::string name;
    for (int l = 0; l < series.labels_size(); ++l) {
      const types::v1::LabelPair& label = series.labels(l);
      if (absl::Status st = CheckLabel(label.name(), label.value()); !st.ok()) {
        return Fail(IngestFailure::kBadRequest,
                    absl::InvalidArgumentError(fmt::format("series[{}].labels[{}]: {}", s, l, st.message())));
      }
      if (label.name() == "__name__") {
        name = label.value();
        continue;
      }
      // Set by the appender from the profile itself.
      if (label.name() == "__profile_type__" || label.name() == "__type__" || label.name() == "__unit__" ||
          label.name() == "__period_type__" || label.name() == "__period_unit__") {
        continue;
      }
      pairs.emplace_back(label.name(), label.value());
    }
    LabelSet labels(std::move(pairs));
    // As Pyroscope's distributor does.
    if (!labels.Has("service_name")) labels.Set("service_name", "unknown_service");
    for (int i = 0; i < series.samples_size(); ++i) {
      const push::v1::RawSample& sample = series.samples(i);
      const std::string where = fmt::format("series[{}].samples[{}]", s, i);
      storage::ProfileId id{};
      if (!sample.id().empty() && !storage::ParseProfileId(sample.id(), &id)) {
        return Fail(IngestFailure::kBadRequest,
                    absl::InvalidArgumentError(fmt::format("{}.ID: {:?} is not a UUID", where, sample.id())));
      }
      if (sample.raw_profile().empty()) {
        return Fail(IngestFailure::kInvalidProfile,
                    absl::InvalidArgumentError(fmt::format("{}.rawProfile: empty (expected a pprof profile)", where)));
      }
      auto p = DecodedPprof::Decode(sample.raw_profile(), import_options);
      if (!p.ok()) return DecodeFailure(p.status(), fmt::format("{}.rawProfile: pprof", where));
      if (!name.empty()) (*p)->header().name = name;
      decoded.push_back({labels, id, Profile(), *std::move(p)});
    }
  }
  return Write(tenant, "push", decoded);
}

IngestOutcome IngestService::ExportOtlp(const std::string& tenant, std::string_view request) const {
  ImportOptions import_options;
  import_options.max_decompressed_bytes = options_.max_decompressed_bytes;
  auto profiles = ParseOtlpProfiles(request, import_options);
  if (!profiles.ok()) return DecodeFailure(profiles.status(), "OTLP ExportProfilesServiceRequest");
  std::vector<Decoded> decoded;
  decoded.reserve(profiles->size());
  for (size_t i = 0; i < profiles->size(); ++i) {
    Profile& p = (*profiles)[i];
    std::vector<LabelSet::Pair> pairs;
    for (const auto& [name, value] : p.labels) {
      if (absl::Status st = CheckLabel(name, value); !st.ok()) {
        return Fail(IngestFailure::kBadRequest,
                    absl::InvalidArgumentError(fmt::format("profile {} (resource attribute {:?}): {}", i, name,
                                                           st.message())));
      }
      pairs.emplace_back(name, value);
    }
    decoded.push_back({LabelSet(std::move(pairs)), {}, std::move(p)});
  }
  return Write(tenant, "otlp", decoded);
}

IngestOutcome IngestService::Write(const std::string& tenant, std::string_view endpoint,
                                   std::vector<Decoded>& decoded) const {
  IngestOutcome out;
  if (decoded.empty()) return out;
  std::vector<storage::IngestedProfile> in;
  in.reserve(decoded.size());
  for (size_t i = 0; i < decoded.size(); ++i) {
    const Decoded& d = decoded[i];
    // The writer's own checks, made first for every profile so that a
    // request is stored whole or not at all.
    if (absl::Status s = storage::ValidateSeriesLabels(d.labels, options_.limits); !s.ok()) {
      return Fail(IngestFailure::kLimits, s);
    }
    if (options_.limits.max_samples_per_profile && d.header().num_samples() > options_.limits.max_samples_per_profile) {
      return Fail(IngestFailure::kLimits,
                  absl::InvalidArgumentError(fmt::format("profile {} of the request has {} samples; the limit is {}",
                                                         i, d.header().num_samples(),
                                                         options_.limits.max_samples_per_profile)));
    }
    in.push_back({d.labels, d.id, &d.header(), d.pprof.get()});
  }
  const auto t0 = std::chrono::steady_clock::now();
  auto written = writer_->Write(tenant, in);
  metrics_->ObserveWriteWait(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  if (!written.ok()) {
    const absl::StatusCode code = written.status().code();
    const IngestFailure f = code == absl::StatusCode::kInvalidArgument      ? IngestFailure::kLimits
                            : code == absl::StatusCode::kResourceExhausted ? IngestFailure::kTooManySeries
                                                                            : IngestFailure::kStorage;
    if (f == IngestFailure::kStorage) {
      Log(LogLevel::kError, "segment write failed", {{"tenant", tenant}, {"err", std::string(written.status().message())}});
    }
    return Fail(f, written.status());
  }
  out.profiles = static_cast<uint32_t>(decoded.size());
  out.rows = written->rows;
  for (const Decoded& d : decoded) {
    const std::string notes = d.header().stats.ToString();
    if (notes.empty()) continue;
    if (!out.import_notes.empty()) out.import_notes += "\n";
    out.import_notes += notes;
  }
  metrics_->AddIngestedProfiles(endpoint, decoded.size());
  return out;
}

}  // namespace kiln::server
