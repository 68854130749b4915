#include "core/ingest/pprof_legacy/profile_builder.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "fmt/format.h"

namespace kiln::pprof_legacy {
namespace {

class SymbolInterner {
 public:
  SymbolInterner(const LegacyProfile& legacy, const ImportOptions& options, Profile* out)
      : legacy_(legacy), options_(options), out_(out),
        mapping_ids_(legacy.mappings.size(), kNone),
        location_ids_(legacy.locations.size(), kNone) {}

  LocationId Location(uint32_t index) {
    if (location_ids_[index] != kNone) return location_ids_[index];
    const LegacyLocation& loc = legacy_.locations[index];
    const MappingId mapping = loc.mapping >= 0 ? Mapping(loc.mapping) : 0;
    std::vector<Line> lines;
    lines.reserve(loc.frames.size());
    for (const LegacyFrame& f : loc.frames) {
      Function fn;
      fn.name = Name(f.function);
      fn.system_name = fn.name;
      fn.filename = Name(f.file);
      lines.push_back(Line{out_->symbols.InternFunction(fn), f.line, 0});
    }
    if (lines.empty()) out_->stats.Bump(ImportStat::unresolved_frames);
    return location_ids_[index] = out_->symbols.InternLocation(mapping, loc.address, lines);
  }

 private:
  static constexpr uint32_t kNone = ~uint32_t{0};

  MappingId Mapping(int index) {
    if (mapping_ids_[index] != kNone) return mapping_ids_[index];
    const LegacyMapping& m = legacy_.mappings[index];
    kiln::Mapping mapping;
    mapping.memory_start = m.start;
    mapping.memory_limit = m.limit;
    mapping.file_offset = m.offset;
    mapping.filename = Name(m.file);
    mapping.build_id = Name(m.build_id);
    return mapping_ids_[index] = out_->symbols.InternMapping(mapping);
  }

  StringId Name(std::string_view s) {
    if (s.size() > options_.max_name_length) {
      out_->stats.Bump(ImportStat::names_truncated);
      s = s.substr(0, options_.max_name_length);
    }
    return out_->symbols.InternString(s);
  }

  const LegacyProfile& legacy_;
  const ImportOptions& options_;
  Profile* out_;
  std::vector<MappingId> mapping_ids_;
  std::vector<LocationId> location_ids_;
};

bool AllZero(const std::vector<int64_t>& values) {
  return std::all_of(values.begin(), values.end(), [](int64_t v) { return v == 0; });
}

}  // namespace

absl::StatusOr<Profile> BuildProfile(const LegacyProfile& legacy, const ImportOptions& options) {
  Profile out;
  out.sample_types = legacy.sample_types;
  out.period_type = legacy.period_type;
  out.period = legacy.period;
  out.duration_nanos = legacy.duration_nanos;
  const size_t k = out.sample_types.size();

  SymbolInterner symbols(legacy, options, &out);
  const StringId bytes = legacy.samples.empty() ? 0 : out.symbols.InternString("bytes");
  // (stack, label set) -> merged sample index.
  absl::flat_hash_map<uint64_t, size_t> merged;
  std::vector<StackId> stacks;
  std::vector<uint32_t> label_sets;
  std::vector<int64_t> values;
  std::vector<LocationId> leaf_first;
  int64_t zero_records = 0;
  for (size_t r = 0; r < legacy.samples.size(); ++r) {
    const LegacySample& s = legacy.samples[r];
    if (s.values.size() != k) {
      return absl::InternalError(fmt::format("record {} has {} values for {} sample types", r,
                                             s.values.size(), k));
    }
    if (AllZero(s.values)) {
      ++zero_records;
      continue;
    }
    leaf_first.clear();
    size_t first = 0;
    if (s.locations.size() > options.max_stack_depth) {
      first = s.locations.size() - options.max_stack_depth;
      out.stats.Bump(ImportStat::stacks_truncated);
    }
    for (size_t i = first; i < s.locations.size(); ++i) {
      leaf_first.push_back(symbols.Location(s.locations[i]));
    }
    const StackId stack = out.stacks.InternLeafFirst(leaf_first);
    uint32_t label_set = 0;
    if (s.block_bytes.has_value()) {
      label_set = out.InternLabelSet({SampleLabel{.key = bytes, .num = *s.block_bytes, .num_unit = bytes}});
    }
    const uint64_t key = (uint64_t{stack} << 32) | label_set;
    auto [it, inserted] = merged.try_emplace(key, stacks.size());
    if (inserted) {
      if (stacks.size() >= options.max_samples) {
        return absl::ResourceExhaustedError(fmt::format(
            "more than {} distinct samples (ImportOptions::max_samples)", options.max_samples));
      }
      stacks.push_back(stack);
      label_sets.push_back(label_set);
      values.insert(values.end(), s.values.begin(), s.values.end());
      continue;
    }
    int64_t* sum = &values[it->second * k];
    for (size_t i = 0; i < k; ++i) {
      if (__builtin_add_overflow(sum[i], s.values[i], &sum[i])) {
        return absl::InvalidArgumentError(fmt::format(
            "record {}: merging it into an earlier record with the same stack overflows int64 "
            "{}",
            r, out.sample_types[i].type));
      }
    }
  }
  // Merged records that cancel out (negative in-use counts) go, as in pprof.
  for (size_t i = 0; i < stacks.size(); ++i) {
    const std::span<const int64_t> v(values.data() + i * k, k);
    if (std::all_of(v.begin(), v.end(), [](int64_t x) { return x == 0; })) {
      ++zero_records;
      continue;
    }
    if (std::any_of(v.begin(), v.end(), [](int64_t x) { return x < 0; })) {
      out.stats.Bump(ImportStat::negative_values);
    }
    out.AddSample(stacks[i], v, label_sets[i]);
  }
  if (zero_records > 0) out.stats.Bump(ImportStat::zero_values_dropped, zero_records);
  return out;
}

}  // namespace kiln::pprof_legacy
