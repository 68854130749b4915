#include "kiln/export/pprof_writer.h"

#include <google/protobuf/arena.h>

#include <vector>

#include "absl/container/flat_hash_map.h"

#include "absl/status/status.h"
#include "fmt/format.h"
#include "kiln/base/gzip.h"
#include "perftools/profiles/profile.pb.h"

namespace kiln {
namespace {

namespace pb = perftools::profiles;

// Our tables keep a null entry at index 0 and pprof ids are nonzero, so an
// id of ours is the pprof id as is; strings likewise start with "".
class StringIndex {
 public:
  StringIndex(const SymbolTable& symbols, pb::Profile* out) : out_(out) {
    for (size_t i = 0; i < symbols.strings().size(); ++i) {
      out_->add_string_table(std::string(symbols.String(static_cast<StringId>(i))));
    }
    base_ = symbols.strings().size();
  }
  // Strings that live outside the symbol table (sample types, comments).
  int64_t Add(std::string_view s) {
    auto it = extra_.find(std::string(s));
    if (it != extra_.end()) return it->second;
    const int64_t id = static_cast<int64_t>(base_ + extra_.size());
    out_->add_string_table(std::string(s));
    extra_.emplace(std::string(s), id);
    return id;
  }

 private:
  pb::Profile* out_;
  size_t base_ = 0;
  absl::flat_hash_map<std::string, int64_t> extra_;
};

}  // namespace

absl::StatusOr<std::string> WritePprof(const Profile& profile, const PprofWriteOptions& options) {
  const int k = static_cast<int>(profile.num_types());
  if (options.sample_type_index >= k) {
    return absl::InvalidArgumentError(fmt::format(
        "sample type index {} out of range: the profile has {} sample types",
        options.sample_type_index, k));
  }
  google::protobuf::Arena arena;
  auto* out = google::protobuf::Arena::CreateMessage<pb::Profile>(&arena);
  const SymbolTable& symbols = profile.symbols;
  StringIndex strings(symbols, out);

  std::vector<int> types;
  for (int i = 0; i < k; ++i) {
    if (options.sample_type_index < 0 || options.sample_type_index == i) types.push_back(i);
  }
  for (int i : types) {
    auto* vt = out->add_sample_type();
    vt->set_type(strings.Add(profile.sample_types[i].type));
    vt->set_unit(strings.Add(profile.sample_types[i].unit));
  }
  if (!profile.period_type.type.empty() || !profile.period_type.unit.empty()) {
    out->mutable_period_type()->set_type(strings.Add(profile.period_type.type));
    out->mutable_period_type()->set_unit(strings.Add(profile.period_type.unit));
  }
  out->set_period(profile.period);
  out->set_time_nanos(profile.time_nanos);
  out->set_duration_nanos(profile.duration_nanos);
  if (!profile.default_sample_type.empty() &&
      (options.sample_type_index < 0 ||
       profile.sample_types[options.sample_type_index].type == profile.default_sample_type)) {
    out->set_default_sample_type(strings.Add(profile.default_sample_type));
  }
  if (!profile.drop_frames.empty()) out->set_drop_frames(strings.Add(profile.drop_frames));
  if (!profile.keep_frames.empty()) out->set_keep_frames(strings.Add(profile.keep_frames));
  for (const auto& c : profile.comments) out->add_comment(strings.Add(c));

  for (MappingId id = 1; id < symbols.num_mappings(); ++id) {
    const Mapping& m = symbols.mapping(id);
    auto* pm = out->add_mapping();
    pm->set_id(id);
    pm->set_memory_start(m.memory_start);
    pm->set_memory_limit(m.memory_limit);
    pm->set_file_offset(m.file_offset);
    pm->set_filename(m.filename);
    pm->set_build_id(m.build_id);
    pm->set_has_functions(m.has_functions);
    pm->set_has_filenames(m.has_filenames);
    pm->set_has_line_numbers(m.has_line_numbers);
    pm->set_has_inline_frames(m.has_inline_frames);
  }
  for (FunctionId id = 1; id < symbols.num_functions(); ++id) {
    const Function& f = symbols.function(id);
    auto* pf = out->add_function();
    pf->set_id(id);
    pf->set_name(f.name);
    pf->set_system_name(f.system_name);
    pf->set_filename(f.filename);
    pf->set_start_line(f.start_line);
  }
  for (LocationId id = 1; id < symbols.num_locations(); ++id) {
    const Location& l = symbols.location(id);
    auto* pl = out->add_location();
    pl->set_id(id);
    pl->set_mapping_id(l.mapping_id);
    pl->set_address(l.address);
    pl->set_is_folded(l.is_folded);
    for (const Line& line : symbols.lines(id)) {
      auto* pline = pl->add_line();
      pline->set_function_id(line.function_id);
      pline->set_line(line.line);
      pline->set_column(line.column);
    }
  }

  std::vector<LocationId> stack;
  for (size_t i = 0; i < profile.num_samples(); ++i) {
    auto values = profile.values(i);
    bool all_zero = true;
    for (int t : types) all_zero = all_zero && values[t] == 0;
    if (all_zero) continue;
    auto* s = out->add_sample();
    profile.stacks.Unwind(profile.sample_stacks[i], &stack);
    for (LocationId loc : stack) s->add_location_id(loc);
    for (int t : types) s->add_value(values[t]);
    for (const SampleLabel& l : profile.label_sets[profile.sample_label_sets[i]]) {
      auto* pl = s->add_label();
      pl->set_key(l.key);
      pl->set_str(l.str);
      pl->set_num(l.num);
      pl->set_num_unit(l.num_unit);
    }
  }

  std::string bytes = out->SerializeAsString();
  if (!options.gzip) return bytes;
  return Gzip(bytes);
}

}  // namespace kiln
