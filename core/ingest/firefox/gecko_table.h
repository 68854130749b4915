// A table of the Gecko profiler's raw JSON format: {"schema": {"column":
// index, ...}, "data": [[value, ...], ...]} — rows are tuples, and the
// schema says which position holds which column. Trailing columns may be
// left out of a row (Gecko drops trailing nulls).
#ifndef KILN_CORE_INGEST_FIREFOX_GECKO_TABLE_H_
#define KILN_CORE_INGEST_FIREFOX_GECKO_TABLE_H_

#include <cstddef>
#include <optional>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "core/ingest/json/json_document.h"

namespace kiln::firefox {

class GeckoTable {
 public:
  // |table| (at |path|) must outlive the GeckoTable.
  static absl::StatusOr<GeckoTable> Read(const Json& table, const JsonPath& path);

  size_t size() const { return data_->size(); }
  // The position of |column| in a row, or nullopt when the schema lacks it.
  std::optional<size_t> Column(std::string_view column) const;
  // Row |row| (< size()); InvalidArgument when it is not an array.
  absl::StatusOr<const Json*> Row(size_t row, const JsonPath& data_path) const;
  // The value at |column| of |row|, or nullptr when the row is too short.
  static const Json* Cell(const Json& row, size_t column);

 private:
  const Json* data_ = nullptr;
  absl::flat_hash_map<std::string, size_t> columns_;
};

}  // namespace kiln::firefox

#endif  // KILN_CORE_INGEST_FIREFOX_GECKO_TABLE_H_
