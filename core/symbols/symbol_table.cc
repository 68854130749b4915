#include "kiln/symbols/symbol_table.h"

#include <cstring>

#include "absl/hash/hash.h"

namespace kiln {
namespace {

void AppendRaw(std::string* key, const void* p, size_t n) {
  key->append(static_cast<const char*>(p), n);
}

}  // namespace

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

LocationId SymbolTable::InternLocation(MappingId mapping, uint64_t address,
                                       std::span<const Line> lines, bool is_folded) {
  std::string key;
  key.reserve(16 + lines.size() * sizeof(Line));
  AppendRaw(&key, &mapping, sizeof(mapping));
  AppendRaw(&key, &address, sizeof(address));
  key.push_back(is_folded ? 1 : 0);
  for (const Line& l : lines) {
    AppendRaw(&key, &l.function_id, sizeof(l.function_id));
    AppendRaw(&key, &l.line, sizeof(l.line));
    AppendRaw(&key, &l.column, sizeof(l.column));
  }
  auto [it, inserted] =
      location_index_.try_emplace(std::move(key), static_cast<LocationId>(locations_.size()));
  if (inserted) {
    Location loc;
    loc.mapping_id = mapping;
    loc.address = address;
    loc.first_line = static_cast<uint32_t>(lines_.size());
    loc.num_lines = static_cast<uint32_t>(lines.size());
    loc.is_folded = is_folded;
    lines_.insert(lines_.end(), lines.begin(), lines.end());
    locations_.push_back(loc);
  }
  return it->second;
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
