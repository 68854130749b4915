// Deduplicated symbols of one profile (or, in storage, of one dataset):
// strings, mappings, functions, locations and their lines, in pprof's model.
//
// Invariants:
//  1. Id 0 of every table is a null entry meaning "none" (as pprof ids are
//     nonzero): mapping 0 = no mapping, function 0 = no function.
//  2. Interning is by value: two equal entries always get the same id, so
//     tables built from many inputs hold each symbol once.
//  3. A location's lines are stored contiguously in lines(); line 0 of a
//     location is its innermost (inlined) frame, the last one the caller.
// Thread safety: none; one writer, or many readers after the last write.
#ifndef KILN_SYMBOLS_SYMBOL_TABLE_H_
#define KILN_SYMBOLS_SYMBOL_TABLE_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "kiln/symbols/string_table.h"

namespace kiln {

using MappingId = uint32_t;
using FunctionId = uint32_t;
using LocationId = uint32_t;

struct Mapping {
  uint64_t memory_start = 0;
  uint64_t memory_limit = 0;
  uint64_t file_offset = 0;
  StringId filename = 0;
  StringId build_id = 0;
  bool has_functions = false;
  bool has_filenames = false;
  bool has_line_numbers = false;
  bool has_inline_frames = false;
  friend bool operator==(const Mapping&, const Mapping&) = default;
};

struct Function {
  StringId name = 0;
  StringId system_name = 0;
  StringId filename = 0;
  int64_t start_line = 0;
  friend bool operator==(const Function&, const Function&) = default;
};

struct Line {
  FunctionId function_id = 0;
  int64_t line = 0;
  int64_t column = 0;
  friend bool operator==(const Line&, const Line&) = default;
};

struct Location {
  MappingId mapping_id = 0;
  uint64_t address = 0;
  uint32_t first_line = 0;  // index into SymbolTable::lines()
  uint32_t num_lines = 0;
  bool is_folded = false;
};

class SymbolTable {
 public:
  SymbolTable();
  SymbolTable(const SymbolTable&) = delete;
  SymbolTable& operator=(const SymbolTable&) = delete;
  SymbolTable(SymbolTable&&) = default;
  SymbolTable& operator=(SymbolTable&&) = default;

  StringTable& strings() { return strings_; }
  const StringTable& strings() const { return strings_; }
  StringId InternString(std::string_view s) { return strings_.Intern(s); }
  std::string_view String(StringId id) const { return strings_.Get(id); }

  MappingId InternMapping(const Mapping& m);
  FunctionId InternFunction(const Function& f);
  LocationId InternLocation(MappingId mapping, uint64_t address, std::span<const Line> lines,
                            bool is_folded = false);

  // Shorthand for formats that only know names: a function named |name| in
  // |file| (may be empty) and a location with one line at |line|.
  LocationId InternFrame(std::string_view name, std::string_view file = {}, int64_t line = 0);

  const Mapping& mapping(MappingId id) const { return mappings_[id]; }
  const Function& function(FunctionId id) const { return functions_[id]; }
  const Location& location(LocationId id) const { return locations_[id]; }
  std::span<const Line> lines(LocationId id) const {
    const Location& l = locations_[id];
    return {lines_.data() + l.first_line, l.num_lines};
  }
  std::string_view FunctionName(FunctionId id) const { return strings_.Get(functions_[id].name); }

  size_t num_mappings() const { return mappings_.size(); }
  size_t num_functions() const { return functions_.size(); }
  size_t num_locations() const { return locations_.size(); }
  size_t num_lines() const { return lines_.size(); }

 private:
  struct MappingHash {
    size_t operator()(const Mapping& m) const;
  };
  struct FunctionHash {
    size_t operator()(const Function& f) const;
  };

  StringTable strings_;
  std::vector<Mapping> mappings_;
  std::vector<Function> functions_;
  std::vector<Location> locations_;
  std::vector<Line> lines_;
  absl::flat_hash_map<Mapping, MappingId, MappingHash> mapping_index_;
  absl::flat_hash_map<Function, FunctionId, FunctionHash> function_index_;
  // Locations by value, open addressing: a slot holds a location id (0:
  // empty; the null location is never indexed) and its hash's high half, so
  // a probe rarely touches locations_. Interning is on every importer's and
  // every segment's path, and a map keyed by a built string cost a malloc.
  struct LocationSlot {
    LocationId id = 0;
    uint32_t hash = 0;
  };
  static uint64_t HashLocation(MappingId mapping, uint64_t address, std::span<const Line> lines, bool is_folded);
  bool SameLocation(LocationId id, MappingId mapping, uint64_t address, std::span<const Line> lines,
                    bool is_folded) const;
  void GrowLocationIndex();
  std::vector<LocationSlot> location_slots_;  // size: 0 or a power of two, at most half full
};

}  // namespace kiln

#endif  // KILN_SYMBOLS_SYMBOL_TABLE_H_
