// Interned strings. Id 0 is always "" so that 0 can mean "unset" in every
// table that refers to strings, as in pprof.
//
// Invariants:
//  1. Get(Intern(s)) == s, and Intern returns the same id for equal strings.
//  2. Ids are dense: 0 .. size()-1, assigned in first-seen order.
//  3. Returned string_views stay valid for the table's lifetime, also across
//     a move: the bytes live in heap chunks that never move.
// Thread safety: none; one writer, or many readers after the last write.
#ifndef KILN_SYMBOLS_STRING_TABLE_H_
#define KILN_SYMBOLS_STRING_TABLE_H_

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace kiln {

using StringId = uint32_t;

class StringTable {
 public:
  StringTable();
  StringTable(const StringTable&) = delete;
  StringTable& operator=(const StringTable&) = delete;
  StringTable(StringTable&&) = default;
  StringTable& operator=(StringTable&&) = default;

  StringId Intern(std::string_view s);
  // Returns the id of |s| or -1 when it was never interned.
  int64_t Find(std::string_view s) const;
  std::string_view Get(StringId id) const { return strings_[id]; }
  size_t size() const { return strings_.size(); }
  // Sum of string lengths, for size accounting.
  size_t bytes() const { return bytes_; }

 private:
  // Copies |s| into the current chunk (a new one when it does not fit):
  // one allocation per 64 KiB of names instead of one per long name.
  std::string_view Store(std::string_view s);

  std::vector<std::string_view> strings_;
  std::vector<std::unique_ptr<char[]>> chunks_;
  size_t chunk_used_ = 0, chunk_size_ = 0;
  // absl's string hash: std::hash<std::string_view> (what absl falls back
  // to for std::string_view here) costs twice as much on symbol names.
  struct Hash {
    size_t operator()(std::string_view s) const;
  };
  absl::flat_hash_map<std::string_view, StringId, Hash> index_;
  size_t bytes_ = 0;
};

}  // namespace kiln

#endif  // KILN_SYMBOLS_STRING_TABLE_H_
