#include "server/daemon/http_front_door.h"

#include <httplib.h>

#include <chrono>
#include <cmath>
#include <exception>

#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/base/gzip.h"
#include "nlohmann/json.hpp"
#include "opentelemetry/proto/collector/profiles/v1development/profiles_service.pb.h"
#include "server/daemon/structured_log.h"
#include "server/daemon/tenant.h"
#include "server/daemon/utf8.h"

namespace kiln::server {
namespace {

// cpp-httplib undoes Content-Encoding itself while reading a body, without
// a bound on the output and without noticing a truncated stream. The
// pre-routing hook moves the header here so bodies reach us as sent.
constexpr const char* kOriginalEncodingHeader = "X-Kiln-Original-Content-Encoding";

constexpr const char* kPushPath = "/push.v1.PusherService/Push";
// OTLP profiles: the gRPC method's path (served as a Connect procedure) and
// OTLP/HTTP's path.
constexpr const char* kOtlpExportPath =
    "/opentelemetry.proto.collector.profiles.v1development.ProfilesService/Export";
constexpr const char* kOtlpHttpPath = "/v1development/profiles";
using OtlpExportRequest = opentelemetry::proto::collector::profiles::v1development::ExportProfilesServiceRequest;
using OtlpExportResponse = opentelemetry::proto::collector::profiles::v1development::ExportProfilesServiceResponse;

// A request body as read: raw bytes or multipart parts.
struct Body {
  bool ok = true;
  int status = 200;       // when !ok: 400 or 413
  std::string error;      // when !ok
  bool aborted = false;   // we stopped reading: the connection must close
  bool multipart = false;
  size_t bytes = 0;  // read, before any decoding
  std::string data;
  std::vector<FormPart> parts;
};

Body ReadBody(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader,
              size_t max_bytes) {
  Body body;
  size_t total = 0;
  bool too_large = false;
  auto count = [&](size_t n) {
    total += n;
    if (total > max_bytes) too_large = true;
    return !too_large;
  };
  bool read_ok;
  if (req.is_multipart_form_data()) {
    body.multipart = true;
    read_ok = reader(
        [&](const httplib::MultipartFormData& part) {
          body.parts.push_back({part.name, part.filename, part.content_type, {}});
          return body.parts.size() <= 64;
        },
        [&](const char* data, size_t n) {
          if (!count(n) || body.parts.empty()) return false;
          body.parts.back().content.append(data, n);
          return true;
        });
    if (!read_ok && body.parts.size() > 64) {
      body.ok = false;
      body.aborted = true;
      body.status = 400;
      body.error = "multipart form: more than 64 parts";
      return body;
    }
  } else {
    read_ok = reader([&](const char* data, size_t n) {
      if (!count(n)) return false;
      body.data.append(data, n);
      return true;
    });
  }
  body.bytes = total;
  if (read_ok) return body;
  body.ok = false;
  if (too_large || res.status == 413) {
    body.status = 413;
    body.aborted = too_large;  // httplib skips an over-long Content-Length body itself
    body.error = fmt::format("request body is larger than the limit of {} bytes (--max-body-bytes)", max_bytes);
  } else {
    body.status = 400;
    body.aborted = true;
    body.error = body.multipart ? "could not read the multipart/form-data body (malformed, or the boundary is missing)"
                                : "could not read the request body (connection closed or malformed chunked encoding)";
  }
  return body;
}

// Undoes the request's Content-Encoding. The status is 400 for corrupt or
// truncated gzip, 413 past the decompressed limit, 415 for an encoding
// Kiln does not read.
struct Decoded {
  absl::Status status;
  int http_status = 200;
};

Decoded DecodeContentEncoding(std::string_view encoding, std::string* data, size_t max_decompressed) {
  if (encoding.empty() || encoding == "identity") return {};
  if (encoding != "gzip" && encoding != "x-gzip") {
    return {absl::UnimplementedError(fmt::format(
                "Content-Encoding {:?} is not supported; send gzip or no encoding", std::string(encoding))),
            415};
  }
  auto plain = Gunzip(*data, max_decompressed);
  if (!plain.ok()) {
    if (plain.status().code() == absl::StatusCode::kResourceExhausted) {
      return {absl::ResourceExhaustedError(
                  fmt::format("the gzip-encoded body decompresses to more than {} bytes (--max-decompressed-bytes)",
                              max_decompressed)),
              413};
    }
    std::string_view why(plain.status().message().data(), plain.status().message().size());
    if (why.starts_with("gzip: ")) why.remove_prefix(6);
    return {absl::InvalidArgumentError(fmt::format("Content-Encoding gzip: {} (truncated or corrupt body)", why)),
            400};
  }
  *data = *std::move(plain);
  return {};
}

std::string EncodingOf(const httplib::Request& req) {
  std::string e = req.get_header_value(kOriginalEncodingHeader);
  // Connect's streaming header, accepted on unary calls too.
  if (e.empty()) e = req.get_header_value("Connect-Content-Encoding");
  for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!e.empty() && e.back() == ' ') e.pop_back();
  return e;
}

void PlainError(httplib::Response& res, int status, std::string_view message, bool close = false) {
  res.status = status;
  res.set_content(std::string(message) + "\n", "text/plain; charset=utf-8");
  if (close) res.set_header("Connection", "close");
}

void ConnectError(httplib::Response& res, const absl::Status& status, int http_status = 0, bool close = false) {
  res.status = http_status ? http_status : ConnectHttpStatus(status.code());
  res.set_content(ConnectErrorBody(status), "application/json");
  if (close) res.set_header("Connection", "close");
}

// Connect codes for ingest failures of push.v1.
absl::StatusCode PushCode(IngestFailure f) {
  switch (f) {
    case IngestFailure::kTooLarge:
    case IngestFailure::kTooManySeries: return absl::StatusCode::kResourceExhausted;
    case IngestFailure::kStorage: return absl::StatusCode::kUnavailable;
    default: return absl::StatusCode::kInvalidArgument;
  }
}

// HTTP statuses of /ingest failures (Pyroscope's: 400 bad metadata or
// profile, 413 too large, 415 unsupported format, 422 rejected by a
// limit, 429 over the tenant's series limit, 503 storage failure).
int IngestStatus(IngestFailure f) {
  switch (f) {
    case IngestFailure::kNone: return 200;
    case IngestFailure::kBadRequest:
    case IngestFailure::kInvalidProfile: return 400;
    case IngestFailure::kUnsupportedMediaType: return 415;
    case IngestFailure::kTooLarge: return 413;
    case IngestFailure::kLimits: return 422;
    case IngestFailure::kTooManySeries: return 429;
    case IngestFailure::kStorage: return 503;
  }
  return 500;
}

// A bounded set of route names for the metrics' labels.
std::string_view RouteLabel(std::string_view path) {
  static const char* kRoutes[] = {"/ingest",          "/pyroscope/ingest",         kOtlpHttpPath,
                                  "/pyroscope/render", "/pyroscope/render-diff",    "/pyroscope/label-values",
                                  "/ready",            "/metrics",                  "/api/v1/status/buildinfo",
                                  "/"};
  for (const char* r : kRoutes) {
    if (path == r) return r;
  }
  return {};
}

std::string_view Msg(const absl::Status& s) { return {s.message().data(), s.message().size()}; }

// The metrics reason of a request whose tenant could not be established.
std::string_view TenantRejectReason(const absl::Status& s) {
  return s.code() == absl::StatusCode::kInvalidArgument ? "bad_request" : "unauthorized";
}

int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

HttpFrontDoor::HttpFrontDoor(const IngestService* ingest, const QuerierService* querier, ServerMetrics* metrics,
                             std::function<bool()> ready, std::function<std::vector<GaugeSample>()> gauges,
                             FrontDoorOptions options)
    : ingest_(ingest),
      querier_(querier),
      render_(querier, NowNanos),
      auth_(options.auth),
      rate_limiter_(options.ingest_rate_bytes_per_second, options.ingest_burst_bytes),
      query_gate_(options.max_concurrent_queries),
      metrics_(metrics),
      ready_(std::move(ready)),
      gauges_(std::move(gauges)),
      options_(std::move(options)) {
  procedures_[kPushPath] = [this](const std::string& tenant, ConnectCodec codec,
                                  std::string_view body) -> absl::StatusOr<std::string> {
    if (absl::Status s = AdmitIngest(tenant, body.size(), "push"); !s.ok()) return s;
    push::v1::PushRequest req;
    if (absl::Status s = DecodeMessage(codec, body, &req); !s.ok()) {
      metrics_->AddRejected("push", "bad_request");
      return s;
    }
    const IngestOutcome outcome = ingest_->Push(tenant, req);
    if (!outcome.status.ok()) {
      metrics_->AddRejected("push", IngestFailureReason(outcome.failure));
      Log(LogLevel::kWarn, "push rejected",
          {{"tenant", tenant}, {"reason", std::string(IngestFailureReason(outcome.failure))},
           {"err", std::string(outcome.status.message())}});
      return absl::Status(PushCode(outcome.failure), outcome.status.message());
    }
    return EncodeMessage(codec, push::v1::PushResponse());
  };
  procedures_[kOtlpExportPath] = [this](const std::string& tenant, ConnectCodec codec,
                                       std::string_view body) -> absl::StatusOr<std::string> {
    // The importer reads the binary message; JSON is converted to it first.
    std::string binary;
    if (codec != ConnectCodec::kProto) {
      OtlpExportRequest req;
      if (absl::Status s = DecodeMessage(codec, body, &req); !s.ok()) {
        metrics_->AddRejected("otlp", "bad_request");
        return s;
      }
      binary = req.SerializeAsString();
      body = binary;
    }
    if (absl::Status s = ExportOtlp(tenant, body); !s.ok()) return s;
    return EncodeMessage(codec, OtlpExportResponse());
  };
  const std::string kQuerier = "querier.v1.QuerierService";
  AddQuery(kQuerier, "ProfileTypes", &QuerierService::ProfileTypes);
  AddQuery(kQuerier, "LabelNames", &QuerierService::LabelNames);
  AddQuery(kQuerier, "LabelValues", &QuerierService::LabelValues);
  AddQuery(kQuerier, "Series", &QuerierService::Series);
  AddQuery(kQuerier, "SelectMergeStacktraces", &QuerierService::SelectMergeStacktraces);
  AddQuery(kQuerier, "SelectMergeSpanProfile", &QuerierService::SelectMergeSpanProfile);
  AddQuery(kQuerier, "SelectMergeProfile", &QuerierService::SelectMergeProfile);
  AddQuery(kQuerier, "SelectSeries", &QuerierService::SelectSeries);
  AddQuery(kQuerier, "SelectHeatmap", &QuerierService::SelectHeatmap);
  AddQuery(kQuerier, "Diff", &QuerierService::Diff);
  AddQuery(kQuerier, "GetProfileStats", &QuerierService::GetProfileStats);
  AddQuery(kQuerier, "AnalyzeQuery", &QuerierService::AnalyzeQuery);
  AddQuery("kiln.profiles.v1.ProfilesService", "SelectProfiles", &QuerierService::SelectProfiles);
  AddQuery("kiln.profiles.v1.ProfilesService", "SelectFunctionSeries", &QuerierService::SelectFunctionSeries);
}

absl::StatusOr<std::string> HttpFrontDoor::TenantOf(const httplib::Request& req) const {
  return auth_.TenantOf(req.get_header_value("Authorization"), req.get_header_value(std::string(kTenantHeader)));
}

absl::Status HttpFrontDoor::ExportOtlpAuthorized(std::string_view authorization, std::string_view tenant_header,
                                                 std::string_view request) const {
  auto tenant = auth_.TenantOf(authorization, tenant_header);
  if (!tenant.ok()) {
    metrics_->AddRejected("otlp", TenantRejectReason(tenant.status()));
    return tenant.status();
  }
  return ExportOtlp(*tenant, request);
}

absl::Status HttpFrontDoor::AdmitIngest(const std::string& tenant, size_t bytes, std::string_view endpoint) const {
  const TenantRateLimiter::Decision d = rate_limiter_.Admit(tenant, bytes, NowNanos());
  if (d.admitted) return absl::OkStatus();
  metrics_->AddRejected(endpoint, "rate_limited");
  return RateLimited(tenant, d);
}

absl::Status HttpFrontDoor::RateLimited(const std::string& tenant, const TenantRateLimiter::Decision& d) const {
  return absl::ResourceExhaustedError(
      fmt::format("tenant {:?} is over its ingest rate of {:.0f} bytes/s; retry in {:.1f} s", tenant,
                  options_.ingest_rate_bytes_per_second, d.retry_after_seconds));
}

absl::Status HttpFrontDoor::ExportOtlp(const std::string& tenant, std::string_view request) const {
  if (absl::Status s = AdmitIngest(tenant, request.size(), "otlp"); !s.ok()) return s;
  const IngestOutcome outcome = ingest_->ExportOtlp(tenant, request);
  if (outcome.status.ok()) return absl::OkStatus();
  metrics_->AddRejected("otlp", IngestFailureReason(outcome.failure));
  Log(LogLevel::kWarn, "OTLP export rejected",
      {{"tenant", tenant}, {"reason", std::string(IngestFailureReason(outcome.failure))},
       {"err", std::string(outcome.status.message())}});
  return absl::Status(PushCode(outcome.failure), outcome.status.message());
}

template <typename Req, typename Resp>
void HttpFrontDoor::AddQuery(const std::string& service, const std::string& method,
                             absl::StatusOr<Resp> (QuerierService::*fn)(const std::string&, const Req&) const) {
  procedures_["/" + service + "/" + method] =
      [this, fn, method](const std::string& tenant, ConnectCodec codec,
                         std::string_view body) -> absl::StatusOr<std::string> {
    Req req;
    if (absl::Status s = DecodeMessage(codec, body, &req); !s.ok()) return s;
    const auto t0 = std::chrono::steady_clock::now();
    absl::StatusOr<Resp> resp = [&] {
      QueryGate::Pass pass = query_gate_.Enter();
      return (querier_->*fn)(tenant, req);
    }();
    // Profiles keep the bytes they were sent with; the wire needs UTF-8.
    if (resp.ok()) ReplaceInvalidUtf8InMessage(&*resp);
    metrics_->ObserveQuery(method, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(),
                           resp.ok());
    if (!resp.ok()) {
      Log(LogLevel::kInfo, "query failed",
          {{"tenant", tenant}, {"method", method}, {"code", std::string(ConnectCodeName(resp.status().code()))},
           {"err", std::string(resp.status().message())}});
      return resp.status();
    }
    return EncodeMessage(codec, *resp);
  };
}

std::vector<std::string> HttpFrontDoor::Procedures() const {
  std::vector<std::string> out;
  for (const auto& [path, p] : procedures_) out.push_back(path);
  return out;
}

void HttpFrontDoor::Install(httplib::Server* server) {
  server->set_payload_max_length(options_.max_body_bytes);

  server->set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
    // Legal: every Request cpp-httplib hands to handlers is a non-const
    // object it owns; the pre-routing hook runs before any body is read.
    auto& headers = const_cast<httplib::Request&>(req).headers;
    auto it = headers.find("Content-Encoding");
    if (it != headers.end()) {
      std::string value = it->second;
      headers.erase(it);
      headers.emplace(kOriginalEncodingHeader, std::move(value));
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  // Refuse an announced oversized body before the client sends it.
  server->set_expect_100_continue_handler([this](const httplib::Request& req, httplib::Response& res) {
    const uint64_t length = req.get_header_value<uint64_t>("Content-Length");
    if (length > options_.max_body_bytes) {
      const bool ingest = req.path == "/ingest" || req.path == "/pyroscope/ingest";
      if (ingest || req.path == kPushPath) metrics_->AddRejected(ingest ? "ingest" : "push", "body_too_large");
      Log(LogLevel::kWarn, "request refused before its body was sent",
          {{"path", req.path}, {"status", "413"}, {"content_length", std::to_string(length)}});
      PlainError(res, 413,
                 fmt::format("request body of {} bytes is larger than the limit of {} bytes (--max-body-bytes)",
                             length, options_.max_body_bytes));
      return 413;
    }
    return 100;
  });

  server->set_post_routing_handler([this](const httplib::Request& req, const httplib::Response& res) {
    std::string_view route = RouteLabel(req.path);
    if (route.empty()) route = procedures_.count(req.path) ? std::string_view(req.path) : "other";
    metrics_->AddHttpRequest(route, res.status);
  });

  server->set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    if (res.status == 404) {
      res.set_content(fmt::format("404 page not found: {} (see docs/api.md for Kiln's endpoints)\n", req.path),
                      "text/plain; charset=utf-8");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  }));

  server->set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    Log(LogLevel::kError, "request failed with an exception", {{"path", req.path}, {"err", what}});
    PlainError(res, 500, "internal error: " + what, true);
  });

  auto ingest = [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
    const int64_t now = NowNanos();
    auto reject = [&](int status, std::string_view reason, std::string_view message, bool close = false) {
      metrics_->AddRejected("ingest", reason);
      Log(LogLevel::kWarn, "ingest rejected",
          {{"path", req.path}, {"status", std::to_string(status)}, {"reason", std::string(reason)},
           {"err", std::string(message)}});
      PlainError(res, status, message, close);
    };
    auto tenant = TenantOf(req);
    if (!tenant.ok()) {
      return reject(ConnectHttpStatus(tenant.status().code()),
                    TenantRejectReason(tenant.status()),
                    Msg(tenant.status()));
    }
    auto request = ParseIngestRequest(req.params, now);
    // The body is read even when the parameters are wrong, so that the
    // connection stays usable; the parameter error is reported first.
    const std::string encoding = EncodingOf(req);
    if (!encoding.empty() && req.is_multipart_form_data()) {
      return reject(415, "unsupported_media_type",
                    "Content-Encoding on a multipart/form-data body is not supported; gzip the form's files instead",
                    true);
    }
    Body body = ReadBody(req, res, reader, options_.max_body_bytes);
    metrics_->AddReceivedBytes("ingest", body.bytes);
    if (!request.ok()) return reject(400, "bad_request", Msg(request.status()), body.aborted);
    if (!body.ok) {
      return reject(body.status, body.status == 413 ? "body_too_large" : "bad_request", body.error, body.aborted);
    }
    // Admission is by the bytes received, before any decoding work.
    if (const TenantRateLimiter::Decision d = rate_limiter_.Admit(*tenant, body.bytes, now); !d.admitted) {
      res.set_header("Retry-After", std::to_string(static_cast<int64_t>(std::ceil(d.retry_after_seconds))));
      return reject(429, "rate_limited", Msg(RateLimited(*tenant, d)));
    }
    if (Decoded d = DecodeContentEncoding(encoding, &body.data, options_.max_decompressed_bytes); !d.status.ok()) {
      return reject(d.http_status,
                    d.http_status == 413   ? "decompressed_too_large"
                    : d.http_status == 415 ? "unsupported_media_type"
                                           : "bad_request",
                    Msg(d.status));
    }
    IngestBody ingest_body;
    ingest_body.content_type = req.get_header_value("Content-Type");
    ingest_body.multipart = body.multipart;
    ingest_body.data = std::move(body.data);
    ingest_body.parts = std::move(body.parts);
    const IngestOutcome outcome = ingest_->IngestLegacy(*tenant, *request, ingest_body);
    if (!outcome.status.ok()) {
      return reject(IngestStatus(outcome.failure), IngestFailureReason(outcome.failure), Msg(outcome.status));
    }
    res.status = 200;
    if (!outcome.import_notes.empty()) {
      // Stored, but the importer skipped or repaired something: say what.
      Log(LogLevel::kWarn, "ingested with import notes",
          {{"tenant", *tenant}, {"app", request->name.app_name}, {"notes", outcome.import_notes}});
      res.set_content(outcome.import_notes + "\n", "text/plain; charset=utf-8");
    } else {
      Log(LogLevel::kDebug, "ingested",
          {{"tenant", *tenant}, {"app", request->name.app_name}, {"profiles", std::to_string(outcome.profiles)}});
    }
  };
  server->Post("/ingest", ingest);
  server->Post("/pyroscope/ingest", ingest);

  // Pyroscope's legacy read API (render_service.h): JSON answers, plain-text
  // errors with the status of the query's failure.
  using RenderFn = absl::StatusOr<std::string> (RenderService::*)(const std::string&, const RenderParams&) const;
  auto render = [this](RenderFn fn, const char* method) {
    return [this, fn, method](const httplib::Request& req, httplib::Response& res) {
      auto tenant = TenantOf(req);
      if (!tenant.ok()) return PlainError(res, ConnectHttpStatus(tenant.status().code()), Msg(tenant.status()));
      const auto t0 = std::chrono::steady_clock::now();
      RenderParams params(req.params.begin(), req.params.end());
      absl::StatusOr<std::string> body = [&] {
        QueryGate::Pass pass = query_gate_.Enter();
        return (render_.*fn)(*tenant, params);
      }();
      metrics_->ObserveQuery(method, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(),
                             body.ok());
      if (!body.ok()) return PlainError(res, ConnectHttpStatus(body.status().code()), Msg(body.status()));
      res.status = 200;
      res.set_content(*std::move(body), "application/json");
    };
  };
  server->Get("/pyroscope/render", render(&RenderService::Render, "render"));
  server->Get("/pyroscope/render-diff", render(&RenderService::RenderDiff, "render-diff"));
  server->Get("/pyroscope/label-values", render(&RenderService::LabelValues, "label-values"));

  // OTLP/HTTP: a binary (application/x-protobuf) or JSON
  // ExportProfilesServiceRequest; the answer is an
  // ExportProfilesServiceResponse in the same encoding.
  server->Post(kOtlpHttpPath, [this](const httplib::Request& req, httplib::Response& res,
                                     const httplib::ContentReader& reader) {
    auto reject = [&](int status, std::string_view reason, std::string_view message, bool close = false) {
      metrics_->AddRejected("otlp", reason);
      PlainError(res, status, message, close);
    };
    const std::string content_type = req.get_header_value("Content-Type");
    const bool json = content_type.starts_with("application/json");
    Body body = ReadBody(req, res, reader, options_.max_body_bytes);
    metrics_->AddReceivedBytes("otlp", body.bytes);
    if (!json && !content_type.starts_with("application/x-protobuf") &&
        !content_type.starts_with("application/protobuf")) {
      return reject(415, "unsupported_media_type",
                    fmt::format("Content-Type {:?} is not OTLP/HTTP; use application/x-protobuf or application/json",
                                content_type),
                    body.aborted);
    }
    if (!body.ok) {
      return reject(body.status, body.status == 413 ? "body_too_large" : "bad_request", body.error, body.aborted);
    }
    if (Decoded d = DecodeContentEncoding(EncodingOf(req), &body.data, options_.max_decompressed_bytes);
        !d.status.ok()) {
      return reject(d.http_status, d.http_status == 413 ? "decompressed_too_large" : "bad_request",
                    Msg(d.status));
    }
    auto tenant = TenantOf(req);
    if (!tenant.ok()) {
      return reject(ConnectHttpStatus(tenant.status().code()),
                    TenantRejectReason(tenant.status()),
                    Msg(tenant.status()));
    }
    if (json) {
      OtlpExportRequest request;
      if (absl::Status s = DecodeMessage(ConnectCodec::kJson, body.data, &request); !s.ok()) {
        return reject(400, "bad_request", Msg(s));
      }
      body.data = request.SerializeAsString();
    }
    if (absl::Status s = ExportOtlp(*tenant, body.data); !s.ok()) {
      PlainError(res, ConnectHttpStatus(s.code()), Msg(s));
      return;
    }
    const std::string answer =
        json ? *EncodeMessage(ConnectCodec::kJson, OtlpExportResponse()) : OtlpExportResponse().SerializeAsString();
    res.status = 200;
    res.set_content(answer, json ? "application/json" : "application/x-protobuf");
  });

  // Connect procedures: /<package>.<Service>/<Method>.
  const std::string procedure_pattern = R"(/[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+/[A-Za-z_][A-Za-z0-9_]*)";
  server->Post(procedure_pattern, [this](const httplib::Request& req, httplib::Response& res,
                                         const httplib::ContentReader& reader) {
    // Ingest procedures are counted under their own endpoint in the metrics.
    const char* ingest_endpoint = req.path == kPushPath        ? "push"
                                  : req.path == kOtlpExportPath ? "otlp"
                                                                : nullptr;
    auto fail = [&](const absl::Status& status, int http_status = 0, bool close = false,
                    std::string_view reason = "bad_request") {
      if (ingest_endpoint != nullptr) metrics_->AddRejected(ingest_endpoint, reason);
      ConnectError(res, status, http_status, close);
    };
    auto it = procedures_.find(req.path);
    const std::string encoding = EncodingOf(req);
    Body body = ReadBody(req, res, reader, options_.max_body_bytes);
    if (ingest_endpoint != nullptr) metrics_->AddReceivedBytes(ingest_endpoint, body.bytes);
    if (it == procedures_.end()) {
      return fail(absl::UnimplementedError(fmt::format("unknown procedure {}; Kiln serves push.v1.PusherService/Push, "
                                                       "querier.v1.QuerierService/* and OTLP's ProfilesService/Export",
                                                       req.path)),
                  404, body.aborted);
    }
    const std::string content_type = req.get_header_value("Content-Type");
    const std::optional<ConnectCodec> codec = CodecFromContentType(content_type);
    if (!codec) {
      res.set_header("Accept-Post", "application/json, application/proto");
      return fail(absl::InvalidArgumentError(fmt::format(
                      "Content-Type {:?} is not a Connect unary codec; use application/proto or application/json",
                      content_type)),
                  415, body.aborted, "unsupported_media_type");
    }
    if (const std::string v = req.get_header_value("Connect-Protocol-Version"); !v.empty() && v != "1") {
      return fail(absl::InvalidArgumentError(fmt::format("Connect-Protocol-Version {:?} is not supported; use 1", v)),
                  0, body.aborted);
    }
    if (!body.ok) {
      // Connect's code for a message over the size limit.
      return fail(body.status == 413 ? absl::ResourceExhaustedError(body.error) : absl::InvalidArgumentError(body.error),
                  0, body.aborted, body.status == 413 ? "body_too_large" : "bad_request");
    }
    if (body.multipart) {
      return fail(absl::InvalidArgumentError("a Connect request body is a message, not a multipart form"));
    }
    if (Decoded d = DecodeContentEncoding(encoding, &body.data, options_.max_decompressed_bytes); !d.status.ok()) {
      return fail(d.status, 0, false,
                  d.http_status == 413   ? "decompressed_too_large"
                  : d.http_status == 415 ? "unsupported_media_type"
                                         : "bad_request");
    }
    auto tenant = TenantOf(req);
    if (!tenant.ok()) return fail(tenant.status());
    absl::StatusOr<std::string> out = it->second(*tenant, *codec, body.data);
    if (!out.ok()) {
      ConnectError(res, out.status());
      return;
    }
    res.status = 200;
    res.set_content(*std::move(out), std::string(ContentTypeOf(*codec)).c_str());
  });
  // connect-go answers other methods on a procedure with 405.
  server->Get(procedure_pattern, [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Allow", "POST");
    ConnectError(res, absl::UnimplementedError("Connect unary procedures are called with POST"), 405);
  });

  server->Get("/ready", [this](const httplib::Request&, httplib::Response& res) {
    if (ready_ && ready_()) {
      res.set_content("ready\n", "text/plain; charset=utf-8");
    } else {
      PlainError(res, 503, "not ready");
    }
  });
  server->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics_->Render(gauges_ ? gauges_() : std::vector<GaugeSample>{}),
                    "text/plain; version=0.0.4; charset=utf-8");
  });
  server->Get("/api/v1/status/buildinfo", [this](const httplib::Request&, httplib::Response& res) {
    // Prometheus' (and Pyroscope's) buildinfo shape.
    nlohmann::json j = {{"status", "success"},
                        {"data",
                         {{"version", options_.version},
                          {"revision", ""},
                          {"branch", ""},
                          {"buildUser", ""},
                          {"buildDate", ""},
                          {"goVersion", ""}}}};
    res.set_content(j.dump() + "\n", "application/json");
  });
  server->Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(
        "kiln server: a Pyroscope-compatible profiling database.\n"
        "Send profiles to POST /ingest or /push.v1.PusherService/Push; query /querier.v1.QuerierService/*.\n"
        "Endpoints and examples: docs/api.md.\n",
        "text/plain; charset=utf-8");
  });
}

}  // namespace kiln::server
