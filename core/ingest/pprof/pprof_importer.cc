#include "kiln/ingest/pprof_importer.h"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/cleanup/cleanup.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "fmt/format.h"
#include "kiln/base/gzip.h"
#include "kiln/base/proto_wire_reader.h"
#include "kiln/base/status_macros.h"
#include "kiln/base/utf8.h"

namespace kiln {
namespace {

// Maps pprof's ids (nonzero, unique, usually dense 1..n) to ours.
class IdMap {
 public:
  void Put(uint64_t pprof_id, uint32_t ours) {
    if (pprof_id < kDenseLimit) {
      if (dense_.size() <= pprof_id) dense_.resize(pprof_id + 1, kMissing);
      dense_[pprof_id] = ours;
    } else {
      sparse_[pprof_id] = ours;
    }
  }
  // kMissing when |pprof_id| was never defined.
  ABSL_ATTRIBUTE_ALWAYS_INLINE uint32_t Get(uint64_t pprof_id) const {
    return pprof_id < dense_.size() ? dense_[pprof_id] : GetSparse(pprof_id);  // small: inlined per frame
  }
  bool Has(uint64_t pprof_id) const { return Get(pprof_id) != kMissing; }
  // Forgets every id, keeping the memory for the next profile.
  void Clear() {
    dense_.clear();
    sparse_.clear();
  }
  size_t capacity_bytes() const { return dense_.capacity() * sizeof(uint32_t); }
  static constexpr uint32_t kMissing = 0xffffffffu;

 private:
  static constexpr uint64_t kDenseLimit = 1 << 22;
  uint32_t GetSparse(uint64_t pprof_id) const {
    auto it = sparse_.find(pprof_id);
    return it == sparse_.end() ? kMissing : it->second;
  }
  std::vector<uint32_t> dense_;
  absl::flat_hash_map<uint64_t, uint32_t> sparse_;
};

// Names a field for an error message ("function[3].name"), formatted only
// when there is an error: the happy path must not pay for it.
struct Field {
  const char* record;
  int64_t index = -1;  // -1: not a repeated record
  const char* name = nullptr;
  int64_t sub_index = -1;  // sample[i].label[j]
  const char* sub_record = nullptr;

  Field(const char* record) : record(record) {}  // NOLINT: a plain field name
  Field(const char* record, int64_t index, const char* name) : record(record), index(index), name(name) {}
  Field(const char* record, int64_t index, const char* sub_record, int64_t sub_index, const char* name)
      : record(record), index(index), name(name), sub_index(sub_index), sub_record(sub_record) {}

  std::string ToString() const {
    std::string out = record;
    if (index >= 0) out += fmt::format("[{}]", index);
    if (sub_record != nullptr) out += fmt::format(".{}[{}]", sub_record, sub_index);
    if (name != nullptr) out += fmt::format(".{}", name);
    return out;
  }
};

// A message field's bytes: where it starts (for errors) and its payload.
struct Span {
  std::string_view bytes;
  size_t offset = 0;
};

std::string Malformed(size_t offset, std::string_view what, std::string_view why) {
  return fmt::format("not a valid pprof protobuf message: {} at byte {}: {}", what, offset, why);
}

// The string table: checks indexes (errors name the field) and interns
// strings on first use into |target|.
class StringIds {
 public:
  StringIds(const std::vector<std::string_view>& table, size_t max_len, StringTable* target)
      : table_(table), max_len_(max_len), target_(target), ids_(table.size(), kUnset) {}
  static absl::Status Check(int64_t index, size_t size, const Field& field) {
    if (index < 0 || static_cast<uint64_t>(index) >= size) {
      return absl::InvalidArgumentError(fmt::format(
          "{}: string index {} out of range (string_table has {} entries)", field.ToString(), index, size));
    }
    return absl::OkStatus();
  }
  absl::StatusOr<StringId> Get(int64_t index, const Field& field) {
    RETURN_IF_ERROR(Check(index, table_.size(), field));
    return Id(static_cast<size_t>(index));
  }
  // |index| must have passed Check.
  StringId Id(size_t index) {
    uint32_t& id = ids_[index];
    if (id == kUnset) id = target_->Intern(table_[index].substr(0, max_len_));
    return id;
  }
  absl::StatusOr<std::string> Text(int64_t index, const Field& field) const {
    RETURN_IF_ERROR(Check(index, table_.size(), field));
    return std::string(table_[index].substr(0, max_len_));
  }

 private:
  static constexpr uint32_t kUnset = 0xffffffffu;
  const std::vector<std::string_view>& table_;
  const size_t max_len_;
  StringTable* const target_;
  std::vector<uint32_t> ids_;
};

// pprof's messages as they arrive: the top level is read once into spans of
// its repeated messages, which are decoded in dependency order (strings,
// then mappings and functions, then locations, then samples) because
// protobuf allows fields in any order.
struct RawValueType {
  int64_t type = 0;
  int64_t unit = 0;
};

struct TopLevel {
  std::vector<RawValueType> sample_types;
  RawValueType period_type;
  bool has_period_type = false;
  std::vector<Span> samples, mappings, locations, functions, strings;
  std::vector<int64_t> comments;
  int64_t drop_frames = 0, keep_frames = 0, time_nanos = 0, duration_nanos = 0, period = 0,
          default_sample_type = 0;

  // Empties every field but keeps the vectors' memory.
  void Clear() {
    for (auto* v : {&samples, &mappings, &locations, &functions, &strings}) v->clear();
    sample_types.clear();
    comments.clear();
    period_type = {};
    has_period_type = false;
    drop_frames = keep_frames = time_nanos = duration_nanos = period = default_sample_type = 0;
  }
};

// A sample that passed its checks: its frames in DecodeState::frames.
struct Accepted {
  uint32_t first_frame;
  uint32_t num_frames;
};

// A sample's place in the interning order (see the end of Decode).
struct InternOrder {
  unsigned __int128 key;
  uint32_t sample;
};

// Buffers one decode needs only while it runs, kept per thread for the
// next: fresh ones cost a page fault per 4 KiB touched, which was about a
// tenth of importing a Go CPU profile. A buffer an outsize profile grew
// past kKeepBytes is released afterwards.
struct DecodeScratch {
  std::string bytes;  // the inflated message
  TopLevel top;
  IdMap mapping_index, function_index, location_index;  // pprof id -> local index
  std::vector<InternOrder> keys;

  static constexpr size_t kKeepBytes = 32u << 20;
  void ReleaseOutsize() {
    auto release = [](auto& v, size_t bytes) {
      if (bytes > kKeepBytes) std::decay_t<decltype(v)>().swap(v);
    };
    release(bytes, bytes.capacity());
    release(keys, keys.capacity() * sizeof(InternOrder));
    release(top.samples, top.samples.capacity() * sizeof(Span));
    for (IdMap* m : {&mapping_index, &function_index, &location_index}) {
      if (m->capacity_bytes() > kKeepBytes) *m = IdMap();
    }
  }
};

// A decoded profile before its stacks are interned: symbols as read, with
// string-table indexes for strings and local indexes for references, and
// each accepted sample's frames as local location indexes.
struct DecodeState {
  std::vector<std::string_view> strings;  // the string table, as long as it is needed
  std::string kept_strings;               // what |strings| points into once the message is gone
  size_t max_name_length = 0;
  std::vector<Mapping> mappings;    // filename, build_id: string indexes
  std::vector<Function> functions;  // name, system_name, filename: string indexes
  std::vector<Location> locations;  // mapping_id: local index + 1 (0: none); lines in |lines|
  std::vector<Line> lines;          // function_id: local index
  std::unique_ptr<LocationId[]> frames;  // never zeroed
  size_t frames_capacity = 0, num_frames = 0;
  std::vector<uint8_t> location_used;  // by accepted samples
  std::vector<Accepted> accepted;
  std::vector<uint32_t> order;  // accepted samples in interning order
  Profile header;

  // Empties it for the next decode, keeping the frame buffer.
  void Clear() {
    mappings.clear();
    functions.clear();
    locations.clear();
    lines.clear();
    num_frames = 0;
    accepted.clear();
    header = Profile();
  }

  // Keeps the strings the used locations need (copied out of the message),
  // so that the message's buffer can serve the next decode.
  void KeepUsedStrings() {
    std::vector<uint8_t> needed(strings.size(), 0);
    std::vector<uint8_t> function_needed(functions.size(), 0);
    for (size_t i = 0; i < locations.size(); ++i) {
      if (!location_used[i]) continue;
      const Location& loc = locations[i];
      for (uint32_t j = 0; j < loc.num_lines; ++j) function_needed[lines[loc.first_line + j].function_id] = 1;
      if (loc.mapping_id != 0) {
        needed[mappings[loc.mapping_id - 1].filename] = needed[mappings[loc.mapping_id - 1].build_id] = 1;
      }
    }
    for (size_t f = 0; f < functions.size(); ++f) {
      if (function_needed[f]) needed[functions[f].name] = needed[functions[f].system_name] = needed[functions[f].filename] = 1;
    }
    size_t bytes = 0;
    for (size_t i = 0; i < strings.size(); ++i) {
      if (needed[i]) bytes += std::min(strings[i].size(), max_name_length);
    }
    kept_strings.clear();
    kept_strings.reserve(bytes);
    for (size_t i = 0; i < strings.size(); ++i) {
      if (!needed[i]) {
        strings[i] = {};
        continue;
      }
      const std::string_view s = strings[i].substr(0, max_name_length);
      strings[i] = std::string_view(kept_strings.data() + kept_strings.size(), s.size());
      kept_strings.append(s);
    }
  }
};

// What a field callback did with a field.
enum class FieldRead {
  kOk,         // consumed its value
  kUnknown,    // did not touch it: skip it (unknown, or an unexpected wire type, as protobuf does)
  kMalformed,  // its value is truncated or malformed
  kNested,     // a nested message failed; its own error is returned
};

// Reads the fields of |span| (a message of type |what|), calling
// |on_field(field, wire, reader, &nested)| for each.
template <typename OnField>
absl::Status ReadFields(const Span& span, std::string_view what, OnField on_field) {
  ProtoWireReader r(span.bytes, span.offset);
  absl::Status nested;
  while (!r.done()) {
    const size_t at = r.offset();
    uint32_t field;
    WireType wire;
    if (!r.ReadTag(&field, &wire)) return absl::InvalidArgumentError(Malformed(at, what, "bad field tag"));
    const size_t value_at = r.offset();
    FieldRead read = on_field(field, wire, r, &nested);
    if (read == FieldRead::kUnknown) read = r.SkipField(field, wire) ? FieldRead::kOk : FieldRead::kMalformed;
    if (read == FieldRead::kNested) return nested;
    if (read == FieldRead::kMalformed) {
      return absl::InvalidArgumentError(
          Malformed(value_at, what, fmt::format("field {} is truncated or malformed", field)));
    }
  }
  return absl::OkStatus();
}

FieldRead Result(bool ok) { return ok ? FieldRead::kOk : FieldRead::kMalformed; }

// Keeps |status| for ReadFields and says whether the nested read failed.
FieldRead Nested(absl::Status status, absl::Status* nested) {
  if (status.ok()) return FieldRead::kOk;
  *nested = std::move(status);
  return FieldRead::kNested;
}

bool ReadInt64(ProtoWireReader& r, int64_t* out) {
  uint64_t v;
  if (!r.ReadVarint(&v)) return false;
  *out = static_cast<int64_t>(v);
  return true;
}

// Calls |f(value)| for each value of a repeated varint field, packed (wire
// type 2) or not.
template <typename F>
bool ForEachVarint(ProtoWireReader& r, WireType wire, F f) {
  uint64_t v;
  if (wire == WireType::kVarint) {
    if (!r.ReadVarint(&v)) return false;
    f(v);
    return true;
  }
  std::string_view packed;
  size_t at;
  if (!r.ReadLengthDelimited(&packed, &at)) return false;
  ProtoWireReader values(packed, at);
  while (!values.done()) {
    if (!values.ReadVarint(&v)) return false;
    f(v);
  }
  return true;
}

// Decodes ValueType {type = 1, unit = 2} into |vt|, merging as protobuf does.
absl::Status ReadValueType(const Span& span, std::string_view what, RawValueType* vt) {
  return ReadFields(span, what, [&](uint32_t field, WireType wire, ProtoWireReader& r, absl::Status*) {
    if (wire != WireType::kVarint || (field != 1 && field != 2)) return FieldRead::kUnknown;
    return Result(ReadInt64(r, field == 1 ? &vt->type : &vt->unit));
  });
}

absl::Status ReadTopLevel(std::string_view data, TopLevel& top) {
  top.Clear();
  return ReadFields({data, 0}, "Profile", [&](uint32_t field, WireType wire, ProtoWireReader& r, absl::Status* nested) {
    if (field == 13) {  // comment: repeated int64, packed or not
      if (wire != WireType::kVarint && wire != WireType::kLengthDelimited) return FieldRead::kUnknown;
      return Result(ForEachVarint(r, wire, [&](uint64_t v) { top.comments.push_back(static_cast<int64_t>(v)); }));
    }
    if (wire == WireType::kVarint) {
      int64_t* target;
      switch (field) {
        case 7: target = &top.drop_frames; break;
        case 8: target = &top.keep_frames; break;
        case 9: target = &top.time_nanos; break;
        case 10: target = &top.duration_nanos; break;
        case 12: target = &top.period; break;
        case 14: target = &top.default_sample_type; break;
        default: return FieldRead::kUnknown;
      }
      return Result(ReadInt64(r, target));
    }
    if (wire != WireType::kLengthDelimited) return FieldRead::kUnknown;
    Span span;
    if (!r.ReadLengthDelimited(&span.bytes, &span.offset)) return FieldRead::kMalformed;
    switch (field) {
      case 1: return Nested(ReadValueType(span, "sample_type", &top.sample_types.emplace_back()), nested);
      case 2: top.samples.push_back(span); break;
      case 3: top.mappings.push_back(span); break;
      case 4: top.locations.push_back(span); break;
      case 5: top.functions.push_back(span); break;
      case 6: top.strings.push_back(span); break;
      case 11:
        top.has_period_type = true;
        return Nested(ReadValueType(span, "period_type", &top.period_type), nested);
      default: break;  // an unknown length-delimited field, already read past
    }
    return FieldRead::kOk;
  });
}

// Phase 1: everything but interning the stacks' symbols and the stacks:
// the header (sample types, times, values, label sets with their strings
// in the header's own table) and the symbols and frames as read. Every
// check that can fail happens here, so interning cannot fail.
absl::Status Decode(const ImportOptions& options, DecodeScratch& scratch, DecodeState& st) {
  const TopLevel& p = scratch.top;
  Profile* out = &st.header;
  st.max_name_length = options.max_name_length;
  for (IdMap* m : {&scratch.mapping_index, &scratch.function_index, &scratch.location_index}) m->Clear();
  if (p.strings.empty()) {
    return absl::InvalidArgumentError("string_table is empty (entry 0 must be \"\")");
  }
  if (!p.strings[0].bytes.empty()) {
    return absl::InvalidArgumentError(
        fmt::format("string_table[0] must be \"\", found \"{}\"", p.strings[0].bytes.substr(0, 40)));
  }
  for (const Span& span : p.strings) {
    if (span.bytes.size() > options.max_name_length) out->stats.Bump(ImportStat::names_truncated);
    // Kept as bytes, as Go's pprof keeps them; counted so the user knows.
    if (!IsValidUtf8(span.bytes.substr(0, options.max_name_length))) out->stats.Bump(ImportStat::invalid_utf8);
  }
  const size_t num_strings = p.strings.size();
  st.strings.resize(num_strings);
  for (size_t i = 0; i < num_strings; ++i) st.strings[i] = p.strings[i].bytes;
  StringIds strings(st.strings, options.max_name_length, &out->symbols.strings());

  for (size_t i = 0; i < p.sample_types.size(); ++i) {
    const RawValueType& vt = p.sample_types[i];
    const auto index = static_cast<int64_t>(i);
    ValueType t;
    ASSIGN_OR_RETURN(t.type, strings.Text(vt.type, {"sample_type", index, "type"}));
    ASSIGN_OR_RETURN(t.unit, strings.Text(vt.unit, {"sample_type", index, "unit"}));
    out->sample_types.push_back(std::move(t));
  }
  if (p.has_period_type) {
    ASSIGN_OR_RETURN(out->period_type.type, strings.Text(p.period_type.type, "period_type.type"));
    ASSIGN_OR_RETURN(out->period_type.unit, strings.Text(p.period_type.unit, "period_type.unit"));
  }
  out->period = p.period;
  out->time_nanos = p.time_nanos;
  out->duration_nanos = p.duration_nanos;
  ASSIGN_OR_RETURN(out->default_sample_type, strings.Text(p.default_sample_type, "default_sample_type"));
  ASSIGN_OR_RETURN(out->drop_frames, strings.Text(p.drop_frames, "drop_frames"));
  ASSIGN_OR_RETURN(out->keep_frames, strings.Text(p.keep_frames, "keep_frames"));
  for (size_t i = 0; i < p.comments.size(); ++i) {
    ASSIGN_OR_RETURN(std::string c, strings.Text(p.comments[i], {"comment", static_cast<int64_t>(i), nullptr}));
    out->comments.push_back(std::move(c));
  }

  for (size_t i = 0; i < p.mappings.size(); ++i) {
    uint64_t id = 0;
    int64_t filename = 0, build_id = 0;
    Mapping ours;
    RETURN_IF_ERROR(ReadFields(p.mappings[i], "mapping", [&](uint32_t field, WireType wire, ProtoWireReader& r, absl::Status*) {
      if (wire != WireType::kVarint || field > 10) return FieldRead::kUnknown;
      uint64_t v;
      if (!r.ReadVarint(&v)) return FieldRead::kMalformed;
      switch (field) {
        case 1: id = v; break;
        case 2: ours.memory_start = v; break;
        case 3: ours.memory_limit = v; break;
        case 4: ours.file_offset = v; break;
        case 5: filename = static_cast<int64_t>(v); break;
        case 6: build_id = static_cast<int64_t>(v); break;
        case 7: ours.has_functions = v != 0; break;
        case 8: ours.has_filenames = v != 0; break;
        case 9: ours.has_line_numbers = v != 0; break;
        case 10: ours.has_inline_frames = v != 0; break;
      }
      return FieldRead::kOk;
    }));
    if (id == 0) return absl::InvalidArgumentError(fmt::format("mapping[{}]: id is 0", i));
    if (scratch.mapping_index.Has(id)) return absl::InvalidArgumentError(fmt::format("mapping[{}]: duplicate id {}", i, id));
    const auto index = static_cast<int64_t>(i);
    RETURN_IF_ERROR(StringIds::Check(filename, num_strings, {"mapping", index, "filename"}));
    RETURN_IF_ERROR(StringIds::Check(build_id, num_strings, {"mapping", index, "build_id"}));
    ours.filename = static_cast<StringId>(filename);
    ours.build_id = static_cast<StringId>(build_id);
    scratch.mapping_index.Put(id, static_cast<uint32_t>(st.mappings.size()));
    st.mappings.push_back(ours);
  }

  for (size_t i = 0; i < p.functions.size(); ++i) {
    uint64_t id = 0;
    int64_t name = 0, system_name = 0, filename = 0;
    Function ours;
    RETURN_IF_ERROR(ReadFields(p.functions[i], "function", [&](uint32_t field, WireType wire, ProtoWireReader& r, absl::Status*) {
      if (wire != WireType::kVarint || field > 5) return FieldRead::kUnknown;
      uint64_t v;
      if (!r.ReadVarint(&v)) return FieldRead::kMalformed;
      switch (field) {
        case 1: id = v; break;
        case 2: name = static_cast<int64_t>(v); break;
        case 3: system_name = static_cast<int64_t>(v); break;
        case 4: filename = static_cast<int64_t>(v); break;
        case 5: ours.start_line = static_cast<int64_t>(v); break;
      }
      return FieldRead::kOk;
    }));
    if (scratch.function_index.Has(id)) {
      return absl::InvalidArgumentError(fmt::format("function[{}]: duplicate id {}", i, id));
    }
    const auto index = static_cast<int64_t>(i);
    RETURN_IF_ERROR(StringIds::Check(name, num_strings, {"function", index, "name"}));
    RETURN_IF_ERROR(StringIds::Check(system_name, num_strings, {"function", index, "system_name"}));
    RETURN_IF_ERROR(StringIds::Check(filename, num_strings, {"function", index, "filename"}));
    ours.name = static_cast<StringId>(name);
    ours.system_name = static_cast<StringId>(system_name);
    ours.filename = static_cast<StringId>(filename);
    // Id 0 is reserved, but some writers (older .NET agents) use it; it is
    // unambiguous within the file, so accept it rather than lose the frames.
    scratch.function_index.Put(id, static_cast<uint32_t>(st.functions.size()));
    st.functions.push_back(ours);
  }

  std::vector<Line> read_lines;
  std::vector<uint64_t> line_function_ids;  // pprof's, resolved once the location's id is known
  for (size_t i = 0; i < p.locations.size(); ++i) {
    uint64_t id = 0, mapping_id = 0, address = 0;
    bool is_folded = false;
    read_lines.clear();
    line_function_ids.clear();
    RETURN_IF_ERROR(ReadFields(p.locations[i], "location", [&](uint32_t field, WireType wire, ProtoWireReader& r, absl::Status* nested) {
      if (field == 4 && wire == WireType::kLengthDelimited) {  // Line {function_id, line, column}
        Span line_span;
        if (!r.ReadLengthDelimited(&line_span.bytes, &line_span.offset)) return FieldRead::kMalformed;
        uint64_t function_id = 0;
        Line line;
        const FieldRead read = Nested(
            ReadFields(line_span, "location.line", [&](uint32_t lf, WireType lw, ProtoWireReader& lr, absl::Status*) {
              if (lw != WireType::kVarint || lf > 3) return FieldRead::kUnknown;
              uint64_t v;
              if (!lr.ReadVarint(&v)) return FieldRead::kMalformed;
              if (lf == 1) function_id = v;
              if (lf == 2) line.line = static_cast<int64_t>(v);
              if (lf == 3) line.column = static_cast<int64_t>(v);
              return FieldRead::kOk;
            }),
            nested);
        if (read != FieldRead::kOk) return read;
        read_lines.push_back(line);
        line_function_ids.push_back(function_id);
        return FieldRead::kOk;
      }
      if (wire != WireType::kVarint || field > 5 || field == 4) return FieldRead::kUnknown;
      uint64_t v;
      if (!r.ReadVarint(&v)) return FieldRead::kMalformed;
      if (field == 1) id = v;
      if (field == 2) mapping_id = v;
      if (field == 3) address = v;
      if (field == 5) is_folded = v != 0;
      return FieldRead::kOk;
    }));
    if (id == 0) return absl::InvalidArgumentError(fmt::format("location[{}]: id is 0", i));
    if (scratch.location_index.Has(id)) {
      return absl::InvalidArgumentError(fmt::format("location[{}]: duplicate id {}", i, id));
    }
    Location loc;
    loc.address = address;
    loc.is_folded = is_folded;
    loc.first_line = static_cast<uint32_t>(st.lines.size());
    for (size_t j = 0; j < read_lines.size(); ++j) {
      const uint32_t fn = scratch.function_index.Get(line_function_ids[j]);
      if (fn == IdMap::kMissing) {
        out->stats.Note(ImportStat::invalid_references,
                        fmt::format("location {}: function id {} does not exist", id, line_function_ids[j]));
        continue;
      }
      st.lines.push_back(read_lines[j]);
      st.lines.back().function_id = fn;
    }
    loc.num_lines = static_cast<uint32_t>(st.lines.size() - loc.first_line);
    if (mapping_id != 0) {
      const uint32_t mapping = scratch.mapping_index.Get(mapping_id);
      if (mapping == IdMap::kMissing) {
        out->stats.Note(ImportStat::invalid_references,
                        fmt::format("location {}: mapping id {} does not exist", id, mapping_id));
      } else {
        loc.mapping_id = mapping + 1;
      }
    }
    scratch.location_index.Put(id, static_cast<uint32_t>(st.locations.size()));
    st.locations.push_back(loc);
  }

  const size_t k = out->sample_types.size();
  if (p.samples.size() > options.max_samples) {
    return absl::ResourceExhaustedError(fmt::format(
        "profile has {} samples, more than the limit of {}", p.samples.size(), options.max_samples));
  }
  // Samples: their location indexes (leaf first) into one flat array, their
  // values straight into the profile's column.
  std::vector<Accepted>& accepted = st.accepted;
  accepted.reserve(p.samples.size());
  // Each location id takes at least a byte: the samples' size bounds the
  // frames, so they are written without checks.
  size_t frames_bound = 0;
  for (const Span& s : p.samples) frames_bound += s.bytes.size();
  if (st.frames_capacity < frames_bound) {
    st.frames = std::make_unique_for_overwrite<LocationId[]>(frames_bound);
    st.frames_capacity = frames_bound;
  }
  LocationId* const frames = st.frames.get();
  st.location_used.assign(st.locations.size(), 0);
  const IdMap& locations = scratch.location_index;
  size_t num_frames = 0;
  out->sample_values.reserve(p.samples.size() * k);
  out->sample_label_sets.reserve(p.samples.size());
  std::vector<int64_t> values;
  struct RawLabel {  // four int64s, no padding: its bytes are a key
    int64_t key = 0, str = 0, num = 0, num_unit = 0;
  };
  static_assert(sizeof(RawLabel) == 4 * sizeof(int64_t));
  std::vector<RawLabel> raw_labels;
  std::vector<SampleLabel> labels;
  // Label sets as written (their raw string indexes), resolved and interned
  // once each: profiles with labels repeat a few sets over every sample.
  absl::flat_hash_map<std::string, uint32_t> raw_label_sets;
  std::string raw_key;
  for (size_t i = 0; i < p.samples.size(); ++i) {
    const size_t first = num_frames;
    uint64_t missing_location = 0;
    bool bad_location = false;
    values.clear();
    raw_labels.clear();
    RETURN_IF_ERROR(ReadFields(p.samples[i], "sample", [&](uint32_t field, WireType wire, ProtoWireReader& r, absl::Status* nested) {
      if (field == 1 || field == 2) {
        if (wire != WireType::kVarint && wire != WireType::kLengthDelimited) return FieldRead::kUnknown;
        if (field == 2) {
          return Result(ForEachVarint(r, wire, [&](uint64_t v) { values.push_back(static_cast<int64_t>(v)); }));
        }
        return Result(ForEachVarint(r, wire, [&](uint64_t id) {
          const uint32_t loc = locations.Get(id);
          if (loc != IdMap::kMissing) {
            frames[num_frames++] = loc;
          } else if (!bad_location) {
            bad_location = true;
            missing_location = id;
          }
        }));
      }
      if (field != 3 || wire != WireType::kLengthDelimited) return FieldRead::kUnknown;
      Span label_span;
      if (!r.ReadLengthDelimited(&label_span.bytes, &label_span.offset)) return FieldRead::kMalformed;
      RawLabel& lb = raw_labels.emplace_back();
      return Nested(ReadFields(label_span, "sample.label", [&](uint32_t lf, WireType lw, ProtoWireReader& lr, absl::Status*) {
                      if (lw != WireType::kVarint || lf == 0 || lf > 4) return FieldRead::kUnknown;
                      int64_t* target[] = {nullptr, &lb.key, &lb.str, &lb.num, &lb.num_unit};
                      return Result(ReadInt64(lr, target[lf]));
                    }),
                    nested);
    }));
    if (values.size() != k) {
      out->stats.Note(ImportStat::records_skipped,
                      fmt::format("sample {}: has {} values for {} sample types", i, values.size(), k));
      num_frames = first;
      continue;
    }
    if (bad_location) {
      out->stats.Note(ImportStat::invalid_references,
                      fmt::format("sample {}: location id {} does not exist", i, missing_location));
      num_frames = first;
      continue;
    }
    if (num_frames - first > options.max_stack_depth) {
      // Keep the root-most frames: the leaf-first array's tail.
      out->stats.Bump(ImportStat::stacks_truncated);
      LocationId* begin = frames + first;
      std::copy(frames + num_frames - options.max_stack_depth, frames + num_frames, begin);
      num_frames = first + options.max_stack_depth;
    }
    uint32_t label_set = 0;
    raw_key.assign(reinterpret_cast<const char*>(raw_labels.data()), raw_labels.size() * sizeof(RawLabel));
    if (raw_labels.empty()) {
      // no labels: set 0
    } else if (auto known = raw_label_sets.find(absl::string_view(raw_key.data(), raw_key.size()));
               known != raw_label_sets.end()) {
      label_set = known->second;
    } else {
      labels.clear();
      const auto index = static_cast<int64_t>(i);
      for (size_t j = 0; j < raw_labels.size(); ++j) {
        const RawLabel& lb = raw_labels[j];
        const auto sub = static_cast<int64_t>(j);
        SampleLabel ours;
        ASSIGN_OR_RETURN(ours.key, strings.Get(lb.key, {"sample", index, "label", sub, "key"}));
        ASSIGN_OR_RETURN(ours.str, strings.Get(lb.str, {"sample", index, "label", sub, "str"}));
        ASSIGN_OR_RETURN(ours.num_unit, strings.Get(lb.num_unit, {"sample", index, "label", sub, "num_unit"}));
        ours.num = lb.num;
        labels.push_back(ours);
      }
      label_set = out->InternLabelSet(labels);
      raw_label_sets.emplace(raw_key, label_set);
    }
    out->sample_values.insert(out->sample_values.end(), values.begin(), values.end());
    out->sample_label_sets.push_back(label_set);
    accepted.push_back({static_cast<uint32_t>(first), static_cast<uint32_t>(num_frames - first)});
    for (size_t f = first; f < num_frames; ++f) st.location_used[frames[f]] = 1;
  }
  st.num_frames = num_frames;
  out->sample_stacks.assign(accepted.size(), 0);  // until InternStacks

  // The order stacks will be interned in, decided while the frames are in
  // cache: stacks sharing their root-side frames next to each other, so
  // that only their new frames touch the tree. Sorted by a key that packs
  // as many root-most frames as fit in 128 bits at the file's
  // location-index width. (A full lexicographic sort costs more than it
  // saves; a two-frame key saves about a quarter less on the corpus's large
  // profiles.)
  const auto frame_bits = static_cast<uint32_t>(std::max<size_t>(1, std::bit_width(st.locations.size())));  // indexes + 1 fit
  const uint32_t key_frames = 128 / frame_bits;
  std::vector<InternOrder>& order = scratch.keys;
  order.resize(accepted.size());
  for (uint32_t i = 0; i < order.size(); ++i) {
    const Accepted& a = accepted[i];
    const LocationId* root = frames + a.first_frame + a.num_frames;  // one past the root
    unsigned __int128 key = 0;
    for (uint32_t d = 0; d < key_frames; ++d) {
      key <<= frame_bits;
      if (d < a.num_frames) key |= root[-1 - static_cast<ptrdiff_t>(d)] + 1;  // 0: no frame (shorter stacks first)
    }
    order[i] = {key, i};
  }
  std::sort(order.begin(), order.end(), [](const InternOrder& x, const InternOrder& y) { return x.key < y.key; });
  st.order.resize(order.size());
  for (size_t i = 0; i < order.size(); ++i) st.order[i] = order[i].sample;
  return absl::OkStatus();
}

// Phase 2: interns the symbols the stacks use into |symbols| (strings on
// first use) and the stacks into |stacks|; sample i's stack goes to out[i].
// Reads |st|, changes nothing in it.
// With |every_location| every location of the file is interned, in file
// order (a profile's own tables, as ParsePprof always did); otherwise only
// those samples use (a dataset stores no symbol nothing refers to).
void InternStacks(const DecodeState& st, SymbolTable& symbols, StackTraceTree& stacks, std::span<StackId> out,
                  bool every_location) {
  constexpr uint32_t kUnset = 0xffffffffu;
  StringIds strings(st.strings, st.max_name_length, &symbols.strings());
  std::vector<uint32_t> mapping_ids(st.mappings.size(), kUnset), function_ids(st.functions.size(), kUnset);
  std::vector<uint32_t> location_ids(st.locations.size(), kUnset);
  std::vector<Line> lines;
  for (size_t i = 0; i < st.locations.size(); ++i) {
    if (!every_location && !st.location_used[i]) continue;
    const Location& loc = st.locations[i];
    lines.assign(st.lines.begin() + loc.first_line, st.lines.begin() + loc.first_line + loc.num_lines);
    for (Line& line : lines) {
      uint32_t& fn = function_ids[line.function_id];
      if (fn == kUnset) {
        Function f = st.functions[line.function_id];
        f.name = strings.Id(f.name);
        f.system_name = strings.Id(f.system_name);
        f.filename = strings.Id(f.filename);
        fn = symbols.InternFunction(f);
      }
      line.function_id = fn;
    }
    MappingId mapping = 0;
    if (loc.mapping_id != 0) {
      uint32_t& m = mapping_ids[loc.mapping_id - 1];
      if (m == kUnset) {
        Mapping ours = st.mappings[loc.mapping_id - 1];
        ours.filename = strings.Id(ours.filename);
        ours.build_id = strings.Id(ours.build_id);
        m = symbols.InternMapping(ours);
      }
      mapping = m;
    }
    location_ids[i] = symbols.InternLocation(mapping, loc.address, lines, loc.is_folded);
  }

  // In the order Decode chose; each stack's frames translated on the way.
  const LocationId* const frames = st.frames.get();
  const std::vector<Accepted>& accepted = st.accepted;
  const std::vector<uint32_t>& order = st.order;
  // A profile's own tree is new: reserve its bound. A dataset's grows by
  // doubling (an exact reserve per profile would copy it every time).
  if (stacks.size() == 1) stacks.Reserve(st.num_frames + 1);
  StackInterner interner(&stacks);
  std::vector<LocationId> stack;
  // The sorted order visits stacks' frames at random: fetch the root end of
  // a stack a few ahead to hide the memory latency, which is most of this
  // loop's time on large profiles.
  constexpr size_t kPrefetchDistance = 8;
  for (size_t i = 0; i < order.size(); ++i) {
    if (i + kPrefetchDistance < order.size()) {
      const Accepted& ahead = accepted[order[i + kPrefetchDistance]];
      const LocationId* root = frames + ahead.first_frame + ahead.num_frames;
      __builtin_prefetch(root - 1);
      if (ahead.num_frames > 16) __builtin_prefetch(root - 17);  // the previous cache line
    }
    const Accepted& a = accepted[order[i]];
    stack.resize(a.num_frames);
    for (uint32_t f = 0; f < a.num_frames; ++f) stack[f] = location_ids[frames[a.first_frame + f]];
    out[order[i]] = interner.InternLeafFirst(stack);
  }
}

// Reads |data| (gzip or not) into |st|, ready for InternStacks; |st|'s
// strings point into |data| or |scratch| until KeepUsedStrings.
absl::Status DecodeMessage(std::string_view data, const ImportOptions& options, DecodeScratch& scratch,
                           DecodeState& st) {
  if (IsGzip(data)) {
    RETURN_IF_ERROR(GunzipInto(data, options.max_decompressed_bytes, &scratch.bytes));
    data = scratch.bytes;
  }
  RETURN_IF_ERROR(ReadTopLevel(data, scratch.top));
  return Decode(options, scratch, st);
}

// Field numbers and wire types of pprof's top-level message.
bool PlausibleTopLevelField(uint32_t field, uint32_t wire_type) {
  switch (field) {
    case 1: case 2: case 3: case 4: case 5: case 6: case 11:
      return wire_type == 2;
    case 13:
      return wire_type == 0 || wire_type == 2;
    case 7: case 8: case 9: case 10: case 12: case 14: case 15:
      return wire_type == 0;
    default:
      return false;
  }
}

class PprofImporter final : public Importer {
 public:
  std::string_view format() const override { return "pprof"; }

  int Sniff(std::string_view data) const override {
    if (IsGzip(data)) return 40;  // the registry un-gzips; a direct caller may not
    // Walk the top-level fields without decoding them: every tag must be a
    // pprof field with its wire type, and the string table must be present.
    ProtoWireReader in(data);
    bool saw_strings = false;
    int fields = 0;
    while (!in.done()) {
      uint32_t field;
      WireType wire;
      if (!in.ReadTag(&field, &wire)) return 0;
      if (!PlausibleTopLevelField(field, static_cast<uint32_t>(wire))) return 0;
      if (field == 6) saw_strings = true;
      if (!in.SkipField(field, wire)) return 0;
      ++fields;
    }
    return saw_strings && fields > 0 ? 90 : 0;
  }

  absl::StatusOr<std::vector<Profile>> Import(std::string_view data,
                                              const ImportOptions& options) const override {
    ASSIGN_OR_RETURN(Profile p, ParsePprof(data, options));
    std::vector<Profile> out;
    out.push_back(std::move(p));
    return out;
  }
};

}  // namespace

static DecodeScratch& ThreadScratch() {
  thread_local DecodeScratch scratch;
  return scratch;
}

absl::StatusOr<Profile> ParsePprof(std::string_view data, const ImportOptions& options) {
  DecodeScratch& scratch = ThreadScratch();
  // The state too: its frame buffer is the largest.
  thread_local DecodeState state;
  absl::Cleanup release = [&] {
    scratch.ReleaseOutsize();
    if (state.frames_capacity * sizeof(LocationId) > DecodeScratch::kKeepBytes) state = DecodeState();
  };
  state.Clear();
  RETURN_IF_ERROR(DecodeMessage(data, options, scratch, state));
  Profile& out = state.header;
  InternStacks(state, out.symbols, out.stacks, std::span<StackId>(out.sample_stacks), /*every_location=*/true);
  return std::move(out);
}

struct DecodedPprof::State : DecodeState {};

DecodedPprof::DecodedPprof() : state_(std::make_unique<State>()) {}
DecodedPprof::~DecodedPprof() = default;

absl::StatusOr<std::unique_ptr<DecodedPprof>> DecodedPprof::Decode(std::string_view data,
                                                                  const ImportOptions& options) {
  DecodeScratch& scratch = ThreadScratch();
  absl::Cleanup release = [&] { scratch.ReleaseOutsize(); };
  std::unique_ptr<DecodedPprof> decoded(new DecodedPprof());
  RETURN_IF_ERROR(DecodeMessage(data, options, scratch, *decoded->state_));
  decoded->state_->KeepUsedStrings();
  return decoded;
}

Profile& DecodedPprof::header() { return state_->header; }
const Profile& DecodedPprof::header() const { return state_->header; }

void DecodedPprof::InternInto(SymbolTable& symbols, StackTraceTree& stacks, std::span<StackId> out) {
  InternStacks(*state_, symbols, stacks, out, /*every_location=*/false);
}

std::unique_ptr<Importer> NewPprofImporter() { return std::make_unique<PprofImporter>(); }

}  // namespace kiln
