#include "plugin-backend/src/profile_frames.h"

#include <nlohmann/json.hpp>

#include "kiln/model/profile_type.h"
#include "kiln/storage/dataset.h"

namespace kiln::plugin {
namespace {

using Json = nlohmann::json;

// The parts of a profile type ID; all empty for one that does not parse
// (frames are only built for a type the backend answered for).
ProfileTypeId TypeOf(const std::string& profile_type_id) {
  auto type = ProfileTypeId::Parse(profile_type_id);
  return type.ok() ? *std::move(type) : ProfileTypeId{};
}

std::string UnitConfig(const std::string& unit) { return Json({{"unit", unit}}).dump(); }

std::string Meta(const char* visualisation, const Json& extra = Json::object()) {
  Json meta = {{"typeVersion", {0, 0}}, {"preferredVisualisationType", visualisation}};
  for (const auto& [k, v] : extra.items()) meta[k] = v;
  return meta.dump();
}

std::vector<std::pair<std::string, std::string>> PairsOf(const LabelSet& labels) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, value] : labels.pairs()) {
    if (!name.starts_with("__")) out.emplace_back(name, value);
  }
  return out;
}

}  // namespace

std::string UnitOfProfileType(const std::string& profile_type_id) {
  const std::string unit = TypeOf(profile_type_id).sample_unit;
  if (unit == "nanoseconds") return "ns";
  if (unit == "count") return "short";
  return unit;
}

std::string SampleTypeOf(const std::string& profile_type_id) { return TypeOf(profile_type_id).sample_type; }

bool IsCumulativeProfileType(const std::string& profile_type_id) {
  const std::string sample = SampleTypeOf(profile_type_id);
  return !(sample.starts_with("inuse") || sample.starts_with("live") || sample == "goroutine" ||
           sample == "goroutines");
}

Frame FlameGraphFrame(const NestedSet& nested, const std::string& ref_id, const std::string& unit) {
  Frame frame("response", ref_id);
  frame.set_meta_json(Meta("flamegraph"));
  const size_t n = nested.level.size();
  const bool diff = !nested.value_right.empty();
  const bool as_enum = nested.labels.size() <= 65536;
  Field& level = frame.AddField("level", FieldType::kInt64);
  Field& value = frame.AddField("value", FieldType::kInt64);
  Field& self = frame.AddField("self", FieldType::kInt64);
  Field& label = frame.AddField("label", as_enum ? FieldType::kEnum : FieldType::kString);
  value.set_config_json(UnitConfig(unit));
  self.set_config_json(UnitConfig(unit));
  Field* value_right = nullptr;
  Field* self_right = nullptr;
  if (diff) {
    value_right = &frame.AddField("valueRight", FieldType::kInt64);
    self_right = &frame.AddField("selfRight", FieldType::kInt64);
    value_right->set_config_json(UnitConfig(unit));
    self_right->set_config_json(UnitConfig(unit));
  }
  // Enum texts: only the names rows use, in first-use order (as Grafana's
  // own Pyroscope backend writes them).
  std::vector<int32_t> remap(as_enum ? nested.labels.size() : 0, -1);
  Json text = Json::array();
  for (Field* f : {&level, &value, &self, &label}) f->Reserve(n);
  for (size_t i = 0; i < n; ++i) {
    level.AppendInt64(nested.level[i]);
    value.AppendInt64(nested.value[i]);
    self.AppendInt64(nested.self[i]);
    const uint32_t name = nested.label[i];
    if (as_enum) {
      if (remap[name] < 0) {
        remap[name] = static_cast<int32_t>(text.size());
        text.push_back(nested.labels[name]);
      }
      label.AppendUint16(static_cast<uint16_t>(remap[name]));
    } else {
      label.AppendString(nested.labels[name]);
    }
    if (diff) {
      value_right->AppendInt64(nested.value_right[i]);
      self_right->AppendInt64(nested.self_right[i]);
    }
  }
  if (as_enum) {
    // Frame names keep the bytes profiles were sent with; invalid UTF-8
    // becomes U+FFFD rather than an exception.
    label.set_config_json(Json({{"type", {{"enum", {{"text", std::move(text)}}}}}}).dump(
        -1, ' ', false, Json::error_handler_t::replace));
  }
  return frame;
}

std::vector<Frame> SeriesFrames(const std::vector<TimeSeries>& series, const std::string& ref_id,
                                const std::string& profile_type_id, double step_seconds) {
  const bool rate = IsCumulativeProfileType(profile_type_id) && step_seconds > 0;
  std::string unit = UnitOfProfileType(profile_type_id);
  double scale = 1;
  if (rate) {
    scale = 1 / step_seconds;
    if (unit == "ns") {
      unit = "cores";  // ns of CPU per s of wall time / 1e9
      scale /= 1e9;
    } else if (unit == "bytes") {
      unit = "binBps";
    } else if (unit == "short") {
      unit = "ops";
    }
  }
  const std::string meta = rate ? Meta("graph", {{"custom", {{"rateCalculated", true}}}}) : Meta("graph");
  std::vector<Frame> out;
  for (const TimeSeries& s : series) {
    Frame& frame = out.emplace_back("series", ref_id);
    frame.set_meta_json(meta);
    Field& time = frame.AddField("time", FieldType::kTime);
    Field& value = frame.AddField(SampleTypeOf(profile_type_id), FieldType::kFloat64);
    value.set_labels(PairsOf(s.labels));
    value.set_config_json(UnitConfig(unit));
    time.Reserve(s.points.size());
    value.Reserve(s.points.size());
    for (const SeriesPoint& p : s.points) {
      time.AppendTime(p.timestamp_nanos);
      value.AppendFloat64(p.value * scale);
    }
  }
  return out;
}

Frame HeatmapFrame(const std::vector<HeatmapSeries>& heatmap, const std::string& ref_id,
                   const std::string& profile_type_id) {
  Frame frame("heatmap", ref_id);
  frame.set_meta_json(Meta("heatmap", {{"type", "heatmap-cells"}}));
  const std::string unit = UnitOfProfileType(profile_type_id);
  Field& x = frame.AddField("xMax", FieldType::kTime);
  Field& y_min = frame.AddField("yMin", FieldType::kFloat64);
  Field& y_max = frame.AddField("yMax", FieldType::kFloat64);
  Field& count = frame.AddField("count", FieldType::kFloat64);
  y_min.set_config_json(UnitConfig(unit));
  y_max.set_config_json(UnitConfig(unit));
  for (const HeatmapSeries& s : heatmap) {
    for (const HeatmapSlot& slot : s.slots) {
      for (size_t b = 0; b < slot.counts.size() && b < slot.y_min.size(); ++b) {
        // The last bucket's upper edge is the next bucket's would-be start.
        const double width = slot.y_min.size() > 1 ? slot.y_min[1] - slot.y_min[0] : 1.0;
        x.AppendTime(slot.timestamp_nanos);
        y_min.AppendFloat64(slot.y_min[b]);
        y_max.AppendFloat64(b + 1 < slot.y_min.size() ? slot.y_min[b + 1] : slot.y_min[b] + width);
        count.AppendFloat64(slot.counts[b]);
      }
    }
  }
  return frame;
}

Frame ProfilesFrame(const std::vector<ProfileSummary>& profiles, const std::string& ref_id,
                    const ProfileLinkTarget& link) {
  Frame frame("profiles", ref_id);
  frame.set_meta_json(Meta("table"));
  Field& time = frame.AddField("time", FieldType::kTime);
  Field& id = frame.AddField("id", FieldType::kString);
  Field& labels = frame.AddField("labels", FieldType::kString);
  Field& total = frame.AddField("total", FieldType::kInt64);
  total.set_config_json(UnitConfig(UnitOfProfileType(link.profile_type_id)));
  // Clicking an id opens that one profile's flame graph from this datasource.
  Json query = {{"refId", "A"},
                {"queryType", "profile"},
                {"profileTypeId", link.profile_type_id},
                {"labelSelector", link.label_selector},
                {"profileIdSelector", {"${__value.raw}"}}};
  Json config = {{"displayName", "profile"},
                 {"links",
                  {{{"title", "Open this profile"},
                    {"url", ""},
                    {"internal",
                     {{"datasourceUid", link.datasource_uid},
                      {"datasourceName", link.datasource_name},
                      {"query", std::move(query)}}}}}}};
  id.set_config_json(config.dump(-1, ' ', false, Json::error_handler_t::replace));
  for (const ProfileSummary& p : profiles) {
    time.AppendTime(p.timestamp_nanos);
    id.AppendString(storage::FormatProfileId(p.id));
    std::string text;
    for (const auto& [name, value] : PairsOf(p.labels)) {
      if (!text.empty()) text += ", ";
      text += name + "=" + value;
    }
    labels.AppendString(text);
    total.AppendInt64(p.total);
  }
  return frame;
}

}  // namespace kiln::plugin
