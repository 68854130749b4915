#include "core/ingest/firefox/gecko_table.h"

#include <string>

#include "kiln/base/status_macros.h"

namespace kiln::firefox {

absl::StatusOr<GeckoTable> GeckoTable::Read(const Json& table, const JsonPath& path) {
  RETURN_IF_ERROR(ExpectObject(table, path));
  ASSIGN_OR_RETURN(const Json* schema, RequireField(table, "schema", path));
  const JsonPath schema_path = path.Field("schema");
  RETURN_IF_ERROR(ExpectObject(*schema, schema_path));
  ASSIGN_OR_RETURN(const Json* data, RequireArrayField(table, "data", path));
  GeckoTable out;
  out.data_ = data;
  for (auto it = schema->begin(); it != schema->end(); ++it) {
    const JsonPath column_path = schema_path.Field(it.key());
    ASSIGN_OR_RETURN(int64_t index, ReadInteger(it.value(), column_path));
    if (index < 0 || index > 1000) {
      return absl::InvalidArgumentError(
          column_path.ToString() + ": column position " + std::to_string(index) +
          " is out of range");
    }
    out.columns_[it.key()] = static_cast<size_t>(index);
  }
  return out;
}

std::optional<size_t> GeckoTable::Column(std::string_view column) const {
  auto it = columns_.find(std::string(column));
  if (it == columns_.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<const Json*> GeckoTable::Row(size_t row, const JsonPath& data_path) const {
  const Json& r = (*data_)[row];
  RETURN_IF_ERROR(ExpectArray(r, data_path.Index(row)));
  return &r;
}

const Json* GeckoTable::Cell(const Json& row, size_t column) {
  return column < row.size() ? &row[column] : nullptr;
}

}  // namespace kiln::firefox
