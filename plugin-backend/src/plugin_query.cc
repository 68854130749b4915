#include "plugin-backend/src/plugin_query.h"

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "fmt/format.h"

namespace kiln::plugin {
namespace {

using Json = nlohmann::json;

absl::Status FieldError(const char* field, const std::string& expected, const Json& got) {
  std::string shown = got.dump();
  if (shown.size() > 80) shown = shown.substr(0, 77) + "...";
  return absl::InvalidArgumentError(fmt::format("query field {}: expected {}, got {}", field, expected, shown));
}

absl::Status ReadString(const Json& j, const char* field, std::string* out) {
  if (!j.contains(field) || j[field].is_null()) return absl::OkStatus();
  if (!j[field].is_string()) return FieldError(field, "a string", j[field]);
  *out = j[field].get<std::string>();
  return absl::OkStatus();
}

absl::Status ReadStrings(const Json& j, const char* field, std::vector<std::string>* out) {
  if (!j.contains(field) || j[field].is_null()) return absl::OkStatus();
  if (!j[field].is_array()) return FieldError(field, "an array of strings", j[field]);
  for (const Json& v : j[field]) {
    if (!v.is_string()) return FieldError(field, "an array of strings", j[field]);
    if (!v.get<std::string>().empty()) out->push_back(v.get<std::string>());
  }
  return absl::OkStatus();
}

// Grafana sends numbers, and sometimes numeric strings (template variables).
absl::Status ReadInt(const Json& j, const char* field, int64_t min, int64_t max, int64_t* out) {
  if (!j.contains(field) || j[field].is_null()) return absl::OkStatus();
  const Json& v = j[field];
  int64_t value = 0;
  if (v.is_number_integer()) {
    value = v.get<int64_t>();
  } else if (v.is_number_float() && v.get<double>() == static_cast<double>(static_cast<int64_t>(v.get<double>()))) {
    value = static_cast<int64_t>(v.get<double>());
  } else if (v.is_string() && !v.get<std::string>().empty() &&
             v.get<std::string>().find_first_not_of("0123456789-") == std::string::npos) {
    try {
      value = std::stoll(v.get<std::string>());
    } catch (...) {
      return FieldError(field, "an integer", v);
    }
  } else if (v.is_string() && v.get<std::string>().empty()) {
    return absl::OkStatus();
  } else {
    return FieldError(field, "an integer", v);
  }
  if (value < min || value > max) return FieldError(field, fmt::format("an integer in {}..{}", min, max), v);
  *out = value;
  return absl::OkStatus();
}

absl::StatusOr<QueryKind> KindOf(const std::string& name) {
  static const std::pair<const char*, QueryKind> kKinds[] = {
      {"profile", QueryKind::kProfile}, {"metrics", QueryKind::kMetrics}, {"both", QueryKind::kBoth},
      {"diff", QueryKind::kDiff},       {"heatmap", QueryKind::kHeatmap}, {"profiles", QueryKind::kProfiles},
      {"span", QueryKind::kSpan},
  };
  for (const auto& [n, kind] : kKinds) {
    if (name == n) return kind;
  }
  return absl::InvalidArgumentError(fmt::format(
      "unknown query type {:?}; expected profile, metrics, both, diff, heatmap, profiles or span", name));
}

}  // namespace

const char* QueryKindName(QueryKind kind) {
  switch (kind) {
    case QueryKind::kProfile: return "profile";
    case QueryKind::kMetrics: return "metrics";
    case QueryKind::kBoth: return "both";
    case QueryKind::kDiff: return "diff";
    case QueryKind::kHeatmap: return "heatmap";
    case QueryKind::kProfiles: return "profiles";
    case QueryKind::kSpan: return "span";
  }
  return "?";
}

absl::StatusOr<PluginQuery> ParsePluginQuery(const pluginv2::DataQuery& query) {
  PluginQuery q;
  q.ref_id = query.refid();
  q.from_ms = query.timerange().fromepochms();
  q.to_ms = query.timerange().toepochms();
  q.interval_ms = query.intervalms();
  q.max_data_points = query.maxdatapoints();
  Json j = Json::object();
  if (!query.json().empty()) {
    j = Json::parse(query.json(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return absl::InvalidArgumentError("the query is not valid JSON");
    if (!j.is_object()) return absl::InvalidArgumentError("the query JSON is not an object");
  }
  std::string kind = query.querytype();
  if (kind.empty()) {
    if (absl::Status s = ReadString(j, "queryType", &kind); !s.ok()) return s;
  }
  if (kind.empty()) kind = "both";
  auto k = KindOf(kind);
  if (!k.ok()) return k.status();
  q.kind = *k;

  absl::Status s;
  if (s = ReadString(j, "profileTypeId", &q.profile_type_id); !s.ok()) return s;
  if (s = ReadString(j, "labelSelector", &q.label_selector); !s.ok()) return s;
  if (q.label_selector.find_first_not_of(" \t") == std::string::npos) q.label_selector = "{}";
  if (s = ReadStrings(j, "groupBy", &q.group_by); !s.ok()) return s;
  if (s = ReadInt(j, "maxNodes", 0, 1 << 24, &q.max_nodes); !s.ok()) return s;
  if (s = ReadStrings(j, "spanSelector", &q.span_selector); !s.ok()) return s;
  if (s = ReadStrings(j, "profileIdSelector", &q.profile_id_selector); !s.ok()) return s;
  if (s = ReadInt(j, "limit", 0, 100000, &q.limit); !s.ok()) return s;
  if (s = ReadString(j, "functionName", &q.function_name); !s.ok()) return s;
  std::string mode;
  if (s = ReadString(j, "functionMode", &mode); !s.ok()) return s;
  if (!mode.empty() && mode != "self" && mode != "total") {
    return FieldError("functionMode", "\"self\" or \"total\"", j["functionMode"]);
  }
  q.function_self = mode == "self";
  std::string aggregation;
  if (s = ReadString(j, "aggregation", &aggregation); !s.ok()) return s;
  if (!aggregation.empty() && aggregation != "sum" && aggregation != "average") {
    return FieldError("aggregation", "\"sum\" or \"average\"", j["aggregation"]);
  }
  q.average = aggregation == "average";
  if (s = ReadString(j, "rightLabelSelector", &q.right_label_selector); !s.ok()) return s;
  if (s = ReadInt(j, "rightFrom", 0, int64_t{1} << 50, &q.right_from_ms); !s.ok()) return s;
  if (s = ReadInt(j, "rightTo", 0, int64_t{1} << 50, &q.right_to_ms); !s.ok()) return s;
  int64_t buckets = q.heatmap_buckets;
  if (s = ReadInt(j, "heatmapBuckets", 1, 1000, &buckets); !s.ok()) return s;
  q.heatmap_buckets = static_cast<uint32_t>(buckets);
  std::string heatmap_type;
  if (s = ReadString(j, "heatmapType", &heatmap_type); !s.ok()) return s;
  if (!heatmap_type.empty() && heatmap_type != "individual" && heatmap_type != "span") {
    return FieldError("heatmapType", "\"individual\" or \"span\"", j["heatmapType"]);
  }
  q.heatmap_per_span = heatmap_type == "span";

  if (q.profile_type_id.empty()) {
    return absl::InvalidArgumentError("query field profileTypeId is required (e.g. process_cpu:cpu:nanoseconds:cpu:nanoseconds)");
  }
  if (q.to_ms < q.from_ms) {
    return absl::InvalidArgumentError(
        fmt::format("the time range is empty: it ends ({} ms) before it starts ({} ms)", q.to_ms, q.from_ms));
  }
  if (q.kind == QueryKind::kSpan && q.span_selector.empty()) {
    return absl::InvalidArgumentError("a span query needs spanSelector: the span IDs (16 hex digits each)");
  }
  if (q.kind == QueryKind::kDiff && q.right_label_selector.empty() && q.right_from_ms == 0 && q.right_to_ms == 0) {
    return absl::InvalidArgumentError(
        "a diff query needs a right side: rightLabelSelector and/or rightFrom and rightTo (ms)");
  }
  if ((q.right_from_ms == 0) != (q.right_to_ms == 0) || q.right_to_ms < q.right_from_ms) {
    return absl::InvalidArgumentError("rightFrom and rightTo must both be set, with rightFrom <= rightTo");
  }
  return q;
}

}  // namespace kiln::plugin
