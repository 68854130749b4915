#include "kiln/symbols/symbol_table.h"

#include <algorithm>
#include <cstring>

#include "absl/hash/hash.h"

namespace kiln {

size_t SymbolTable::MappingHash::operator()(const Mapping& m) const {
  return absl::HashOf(m.memory_start, m.memory_limit, m.file_offset, m.filename, m.build_id,
                      m.has_functions, m.has_filenames, m.has_line_numbers, m.has_inline_frames);
}

size_t SymbolTable::FunctionHash::operator()(const Function& f) const {
  return absl::HashOf(f.name, f.system_name, f.filename, f.start_line);
}

SymbolTable::SymbolTable() {
  mappings_.emplace_back();
  functions_.emplace_back();
  locations_.emplace_back();
}

MappingId SymbolTable::InternMapping(const Mapping& m) {
  auto [it, inserted] = mapping_index_.try_emplace(m, static_cast<MappingId>(mappings_.size()));
  if (inserted) mappings_.push_back(m);
  return it->second;
}

FunctionId SymbolTable::InternFunction(const Function& f) {
  auto [it, inserted] = function_index_.try_emplace(f, static_cast<FunctionId>(functions_.size()));
  if (inserted) functions_.push_back(f);
  return it->second;
}

namespace {

uint64_t Mix(uint64_t h, uint64_t v) {
  h = (h ^ v) * 0x9E3779B97F4A7C15ull;
  return h ^ (h >> 29);
}

}  // namespace

uint64_t SymbolTable::HashLocation(MappingId mapping, uint64_t address, std::span<const Line> lines,
                                   bool is_folded) {
  uint64_t h = Mix(Mix(0x2545F4914F6CDD1Dull, uint64_t{mapping} << 1 | (is_folded ? 1 : 0)), address);
  for (const Line& l : lines) {
    h = Mix(Mix(Mix(h, l.function_id), static_cast<uint64_t>(l.line)), static_cast<uint64_t>(l.column));
  }
  return h;
}

bool SymbolTable::SameLocation(LocationId id, MappingId mapping, uint64_t address, std::span<const Line> lines,
                               bool is_folded) const {
  const Location& l = locations_[id];
  if (l.mapping_id != mapping || l.address != address || l.is_folded != is_folded || l.num_lines != lines.size()) {
    return false;
  }
  return std::equal(lines.begin(), lines.end(), lines_.begin() + l.first_line);
}

void SymbolTable::GrowLocationIndex() {
  std::vector<LocationSlot> slots(std::max<size_t>(64, location_slots_.size() * 2));
  const size_t mask = slots.size() - 1;
  for (const LocationSlot& old : location_slots_) {
    if (old.id == 0) continue;
    const Location& l = locations_[old.id];
    const uint64_t h = HashLocation(l.mapping_id, l.address, lines(old.id), l.is_folded);
    size_t i = h & mask;
    while (slots[i].id != 0) i = (i + 1) & mask;
    slots[i] = old;
  }
  location_slots_ = std::move(slots);
}

LocationId SymbolTable::InternLocation(MappingId mapping, uint64_t address,
                                       std::span<const Line> lines, bool is_folded) {
  // Grow at half full: locations_ counts the null entry, which is not indexed.
  if (locations_.size() * 2 > location_slots_.size()) GrowLocationIndex();
  const uint64_t h = HashLocation(mapping, address, lines, is_folded);
  const auto tag = static_cast<uint32_t>(h >> 32);
  const size_t mask = location_slots_.size() - 1;
  size_t i = h & mask;
  for (; location_slots_[i].id != 0; i = (i + 1) & mask) {
    const LocationSlot& slot = location_slots_[i];
    if (slot.hash == tag && SameLocation(slot.id, mapping, address, lines, is_folded)) return slot.id;
  }
  const auto id = static_cast<LocationId>(locations_.size());
  Location loc;
  loc.mapping_id = mapping;
  loc.address = address;
  loc.first_line = static_cast<uint32_t>(lines_.size());
  loc.num_lines = static_cast<uint32_t>(lines.size());
  loc.is_folded = is_folded;
  lines_.insert(lines_.end(), lines.begin(), lines.end());
  locations_.push_back(loc);
  location_slots_[i] = {id, tag};
  return id;
}

LocationId SymbolTable::InternFrame(std::string_view name, std::string_view file, int64_t line) {
  Function f;
  f.name = strings_.Intern(name);
  f.system_name = f.name;
  f.filename = strings_.Intern(file);
  const FunctionId fid = InternFunction(f);
  const Line l{fid, line, 0};
  return InternLocation(0, 0, std::span<const Line>(&l, 1));
}

}  // namespace kiln
