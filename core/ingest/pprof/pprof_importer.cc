#include "kiln/ingest/pprof_importer.h"

#include <google/protobuf/arena.h>
#include <google/protobuf/io/coded_stream.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "fmt/format.h"
#include "kiln/base/gzip.h"
#include "kiln/base/status_macros.h"
#include "perftools/profiles/profile.pb.h"

namespace kiln {
namespace {

namespace pb = perftools::profiles;
using google::protobuf::io::CodedInputStream;

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
  uint32_t Get(uint64_t pprof_id) const {
    if (pprof_id < dense_.size()) return dense_[pprof_id];
    auto it = sparse_.find(pprof_id);
    return it == sparse_.end() ? kMissing : it->second;
  }
  bool Has(uint64_t pprof_id) const { return Get(pprof_id) != kMissing; }
  static constexpr uint32_t kMissing = 0xffffffffu;

 private:
  static constexpr uint64_t kDenseLimit = 1 << 22;
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

// Resolves string-table indexes, turning bad ones into errors that name the field.
class Strings {
 public:
  Strings(const pb::Profile& p, Profile* out, size_t max_len) : p_(p) {
    ids_.reserve(p.string_table_size());
    for (const std::string& s : p.string_table()) {
      if (s.size() > max_len) {
        out->stats.Bump(ImportStat::names_truncated);
        ids_.push_back(out->symbols.InternString(std::string_view(s).substr(0, max_len)));
      } else {
        ids_.push_back(out->symbols.InternString(s));
      }
    }
  }
  absl::StatusOr<StringId> Get(int64_t index, const Field& field) const {
    if (index < 0 || static_cast<uint64_t>(index) >= ids_.size()) {
      return absl::InvalidArgumentError(fmt::format(
          "{}: string index {} out of range (string_table has {} entries)", field.ToString(), index,
          ids_.size()));
    }
    return ids_[index];
  }
  absl::StatusOr<std::string> Text(int64_t index, const Field& field) const {
    ASSIGN_OR_RETURN(StringId id, Get(index, field));
    (void)id;
    return p_.string_table(static_cast<int>(index));
  }

 private:
  const pb::Profile& p_;
  std::vector<StringId> ids_;
};

absl::Status Convert(const pb::Profile& p, const ImportOptions& options, Profile* out) {
  if (p.string_table_size() == 0) {
    return absl::InvalidArgumentError("string_table is empty (entry 0 must be \"\")");
  }
  if (!p.string_table(0).empty()) {
    return absl::InvalidArgumentError(
        fmt::format("string_table[0] must be \"\", found \"{}\"", p.string_table(0).substr(0, 40)));
  }
  Strings strings(p, out, options.max_name_length);

  for (int i = 0; i < p.sample_type_size(); ++i) {
    const auto& vt = p.sample_type(i);
    ValueType t;
    ASSIGN_OR_RETURN(t.type, strings.Text(vt.type(), {"sample_type", i, "type"}));
    ASSIGN_OR_RETURN(t.unit, strings.Text(vt.unit(), {"sample_type", i, "unit"}));
    out->sample_types.push_back(std::move(t));
  }
  if (p.has_period_type()) {
    ASSIGN_OR_RETURN(out->period_type.type, strings.Text(p.period_type().type(), "period_type.type"));
    ASSIGN_OR_RETURN(out->period_type.unit, strings.Text(p.period_type().unit(), "period_type.unit"));
  }
  out->period = p.period();
  out->time_nanos = p.time_nanos();
  out->duration_nanos = p.duration_nanos();
  ASSIGN_OR_RETURN(out->default_sample_type, strings.Text(p.default_sample_type(), "default_sample_type"));
  ASSIGN_OR_RETURN(out->drop_frames, strings.Text(p.drop_frames(), "drop_frames"));
  ASSIGN_OR_RETURN(out->keep_frames, strings.Text(p.keep_frames(), "keep_frames"));
  for (int i = 0; i < p.comment_size(); ++i) {
    ASSIGN_OR_RETURN(std::string c, strings.Text(p.comment(i), {"comment", i, nullptr}));
    out->comments.push_back(std::move(c));
  }

  IdMap mappings;
  for (int i = 0; i < p.mapping_size(); ++i) {
    const auto& m = p.mapping(i);
    if (m.id() == 0) return absl::InvalidArgumentError(fmt::format("mapping[{}]: id is 0", i));
    if (mappings.Has(m.id())) {
      return absl::InvalidArgumentError(fmt::format("mapping[{}]: duplicate id {}", i, m.id()));
    }
    Mapping ours;
    ours.memory_start = m.memory_start();
    ours.memory_limit = m.memory_limit();
    ours.file_offset = m.file_offset();
    ASSIGN_OR_RETURN(ours.filename, strings.Get(m.filename(), {"mapping", i, "filename"}));
    ASSIGN_OR_RETURN(ours.build_id, strings.Get(m.build_id(), {"mapping", i, "build_id"}));
    ours.has_functions = m.has_functions();
    ours.has_filenames = m.has_filenames();
    ours.has_line_numbers = m.has_line_numbers();
    ours.has_inline_frames = m.has_inline_frames();
    mappings.Put(m.id(), out->symbols.InternMapping(ours));
  }

  IdMap functions;
  for (int i = 0; i < p.function_size(); ++i) {
    const auto& f = p.function(i);
    if (functions.Has(f.id())) {
      return absl::InvalidArgumentError(fmt::format("function[{}]: duplicate id {}", i, f.id()));
    }
    Function ours;
    ASSIGN_OR_RETURN(ours.name, strings.Get(f.name(), {"function", i, "name"}));
    ASSIGN_OR_RETURN(ours.system_name,
                     strings.Get(f.system_name(), {"function", i, "system_name"}));
    ASSIGN_OR_RETURN(ours.filename, strings.Get(f.filename(), {"function", i, "filename"}));
    ours.start_line = f.start_line();
    // Id 0 is reserved, but some writers (older .NET agents) use it; it is
    // unambiguous within the file, so accept it rather than lose the frames.
    functions.Put(f.id(), out->symbols.InternFunction(ours));
  }

  IdMap locations;
  std::vector<Line> lines;
  for (int i = 0; i < p.location_size(); ++i) {
    const auto& l = p.location(i);
    if (l.id() == 0) return absl::InvalidArgumentError(fmt::format("location[{}]: id is 0", i));
    if (locations.Has(l.id())) {
      return absl::InvalidArgumentError(fmt::format("location[{}]: duplicate id {}", i, l.id()));
    }
    MappingId mapping = 0;
    if (l.mapping_id() != 0) {
      mapping = mappings.Get(l.mapping_id());
      if (mapping == IdMap::kMissing) {
        out->stats.Note(ImportStat::invalid_references,
                        fmt::format("location {}: mapping id {} does not exist", l.id(), l.mapping_id()));
        mapping = 0;
      }
    }
    lines.clear();
    for (const auto& line : l.line()) {
      uint32_t fn = functions.Get(line.function_id());
      if (fn == IdMap::kMissing) {
        out->stats.Note(ImportStat::invalid_references,
                        fmt::format("location {}: function id {} does not exist", l.id(),
                                    line.function_id()));
        continue;
      }
      lines.push_back(Line{fn, line.line(), line.column()});
    }
    locations.Put(l.id(), out->symbols.InternLocation(mapping, l.address(), lines, l.is_folded()));
  }

  const size_t k = out->sample_types.size();
  if (static_cast<size_t>(p.sample_size()) > options.max_samples) {
    return absl::ResourceExhaustedError(fmt::format(
        "profile has {} samples, more than the limit of {}", p.sample_size(), options.max_samples));
  }
  // Pass 1: validate samples and translate their locations (leaf first)
  // into one flat array.
  struct Accepted {
    int index;
    uint32_t first_frame;
    uint32_t num_frames;
    uint32_t label_set;
  };
  std::vector<Accepted> accepted;
  accepted.reserve(p.sample_size());
  std::vector<LocationId> frames;
  {
    size_t total = 0;
    for (const auto& sample : p.sample()) total += sample.location_id_size();
    frames.reserve(total);
  }
  std::vector<SampleLabel> labels;
  for (int i = 0; i < p.sample_size(); ++i) {
    const auto& s = p.sample(i);
    if (static_cast<size_t>(s.value_size()) != k) {
      out->stats.Note(ImportStat::records_skipped,
                      fmt::format("sample {}: has {} values for {} sample types", i, s.value_size(), k));
      continue;
    }
    const size_t first = frames.size();
    bool bad = false;
    for (uint64_t loc_id : s.location_id()) {
      uint32_t loc = locations.Get(loc_id);
      if (loc == IdMap::kMissing) {
        out->stats.Note(ImportStat::invalid_references,
                        fmt::format("sample {}: location id {} does not exist", i, loc_id));
        bad = true;
        break;
      }
      frames.push_back(loc);
    }
    if (bad) {
      frames.resize(first);
      continue;
    }
    if (frames.size() - first > options.max_stack_depth) {
      // Keep the root-most frames: the leaf-first array's tail.
      out->stats.Bump(ImportStat::stacks_truncated);
      frames.erase(frames.begin() + first, frames.end() - options.max_stack_depth);
    }
    uint32_t label_set = 0;
    if (s.label_size() > 0) {
      labels.clear();
      for (int j = 0; j < s.label_size(); ++j) {
        const auto& lb = s.label(j);
        SampleLabel ours;
        ASSIGN_OR_RETURN(ours.key, strings.Get(lb.key(), {"sample", i, "label", j, "key"}));
        ASSIGN_OR_RETURN(ours.str, strings.Get(lb.str(), {"sample", i, "label", j, "str"}));
        ASSIGN_OR_RETURN(ours.num_unit, strings.Get(lb.num_unit(), {"sample", i, "label", j, "num_unit"}));
        ours.num = lb.num();
        labels.push_back(ours);
      }
      label_set = out->InternLabelSet(labels);
    }
    accepted.push_back({i, static_cast<uint32_t>(first), static_cast<uint32_t>(frames.size() - first), label_set});
  }

  // Pass 2: intern stacks grouped by their two root-most frames, so that
  // consecutive stacks tend to share a prefix and only their new frames
  // touch the tree (a full lexicographic sort costs more than it saves).
  std::vector<std::pair<uint64_t, uint32_t>> order(accepted.size());
  for (uint32_t i = 0; i < order.size(); ++i) {
    const Accepted& a = accepted[i];
    const LocationId* f = frames.data() + a.first_frame;
    const uint64_t root = a.num_frames > 0 ? f[a.num_frames - 1] : 0;
    const uint64_t next = a.num_frames > 1 ? f[a.num_frames - 2] : 0;
    order[i] = {root << 32 | next, i};
  }
  std::sort(order.begin(), order.end());
  out->stacks.Reserve(frames.size() + 1);
  std::vector<StackId> stack_of(accepted.size());
  StackInterner interner(&out->stacks);
  for (const auto& [key, a] : order) {
    stack_of[a] = interner.InternLeafFirst(
        std::span<const LocationId>(frames.data() + accepted[a].first_frame, accepted[a].num_frames));
  }

  // Pass 3: the samples, in their original order.
  out->sample_stacks.reserve(accepted.size());
  out->sample_values.reserve(accepted.size() * k);
  for (size_t a = 0; a < accepted.size(); ++a) {
    const auto& s = p.sample(accepted[a].index);
    out->AddSample(stack_of[a], std::span<const int64_t>(s.value().data(), s.value().size()), accepted[a].label_set);
  }
  return absl::OkStatus();
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
    CodedInputStream in(reinterpret_cast<const uint8_t*>(data.data()), static_cast<int>(data.size()));
    bool saw_strings = false;
    int fields = 0;
    while (true) {
      uint32_t tag = in.ReadTag();
      if (tag == 0) break;
      const uint32_t field = tag >> 3, wire = tag & 7;
      if (!PlausibleTopLevelField(field, wire)) return 0;
      if (field == 6) saw_strings = true;
      if (wire == 0) {
        uint64_t v;
        if (!in.ReadVarint64(&v)) return 0;
      } else {
        uint32_t len;
        if (!in.ReadVarint32(&len) || !in.Skip(static_cast<int>(len))) return 0;
      }
      ++fields;
    }
    if (in.CurrentPosition() != static_cast<int>(data.size())) return 0;
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

absl::StatusOr<Profile> ParsePprof(std::string_view data, const ImportOptions& options) {
  std::string inflated;
  if (IsGzip(data)) {
    ASSIGN_OR_RETURN(inflated, Gunzip(data, options.max_decompressed_bytes));
    data = inflated;
  }
  if (data.size() > static_cast<size_t>(INT32_MAX)) {
    return absl::ResourceExhaustedError("pprof message larger than 2 GiB");
  }
  google::protobuf::ArenaOptions arena_options;
  arena_options.start_block_size = 64 << 10;
  arena_options.max_block_size = 4 << 20;
  google::protobuf::Arena arena(arena_options);
  auto* message = google::protobuf::Arena::CreateMessage<pb::Profile>(&arena);
  if (!message->ParseFromArray(data.data(), static_cast<int>(data.size()))) {
    return absl::InvalidArgumentError(
        fmt::format("not a valid pprof protobuf message ({} bytes after decompression)", data.size()));
  }
  Profile out;
  RETURN_IF_ERROR(Convert(*message, options, &out));
  return out;
}

std::unique_ptr<Importer> NewPprofImporter() { return std::make_unique<PprofImporter>(); }

}  // namespace kiln
