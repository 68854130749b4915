#include "kiln/ingest/otlp_importer.h"

#include <google/protobuf/arena.h>

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/base/proto_wire_reader.h"
#include "opentelemetry/proto/collector/profiles/v1development/profiles_service.pb.h"

namespace kiln {
namespace {

namespace otel = opentelemetry::proto::profiles::v1development;
namespace common = opentelemetry::proto::common::v1;
using Request = opentelemetry::proto::collector::profiles::v1development::ExportProfilesServiceRequest;

// Field numbers whose payloads are all length-delimited: the shapes of
// ExportProfilesServiceRequest / ProfilesData, ResourceProfiles and
// ProfilesDictionary. pprof's top-level fields 1 and 2 hold ValueType and
// Sample, whose fields are varints; that is how the two are told apart.
bool AllFieldsLengthDelimited(std::string_view data, int max_field, int* fields_seen) {
  ProtoWireReader in(data);
  int seen = 0;
  while (!in.done()) {
    uint32_t field;
    WireType wire;
    std::string_view payload;
    if (!in.ReadTag(&field, &wire) || wire != WireType::kLengthDelimited || static_cast<int>(field) > max_field ||
        !in.ReadLengthDelimited(&payload)) {
      return false;
    }
    ++seen;
  }
  *fields_seen = seen;
  return true;
}

// Returns the payloads of top-level field |field| (at most |limit|), up to
// the first field that is not length-delimited or is malformed.
std::vector<std::string_view> FieldPayloads(std::string_view data, int field, int limit) {
  std::vector<std::string_view> out;
  ProtoWireReader in(data);
  while (static_cast<int>(out.size()) < limit && !in.done()) {
    uint32_t f;
    WireType wire;
    std::string_view payload;
    if (!in.ReadTag(&f, &wire) || wire != WireType::kLengthDelimited || !in.ReadLengthDelimited(&payload)) break;
    if (static_cast<int>(f) == field) out.push_back(payload);
  }
  return out;
}

class Converter {
 public:
  Converter(const otel::ProfilesDictionary& dict, const ImportOptions& options) : dict_(dict), options_(options) {}

  absl::Status Convert(const Request& request, std::vector<Profile>* out) {
    for (int r = 0; r < request.resource_profiles_size(); ++r) {
      const otel::ResourceProfiles& rp = request.resource_profiles(r);
      std::vector<std::pair<std::string, std::string>> resource_labels;
      std::string service, executable;
      for (int a = 0; a < rp.resource().attributes_size(); ++a) {
        const common::KeyValue& kv = rp.resource().attributes(a);
        std::string key = kv.key();
        if (key.empty() && kv.key_strindex() != 0) {
          auto s = String(kv.key_strindex(), [&] { return fmt::format("resource_profiles[{}].resource.attributes[{}].key_strindex", r, a); });
          if (!s.ok()) return s.status();
          key = std::string(*s);
        }
        auto value = AnyValueString(kv.value());
        if (!value.ok()) return value.status();
        if (key.empty() || value->empty()) continue;
        if (key == "service.name") {
          service = *value;
        } else {
          if (key == "process.executable.name") executable = *value;
          resource_labels.emplace_back(key, *value);
        }
      }
      if (service.empty()) service = executable.empty() ? "unknown_service" : "unknown_service:" + executable;
      for (int s = 0; s < rp.scope_profiles_size(); ++s) {
        const otel::ScopeProfiles& sp = rp.scope_profiles(s);
        for (int p = 0; p < sp.profiles_size(); ++p) {
          const std::string where = fmt::format("resource_profiles[{}].scope_profiles[{}].profiles[{}]", r, s, p);
          if (auto st = ConvertProfile(sp.profiles(p), where, service, resource_labels, out); !st.ok()) return st;
        }
      }
    }
    return absl::OkStatus();
  }

 private:
  template <typename Where>
  absl::StatusOr<std::string_view> String(int64_t index, Where where) const {
    if (index < 0 || index >= dict_.string_table_size()) {
      return absl::InvalidArgumentError(fmt::format("OTLP: {}: string index {} out of range (string_table has {})",
                                                    where(), index, dict_.string_table_size()));
    }
    return std::string_view(dict_.string_table(static_cast<int>(index)));
  }

  absl::StatusOr<std::string> AnyValueString(const common::AnyValue& v) const {
    switch (v.value_case()) {
      case common::AnyValue::kStringValue: return v.string_value();
      case common::AnyValue::kStringValueStrindex: {
        auto s = String(v.string_value_strindex(), [] { return std::string("attribute value"); });
        if (!s.ok()) return s.status();
        return std::string(*s);
      }
      case common::AnyValue::kIntValue: return absl::StrCat(v.int_value());
      case common::AnyValue::kBoolValue: return std::string(v.bool_value() ? "true" : "false");
      case common::AnyValue::kDoubleValue: return fmt::format("{}", v.double_value());
      default: return std::string();  // arrays, maps and bytes are not labels
    }
  }

  // (key, value) of dictionary attribute |index|.
  absl::StatusOr<std::pair<std::string_view, std::string>> Attribute(int32_t index, const std::string& where) const {
    if (index < 0 || index >= dict_.attribute_table_size()) {
      return absl::InvalidArgumentError(fmt::format("OTLP: {}: attribute index {} out of range (attribute_table has {})",
                                                    where, index, dict_.attribute_table_size()));
    }
    const otel::KeyValueAndUnit& kv = dict_.attribute_table(index);
    auto key = String(kv.key_strindex(), [&] { return where + ".key_strindex"; });
    if (!key.ok()) return key.status();
    auto value = AnyValueString(kv.value());
    if (!value.ok()) return value.status();
    return std::make_pair(*key, *std::move(value));
  }

  // Per output profile: dictionary index -> id in that profile's tables.
  struct Tables {
    std::vector<uint32_t> locations, functions, mappings;
  };

  absl::StatusOr<FunctionId> ConvertFunction(int32_t index, Profile* p, Tables* t, const std::string& where) {
    if (index < 0 || index >= dict_.function_table_size()) {
      return absl::InvalidArgumentError(fmt::format("OTLP: {}: function index {} out of range (function_table has {})",
                                                    where, index, dict_.function_table_size()));
    }
    if (t->functions[index] != UINT32_MAX) return t->functions[index];
    const otel::Function& f = dict_.function_table(index);
    Function ours;
    auto name = String(f.name_strindex(), [&] { return where + ".name_strindex"; });
    auto system = String(f.system_name_strindex(), [&] { return where + ".system_name_strindex"; });
    auto file = String(f.filename_strindex(), [&] { return where + ".filename_strindex"; });
    if (!name.ok()) return name.status();
    if (!system.ok()) return system.status();
    if (!file.ok()) return file.status();
    std::string_view n = *name;
    if (n.size() > options_.max_name_length) {
      n = n.substr(0, options_.max_name_length);
      p->stats.Bump(ImportStat::names_truncated);
    }
    ours.name = p->symbols.InternString(n);
    ours.system_name = p->symbols.InternString(*system);
    ours.filename = p->symbols.InternString(*file);
    ours.start_line = f.start_line();
    return t->functions[index] = p->symbols.InternFunction(ours);
  }

  absl::StatusOr<MappingId> ConvertMapping(int32_t index, bool kernel, Profile* p, Tables* t, const std::string& where) {
    if (index < 0 || index >= dict_.mapping_table_size()) {
      return absl::InvalidArgumentError(fmt::format("OTLP: {}: mapping index {} out of range (mapping_table has {})",
                                                    where, index, dict_.mapping_table_size()));
    }
    if (index == 0) return MappingId{0};
    // Kernel frames get their own copy of the mapping, named "[kernel] …",
    // as Pyroscope does, so they stay apart from user space in views.
    const size_t slot = static_cast<size_t>(index) * 2 + (kernel ? 1 : 0);
    if (t->mappings[slot] != UINT32_MAX) return t->mappings[slot];
    const otel::Mapping& m = dict_.mapping_table(index);
    auto file = String(m.filename_strindex(), [&] { return where + ".filename_strindex"; });
    if (!file.ok()) return file.status();
    std::string filename(*file);
    if (kernel) filename = filename.empty() ? "[kernel]" : "[kernel] " + filename;
    std::string build_id, htlhash;
    for (int a = 0; a < m.attribute_indices_size(); ++a) {
      auto attr = Attribute(m.attribute_indices(a), where + ".attribute_indices");
      if (!attr.ok()) return attr.status();
      if (attr->first == "process.executable.build_id.gnu") build_id = attr->second;
      if (attr->first == "process.executable.build_id.htlhash") htlhash = attr->second;
    }
    Mapping ours;
    ours.memory_start = m.memory_start();
    ours.memory_limit = m.memory_limit();
    ours.file_offset = m.file_offset();
    ours.filename = p->symbols.InternString(filename);
    ours.build_id = p->symbols.InternString(build_id.empty() ? htlhash : build_id);
    return t->mappings[slot] = p->symbols.InternMapping(ours);
  }

  absl::StatusOr<LocationId> ConvertLocation(int32_t index, Profile* p, Tables* t, const std::string& where) {
    if (index < 0 || index >= dict_.location_table_size()) {
      return absl::InvalidArgumentError(fmt::format("OTLP: {}: location index {} out of range (location_table has {})",
                                                    where, index, dict_.location_table_size()));
    }
    if (t->locations[index] != UINT32_MAX) return t->locations[index];
    const otel::Location& l = dict_.location_table(index);
    const std::string here = fmt::format("dictionary.location_table[{}]", index);
    bool kernel = false;
    for (int a = 0; a < l.attribute_indices_size(); ++a) {
      auto attr = Attribute(l.attribute_indices(a), here + ".attribute_indices");
      if (!attr.ok()) return attr.status();
      if (attr->first == "profile.frame.type" && attr->second == "kernel") kernel = true;
    }
    auto mapping = ConvertMapping(l.mapping_index(), kernel, p, t, here + ".mapping_index");
    if (!mapping.ok()) return mapping.status();
    std::vector<Line> lines;
    for (int i = 0; i < l.lines_size(); ++i) {
      auto f = ConvertFunction(l.lines(i).function_index(), p, t, fmt::format("{}.lines[{}]", here, i));
      if (!f.ok()) return f.status();
      lines.push_back(Line{*f, l.lines(i).line(), l.lines(i).column()});
    }
    return t->locations[index] = p->symbols.InternLocation(*mapping, l.address(), lines);
  }

  absl::Status ConvertProfile(const otel::Profile& src, const std::string& where, const std::string& resource_service,
                              const std::vector<std::pair<std::string, std::string>>& resource_labels,
                              std::vector<Profile>* out) {
    auto type = String(src.sample_type().type_strindex(), [&] { return where + ".sample_type.type_strindex"; });
    auto unit = String(src.sample_type().unit_strindex(), [&] { return where + ".sample_type.unit_strindex"; });
    auto period_type = String(src.period_type().type_strindex(), [&] { return where + ".period_type.type_strindex"; });
    auto period_unit = String(src.period_type().unit_strindex(), [&] { return where + ".period_type.unit_strindex"; });
    for (const auto* s : {&type, &unit, &period_type, &period_unit}) {
      if (!s->ok()) return s->status();
    }
    if (type->empty()) return absl::InvalidArgumentError(fmt::format("OTLP: {}: sample type has no name", where));
    const bool samples_to_cpu = *type == "samples" && *unit == "count" && *period_type == "cpu" &&
                                *period_unit == "nanoseconds" && src.period() > 0;
    std::string name;
    ValueType sample_type{std::string(*type), std::string(*unit)};
    if (samples_to_cpu) {
      sample_type = {"cpu", "nanoseconds"};
      name = "process_cpu";
    } else if (*type == "off_cpu") {
      name = "off_cpu";
    } else {
      name = std::string(*type);
    }

    // One output profile per service (a sample may name its own).
    const size_t base = out->size();
    std::map<std::string, size_t> by_service;
    std::vector<Tables> tables;
    auto profile_for = [&](const std::string& service) -> std::pair<Profile*, Tables*> {
      auto [it, inserted] = by_service.try_emplace(service, out->size());
      if (inserted) {
        Profile& p = out->emplace_back();
        p.name = name;
        p.sample_types = {sample_type};
        p.period_type = {std::string(*period_type), std::string(*period_unit)};
        p.period = src.period();
        p.time_nanos = static_cast<int64_t>(src.time_unix_nano());
        p.duration_nanos = static_cast<int64_t>(src.duration_nano());
        p.labels = resource_labels;
        p.labels.emplace_back("service_name", service);
        tables.push_back(Tables{std::vector<uint32_t>(dict_.location_table_size(), UINT32_MAX),
                                std::vector<uint32_t>(dict_.function_table_size(), UINT32_MAX),
                                std::vector<uint32_t>(size_t(dict_.mapping_table_size()) * 2, UINT32_MAX)});
      }
      return {&(*out)[it->second], &tables[it->second - base]};
    };
    if (src.samples_size() == 0) {
      profile_for(resource_service);  // a profile without samples is still a data point
    }
    std::vector<LocationId> stack;
    std::vector<SampleLabel> labels;
    for (int i = 0; i < src.samples_size(); ++i) {
      const otel::Sample& s = src.samples(i);
      const std::string here = fmt::format("{}.samples[{}]", where, i);
      // Value: Pyroscope's rules (sum of values; one per timestamp without).
      int64_t value = 0;
      if (s.values_size() > 0) {
        uint64_t sum = 0;
        for (int64_t v : s.values()) sum += static_cast<uint64_t>(v);
        value = static_cast<int64_t>(sum);
      } else {
        value = s.timestamps_unix_nano_size();
      }
      if (s.values_size() == 0 && s.timestamps_unix_nano_size() == 0) {
        // The spec requires values or timestamps; such a sample has no value.
        profile_for(resource_service).first->stats.Note(ImportStat::records_skipped,
                                                         here + ": neither values nor timestamps");
        continue;
      }
      if (samples_to_cpu) value = static_cast<int64_t>(static_cast<uint64_t>(value) * static_cast<uint64_t>(src.period()));
      std::string service = resource_service;
      std::vector<std::pair<std::string, std::string>> attrs;
      for (int a = 0; a < s.attribute_indices_size(); ++a) {
        auto attr = Attribute(s.attribute_indices(a), here + ".attribute_indices");
        if (!attr.ok()) return attr.status();
        if (attr->second.empty()) continue;
        if (attr->first == "service.name") {
          service = attr->second;
        } else {
          attrs.emplace_back(std::string(attr->first), attr->second);
        }
      }
      if (s.link_index() != 0) {
        if (s.link_index() < 0 || s.link_index() >= dict_.link_table_size()) {
          return absl::InvalidArgumentError(fmt::format("OTLP: {}: link index {} out of range (link_table has {})", here,
                                                        s.link_index(), dict_.link_table_size()));
        }
        const otel::Link& link = dict_.link_table(s.link_index());
        auto hex = [](const std::string& bytes) {
          static constexpr char kHex[] = "0123456789abcdef";
          std::string out;
          for (unsigned char c : bytes) {
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
          }
          return out;
        };
        if (!link.span_id().empty()) attrs.emplace_back("span_id", hex(link.span_id()));
        if (link.trace_id().size() == 16) attrs.emplace_back("trace_id", hex(link.trace_id()));
      }
      auto [p, t] = profile_for(service);
      if (p->num_samples() >= options_.max_samples) {
        return absl::ResourceExhaustedError(fmt::format("OTLP: {}: more than {} samples", where, options_.max_samples));
      }
      if (s.stack_index() < 0 || s.stack_index() >= dict_.stack_table_size()) {
        return absl::InvalidArgumentError(fmt::format("OTLP: {}: stack index {} out of range (stack_table has {})", here,
                                                      s.stack_index(), dict_.stack_table_size()));
      }
      const otel::Stack& st = dict_.stack_table(s.stack_index());
      stack.clear();
      for (int l = 0; l < st.location_indices_size(); ++l) {
        auto loc = ConvertLocation(st.location_indices(l), p, t,
                                   fmt::format("dictionary.stack_table[{}].location_indices[{}]", s.stack_index(), l));
        if (!loc.ok()) return loc.status();
        stack.push_back(*loc);
      }
      if (stack.size() > options_.max_stack_depth) {
        p->stats.Bump(ImportStat::stacks_truncated);
        stack.erase(stack.begin(), stack.end() - options_.max_stack_depth);
      }
      labels.clear();
      for (const auto& [k, v] : attrs) {
        labels.push_back(SampleLabel{p->symbols.InternString(k), p->symbols.InternString(v), 0, 0});
      }
      const uint32_t label_set = labels.empty() ? 0 : p->InternLabelSet(labels);
      p->AddSample(p->stacks.InternLeafFirst(stack), {&value, 1}, label_set);
    }
    return absl::OkStatus();
  }

  const otel::ProfilesDictionary& dict_;
  const ImportOptions& options_;
};

class OtlpImporter : public Importer {
 public:
  std::string_view format() const override { return "otlp"; }

  int Sniff(std::string_view data) const override {
    if (data.empty() || data.size() > size_t{INT32_MAX}) return 0;
    int top = 0;
    if (!AllFieldsLengthDelimited(data, 2, &top) || top == 0) return 0;
    // Every resource_profiles (looked at: the first few) has only fields
    // 1-3, all length-delimited; the dictionary only fields 1-7.
    const auto resources = FieldPayloads(data, 1, 4);
    if (resources.empty()) return 0;
    for (std::string_view r : resources) {
      int n = 0;
      if (!AllFieldsLengthDelimited(r, 3, &n)) return 0;
    }
    for (std::string_view d : FieldPayloads(data, 2, 1)) {
      int n = 0;
      if (!AllFieldsLengthDelimited(d, 7, &n)) return 0;
    }
    return 95;
  }

  absl::StatusOr<std::vector<Profile>> Import(std::string_view data, const ImportOptions& options) const override {
    return ParseOtlpProfiles(data, options);
  }
};

}  // namespace

absl::StatusOr<std::vector<Profile>> ParseOtlpProfiles(std::string_view data, const ImportOptions& options) {
  if (data.size() > size_t{INT32_MAX}) return absl::ResourceExhaustedError("OTLP: request larger than 2 GiB");
  google::protobuf::Arena arena;
  auto* request = google::protobuf::Arena::CreateMessage<Request>(&arena);
  if (!request->ParseFromArray(data.data(), static_cast<int>(data.size()))) {
    return absl::InvalidArgumentError(
        fmt::format("OTLP: not a valid ExportProfilesServiceRequest ({} bytes do not parse)", data.size()));
  }
  std::vector<Profile> out;
  Converter converter(request->dictionary(), options);
  if (auto s = converter.Convert(*request, &out); !s.ok()) return s;
  if (out.empty()) return absl::InvalidArgumentError("OTLP: request holds no profiles");
  return out;
}

std::unique_ptr<Importer> NewOtlpImporter() { return std::make_unique<OtlpImporter>(); }

}  // namespace kiln
