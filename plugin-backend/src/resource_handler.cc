#include "plugin-backend/src/resource_handler.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_split.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/base/gzip.h"
#include "kiln/model/profile_type.h"

namespace kiln::plugin {
namespace {

using Json = nlohmann::json;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::map<std::string, std::string> QueryParams(const std::string& url) {
  std::map<std::string, std::string> out;
  const size_t q = url.find('?');
  if (q == std::string::npos) return out;
  for (absl::string_view part : absl::StrSplit(url.substr(q + 1), '&')) {
    const std::string_view pair(part.data(), part.size());
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    out[PercentDecode(pair.substr(0, eq))] = eq == std::string_view::npos ? "" : PercentDecode(pair.substr(eq + 1));
  }
  return out;
}

ResourceResponse Ok(const Json& body) {
  return {200, "application/json", body.dump(-1, ' ', false, Json::error_handler_t::replace), {}};
}

ResourceResponse FromStatus(const absl::Status& s) { return ResourceError(HttpStatusOf(s), std::string(s.message())); }

}  // namespace

ResourceResponse ResourceError(int status, const std::string& message) {
  return {status, "application/json", Json({{"error", message}}).dump(-1, ' ', false, Json::error_handler_t::replace), {}};
}

int HttpStatusOf(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange: return 400;
    case absl::StatusCode::kResourceExhausted: return 422;
    case absl::StatusCode::kNotFound: return 404;
    case absl::StatusCode::kUnauthenticated: return 401;
    case absl::StatusCode::kPermissionDenied: return 403;
    case absl::StatusCode::kDeadlineExceeded: return 504;
    default: return 502;
  }
}

ResourceResponse HandleResource(const std::string& path, const std::string& url, ProfileBackend* backend,
                                int64_t now_ms) {
  std::map<std::string, std::string> params = QueryParams(url);
  auto int_param = [&](const char* name, int64_t fallback, int64_t* out) -> bool {
    auto it = params.find(name);
    if (it == params.end() || it->second.empty()) {
      *out = fallback;
      return true;
    }
    try {
      size_t used = 0;
      *out = std::stoll(it->second, &used);
      return used == it->second.size() && *out >= 0;
    } catch (...) {
      return false;
    }
  };
  int64_t end = 0, start = 0;
  if (!int_param("end", now_ms, &end)) return ResourceError(400, "end must be epoch milliseconds");
  if (!int_param("start", end - 3600 * 1000, &start)) return ResourceError(400, "start must be epoch milliseconds");
  if (end < start) return ResourceError(400, fmt::format("the time range is empty: end ({}) is before start ({})", end, start));
  const std::string selector = params.count("query") && !params["query"].empty() ? params["query"] : "{}";

  if (path == "profileTypes") {
    auto types = backend->ProfileTypes(start, end);
    if (!types.ok()) return FromStatus(types.status());
    Json out = Json::array();
    for (const std::string& id : *types) {
      // Grafana's Pyroscope datasource labels a type "name - sample type".
      auto type = ProfileTypeId::Parse(id);
      out.push_back({{"id", id}, {"label", type.ok() ? type->name + " - " + type->sample_type : id}});
    }
    return Ok(out);
  }
  if (path == "labelNames") {
    auto names = backend->LabelNames(selector, start, end);
    if (!names.ok()) return FromStatus(names.status());
    Json out = Json::array();
    for (const std::string& n : *names) {
      if (!n.starts_with("__")) out.push_back(n);
    }
    return Ok(out);
  }
  if (path == "labelValues") {
    const std::string label = params["label"];
    if (label.empty()) return ResourceError(400, "labelValues needs ?label=<label name>");
    auto values = backend->LabelValues(label, selector, start, end);
    if (!values.ok()) return FromStatus(values.status());
    return Ok(Json(*values));
  }
  if (path == "series") {
    std::vector<std::string> names;
    if (!params["labelNames"].empty()) names = absl::StrSplit(params["labelNames"], ',');
    auto series = backend->Series(selector, names, start, end);
    if (!series.ok()) return FromStatus(series.status());
    Json out = Json::array();
    for (const LabelSet& labels : *series) {
      Json obj = Json::object();
      for (const auto& [k, v] : labels.pairs()) obj[k] = v;
      out.push_back(std::move(obj));
    }
    return Ok(out);
  }
  if (path == "pprof") {
    BackendSelection sel;
    sel.profile_type = params["profileTypeId"];
    if (sel.profile_type.empty()) return ResourceError(400, "pprof needs ?profileTypeId=<profile type ID>");
    sel.label_selector = params["labelSelector"].empty() ? "{}" : params["labelSelector"];
    sel.start_ms = start;
    sel.end_ms = end;
    auto pprof = backend->MergePprof(sel);
    if (!pprof.ok()) return FromStatus(pprof.status());
    ResourceResponse r{200, "application/octet-stream", Gzip(*pprof), {}};
    r.headers["Content-Disposition"] = "attachment; filename=\"profile.pb.gz\"";
    return r;
  }
  return ResourceError(404, fmt::format("no resource {:?}; the plugin serves profileTypes, labelNames, labelValues, series "
                                "and pprof",
                                path));
}

}  // namespace kiln::plugin
