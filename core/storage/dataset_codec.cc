#include "core/storage/dataset_codec.h"

#include <algorithm>
#include <cstdint>
#include <numeric>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "core/storage/high_word_sort.h"
#include "core/storage/varint_coding.h"

namespace kiln::storage {
namespace {

constexpr uint64_t kSectionVersion = 1;

absl::Status Corrupt(std::string_view section, std::string_view what, const ByteReader& r) {
  return absl::DataLossError(absl::StrCat(std::string(section), " section: ", std::string(what),
                                          " (at byte ", r.offset(), ")"));
}

void EncodeStrings(const StringTable& strings, ByteWriter* w) {
  w->Varint(strings.size());
  for (size_t i = 0; i < strings.size(); ++i) w->Varint(strings.Get(static_cast<StringId>(i)).size());
  for (size_t i = 0; i < strings.size(); ++i) w->Bytes(strings.Get(static_cast<StringId>(i)));
}

// Reads the string table and hands every string to |add| in id order.
template <typename Add>
absl::Status DecodeStrings(std::string_view section, ByteReader* r, Add add) {
  const uint64_t n = r->Count();
  std::vector<uint64_t> lengths(n);
  for (auto& len : lengths) len = r->Varint();
  for (uint64_t i = 0; i < n && r->ok(); ++i) {
    std::string_view s = r->Bytes(lengths[i]);
    if (!r->ok()) break;
    if (!add(i, s)) return Corrupt(section, absl::StrCat("duplicate string #", i), *r);
  }
  if (!r->ok()) return Corrupt(section, "truncated string table", *r);
  return absl::OkStatus();
}

}  // namespace

EncodedDataset EncodeDataset(const Dataset& d) {
  EncodedDataset out;
  {
    ByteWriter w(&out.symbols);
    const SymbolTable& s = d.symbols;
    w.Varint(kSectionVersion);
    EncodeStrings(s.strings(), &w);
    w.Varint(s.num_mappings() - 1);
    for (MappingId i = 1; i < s.num_mappings(); ++i) {
      const Mapping& m = s.mapping(i);
      w.Varint(m.memory_start);
      w.Varint(m.memory_limit);
      w.Varint(m.file_offset);
      w.Varint(m.filename);
      w.Varint(m.build_id);
      w.Varint(uint64_t{m.has_functions} | uint64_t{m.has_filenames} << 1 |
               uint64_t{m.has_line_numbers} << 2 | uint64_t{m.has_inline_frames} << 3);
    }
    w.Varint(s.num_functions() - 1);
    for (FunctionId i = 1; i < s.num_functions(); ++i) {
      const Function& f = s.function(i);
      w.Varint(f.name);
      w.Varint(f.system_name);
      w.Varint(f.filename);
      w.Signed(f.start_line);
    }
    w.Varint(s.num_locations() - 1);
    for (LocationId i = 1; i < s.num_locations(); ++i) {
      const Location& l = s.location(i);
      w.Varint(l.mapping_id);
      w.Varint(l.address);
      w.Varint(uint64_t{l.num_lines} << 1 | uint64_t{l.is_folded});
      for (const Line& line : s.lines(i)) {
        w.Varint(line.function_id);
        w.Signed(line.line);
        w.Signed(line.column);
      }
    }
    w.Varint(d.stacks.size() - 1);
    for (StackId i = 1; i < d.stacks.size(); ++i) {
      w.Varint(i - d.stacks.node(i).parent);  // >= 1: parents come first
      w.Varint(d.stacks.node(i).location);
    }
  }
  {
    ByteWriter w(&out.index);
    w.Varint(kSectionVersion);
    StringTable names;
    std::vector<std::vector<std::pair<StringId, StringId>>> series(d.series.size());
    for (size_t i = 0; i < d.series.size(); ++i) {
      for (const auto& [name, value] : d.series[i].pairs()) {
        series[i].emplace_back(names.Intern(name), names.Intern(value));
      }
    }
    EncodeStrings(names, &w);
    w.Varint(series.size());
    for (const auto& pairs : series) {
      w.Varint(pairs.size());
      for (auto [name, value] : pairs) {
        w.Varint(name);
        w.Varint(value);
      }
    }
  }
  std::vector<uint32_t> order(d.profiles.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const ProfileRow &x = d.profiles[a], &y = d.profiles[b];
    return std::tie(x.series, x.time_nanos, x.id) < std::tie(y.series, y.time_nanos, y.id);
  });
  {
    ByteWriter w(&out.profiles);
    w.Varint(kSectionVersion);
    w.Varint(order.size());
    int64_t prev = 0;
    for (uint32_t i : order) {
      w.Signed(int64_t{d.profiles[i].series} - prev);
      prev = d.profiles[i].series;
    }
    prev = 0;
    for (uint32_t i : order) {
      w.Signed(d.profiles[i].time_nanos - prev);
      prev = d.profiles[i].time_nanos;
    }
    for (uint32_t i : order) w.Signed(d.profiles[i].duration_nanos);
    for (uint32_t i : order) {
      w.Bytes(std::string_view(reinterpret_cast<const char*>(d.profiles[i].id.data()), 16));
    }
    for (uint32_t i : order) w.Signed(d.profiles[i].total);
    for (uint32_t i : order) w.Varint(d.profiles[i].num_samples);
  }
  {
    // Per row, samples sorted by stack id: stack ids as deltas, values as a
    // row divisor (gcd: CPU values are multiples of the period) times small
    // quotients, annotations only for rows that have any. Sorting within a
    // row changes nothing a query can see.
    ByteWriter w(&out.samples);
    w.Varint(kSectionVersion);
    uint64_t count = 0;
    for (const ProfileRow& row : d.profiles) count += row.num_samples;
    w.Varint(count);
    // Sorted as (stack << 32 | index) integers, by a radix sort on the stack.
    std::vector<uint64_t> keys, scratch;
    std::vector<std::vector<uint32_t>> row_orders;
    row_orders.reserve(order.size());
    const auto max_stack = static_cast<uint32_t>(d.stacks.size());
    for (uint32_t i : order) {
      const ProfileRow& row = d.profiles[i];
      keys.resize(row.num_samples);
      for (uint32_t j = 0; j < row.num_samples; ++j) {
        keys[j] = uint64_t{d.sample_stacks[row.first_sample + j]} << 32 | j;
      }
      StableSortByHighWord(keys, max_stack, scratch);
      std::vector<uint32_t>& sample_order = row_orders.emplace_back(row.num_samples);
      for (uint32_t j = 0; j < row.num_samples; ++j) sample_order[j] = static_cast<uint32_t>(keys[j]);
    }
    for (size_t r = 0; r < order.size(); ++r) {
      const ProfileRow& row = d.profiles[order[r]];
      uint32_t prev = 0;
      for (uint32_t j : row_orders[r]) {
        const uint32_t stack = d.sample_stacks[row.first_sample + j];
        w.Varint(stack - prev);
        prev = stack;
      }
    }
    for (size_t r = 0; r < order.size(); ++r) {
      const ProfileRow& row = d.profiles[order[r]];
      uint64_t divisor = 0;
      for (uint32_t j : row_orders[r]) {
        const int64_t v = d.sample_values[row.first_sample + j];
        divisor = std::gcd(divisor, v < 0 ? static_cast<uint64_t>(0) - static_cast<uint64_t>(v) : static_cast<uint64_t>(v));
      }
      if (row.num_samples == 0) continue;
      if (divisor == 0 || divisor > static_cast<uint64_t>(INT64_MAX)) divisor = 1;
      w.Varint(divisor);
      for (uint32_t j : row_orders[r]) w.Signed(d.sample_values[row.first_sample + j] / static_cast<int64_t>(divisor));
    }
    for (size_t r = 0; r < order.size(); ++r) {
      const ProfileRow& row = d.profiles[order[r]];
      bool any = false;
      for (uint32_t j : row_orders[r]) any = any || d.sample_annotations[row.first_sample + j] != 0;
      if (row.num_samples == 0) continue;
      w.Varint(any ? 1 : 0);
      if (!any) continue;
      for (uint32_t j : row_orders[r]) w.Varint(d.sample_annotations[row.first_sample + j]);
    }
    w.Varint(d.annotations.size() - 1);
    for (size_t i = 1; i < d.annotations.size(); ++i) {
      w.Fixed64(d.annotations[i].span_id);
      w.Fixed64(d.annotations[i].trace_id_high);
      w.Fixed64(d.annotations[i].trace_id_low);
    }
  }
  return out;
}

absl::Status DecodeSymbols(std::string_view data, Dataset* out) {
  constexpr std::string_view kSection = "symbols";
  ByteReader r(data);
  if (r.Varint() != kSectionVersion) return Corrupt(kSection, "unknown version", r);
  SymbolTable& s = out->symbols;
  absl::Status status = DecodeStrings(kSection, &r, [&](uint64_t i, std::string_view str) {
    return s.InternString(str) == i;
  });
  if (!status.ok()) return status;
  const uint64_t num_strings = s.strings().size();
  auto bad_string = [&](uint64_t id) { return id >= num_strings; };

  const uint64_t num_mappings = r.Count(6);
  for (uint64_t i = 1; i <= num_mappings && r.ok(); ++i) {
    Mapping m;
    m.memory_start = r.Varint();
    m.memory_limit = r.Varint();
    m.file_offset = r.Varint();
    const uint64_t filename = r.Varint(), build_id = r.Varint(), flags = r.Varint();
    if (bad_string(filename) || bad_string(build_id)) return Corrupt(kSection, absl::StrCat("mapping ", i, ": bad string id"), r);
    m.filename = static_cast<StringId>(filename);
    m.build_id = static_cast<StringId>(build_id);
    m.has_functions = flags & 1;
    m.has_filenames = flags & 2;
    m.has_line_numbers = flags & 4;
    m.has_inline_frames = flags & 8;
    if (r.ok() && s.InternMapping(m) != i) return Corrupt(kSection, absl::StrCat("mapping ", i, ": duplicate"), r);
  }
  const uint64_t num_functions = r.Count(4);
  for (uint64_t i = 1; i <= num_functions && r.ok(); ++i) {
    const uint64_t name = r.Varint(), system_name = r.Varint(), filename = r.Varint();
    const int64_t start_line = r.Signed();
    if (bad_string(name) || bad_string(system_name) || bad_string(filename)) {
      return Corrupt(kSection, absl::StrCat("function ", i, ": bad string id"), r);
    }
    Function f{static_cast<StringId>(name), static_cast<StringId>(system_name), static_cast<StringId>(filename), start_line};
    if (r.ok() && s.InternFunction(f) != i) return Corrupt(kSection, absl::StrCat("function ", i, ": duplicate"), r);
  }
  const uint64_t num_locations = r.Count(3);
  std::vector<Line> lines;
  for (uint64_t i = 1; i <= num_locations && r.ok(); ++i) {
    const uint64_t mapping = r.Varint(), address = r.Varint(), packed = r.Varint();
    const uint64_t num_lines = packed >> 1;
    if (mapping > num_mappings || num_lines > r.remaining() / 3) {
      return Corrupt(kSection, absl::StrCat("location ", i, ": bad mapping or line count"), r);
    }
    lines.resize(num_lines);
    for (Line& line : lines) {
      const uint64_t function = r.Varint();
      if (function > num_functions) return Corrupt(kSection, absl::StrCat("location ", i, ": bad function id"), r);
      line.function_id = static_cast<FunctionId>(function);
      line.line = r.Signed();
      line.column = r.Signed();
    }
    if (r.ok() && s.InternLocation(static_cast<MappingId>(mapping), address, lines, packed & 1) != i) {
      return Corrupt(kSection, absl::StrCat("location ", i, ": duplicate"), r);
    }
  }
  const uint64_t num_nodes = r.Count(2);
  for (uint64_t i = 1; i <= num_nodes && r.ok(); ++i) {
    const uint64_t delta = r.Varint(), location = r.Varint();
    if (delta == 0 || delta > i || location == 0 || location > num_locations) {
      return Corrupt(kSection, absl::StrCat("stack node ", i, ": bad parent or location"), r);
    }
    if (r.ok() && out->stacks.Intern(static_cast<StackId>(i - delta), static_cast<LocationId>(location)) != i) {
      return Corrupt(kSection, absl::StrCat("stack node ", i, ": duplicate"), r);
    }
  }
  if (!r.ok()) return Corrupt(kSection, "truncated", r);
  if (!r.done()) return Corrupt(kSection, "trailing bytes", r);
  return absl::OkStatus();
}

absl::Status DecodeIndex(std::string_view data, Dataset* out) {
  constexpr std::string_view kSection = "index";
  ByteReader r(data);
  if (r.Varint() != kSectionVersion) return Corrupt(kSection, "unknown version", r);
  std::vector<std::string_view> names;
  absl::Status status = DecodeStrings(kSection, &r, [&](uint64_t, std::string_view s) {
    names.push_back(s);
    return true;
  });
  if (!status.ok()) return status;
  const uint64_t num_series = r.Count();
  out->series.clear();
  out->series.reserve(num_series);
  std::vector<LabelSet::Pair> pairs;
  for (uint64_t i = 0; i < num_series && r.ok(); ++i) {
    const uint64_t n = r.Count(2);
    pairs.clear();
    for (uint64_t j = 0; j < n; ++j) {
      const uint64_t name = r.Varint(), value = r.Varint();
      if (name >= names.size() || value >= names.size()) {
        return Corrupt(kSection, absl::StrCat("series ", i, ": bad string id"), r);
      }
      pairs.emplace_back(std::string(names[name]), std::string(names[value]));
    }
    out->series.emplace_back(std::move(pairs));
  }
  if (!r.ok()) return Corrupt(kSection, "truncated", r);
  if (!r.done()) return Corrupt(kSection, "trailing bytes", r);
  return absl::OkStatus();
}

absl::Status DecodeProfiles(std::string_view data, Dataset* out) {
  constexpr std::string_view kSection = "profiles";
  ByteReader r(data);
  if (r.Varint() != kSectionVersion) return Corrupt(kSection, "unknown version", r);
  const uint64_t n = r.Count(21);  // at least 16 id bytes + 5 one-byte varints per row
  std::vector<ProfileRow>& rows = out->profiles;
  rows.assign(n, ProfileRow{});
  int64_t prev = 0;
  for (ProfileRow& row : rows) {
    prev += r.Signed();
    if (prev < 0 || prev > UINT32_MAX) return Corrupt(kSection, "bad series id", r);
    row.series = static_cast<uint32_t>(prev);
  }
  prev = 0;
  for (ProfileRow& row : rows) row.time_nanos = prev = static_cast<int64_t>(static_cast<uint64_t>(prev) + static_cast<uint64_t>(r.Signed()));
  for (ProfileRow& row : rows) row.duration_nanos = r.Signed();
  for (ProfileRow& row : rows) {
    std::string_view id = r.Bytes(16);
    if (r.ok()) std::copy(id.begin(), id.end(), row.id.begin());
  }
  for (ProfileRow& row : rows) row.total = r.Signed();
  uint64_t first = 0;
  for (ProfileRow& row : rows) {
    const uint64_t count = r.Varint();
    if (count > UINT32_MAX) return Corrupt(kSection, "bad sample count", r);
    row.first_sample = first;
    row.num_samples = static_cast<uint32_t>(count);
    first += count;
  }
  if (!r.ok()) return Corrupt(kSection, "truncated", r);
  if (!r.done()) return Corrupt(kSection, "trailing bytes", r);
  if (!out->series.empty()) {
    for (const ProfileRow& row : rows) {
      if (row.series >= out->series.size()) return Corrupt(kSection, "series id out of range", r);
    }
  }
  return absl::OkStatus();
}

absl::Status DecodeSamples(std::string_view data, Dataset* out) {
  constexpr std::string_view kSection = "samples";
  ByteReader r(data);
  if (r.Varint() != kSectionVersion) return Corrupt(kSection, "unknown version", r);
  const uint64_t n = r.Count(2);
  const uint64_t expected = out->profiles.empty() ? 0
                                                  : out->profiles.back().first_sample + out->profiles.back().num_samples;
  if (n != expected) {
    return Corrupt(kSection, absl::StrCat(n, " samples, but the profile rows account for ", expected), r);
  }
  out->sample_stacks.resize(n);
  out->sample_values.resize(n);
  out->sample_annotations.assign(n, 0);
  const uint64_t num_stacks = out->stacks.size();
  for (const ProfileRow& row : out->profiles) {
    uint64_t stack = 0;
    for (uint64_t j = row.first_sample; j < row.first_sample + row.num_samples; ++j) {
      stack += r.Varint();
      if (stack > UINT32_MAX || (num_stacks > 1 && stack >= num_stacks)) return Corrupt(kSection, "stack id out of range", r);
      out->sample_stacks[j] = static_cast<StackId>(stack);
    }
  }
  for (const ProfileRow& row : out->profiles) {
    if (row.num_samples == 0) continue;
    const uint64_t divisor = r.Varint();
    if (divisor == 0 || divisor > static_cast<uint64_t>(INT64_MAX)) return Corrupt(kSection, "bad value divisor", r);
    for (uint64_t j = row.first_sample; j < row.first_sample + row.num_samples; ++j) {
      // Wrapping multiply: a corrupt quotient must not be undefined behaviour.
      out->sample_values[j] = static_cast<int64_t>(static_cast<uint64_t>(r.Signed()) * divisor);
    }
  }
  for (const ProfileRow& row : out->profiles) {
    if (row.num_samples == 0) continue;
    const uint64_t any = r.Varint();
    if (any > 1) return Corrupt(kSection, "bad annotation flag", r);
    if (!any) continue;
    for (uint64_t j = row.first_sample; j < row.first_sample + row.num_samples; ++j) {
      out->sample_annotations[j] = static_cast<uint32_t>(r.Varint());
    }
  }
  const uint64_t num_annotations = r.Count(24);
  out->annotations.resize(1);
  for (uint64_t i = 0; i < num_annotations; ++i) {
    SampleAnnotation a;
    a.span_id = r.Fixed64();
    a.trace_id_high = r.Fixed64();
    a.trace_id_low = r.Fixed64();
    out->annotations.push_back(a);
  }
  if (!r.ok()) return Corrupt(kSection, "truncated", r);
  if (!r.done()) return Corrupt(kSection, "trailing bytes", r);
  for (uint32_t a : out->sample_annotations) {
    if (a > num_annotations) return Corrupt(kSection, "annotation id out of range", r);
  }
  return absl::OkStatus();
}

}  // namespace kiln::storage
