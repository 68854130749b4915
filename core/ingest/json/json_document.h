// Reading JSON profile formats without exceptions: parsing with errors that
// say where (line, column), and typed access to values whose errors name
// the JSON path ("profiles[0].events[12].at: expected a number, got a
// string"). nlohmann::json throws on a wrong-typed get<>, at() and
// dump(); every access here checks the type first, so nothing throws.
// Shared by the JSON importers (speedscope, chrome, firefox, stackprof).
#ifndef KILN_CORE_INGEST_JSON_JSON_DOCUMENT_H_
#define KILN_CORE_INGEST_JSON_JSON_DOCUMENT_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"
#include "core/ingest/json/json_path.h"
#include "nlohmann/json.hpp"

namespace kiln {

using Json = nlohmann::json;

// The whole of |data| as one JSON value. A UTF-8 byte order mark is skipped;
// strings must be valid UTF-8 (nlohmann checks). Nesting depth is not
// limited: nlohmann parses and destroys values without recursion, and
// callers walk trees with explicit stacks.
// Errors are InvalidArgument and say where: "invalid JSON at line 3,
// column 7 (byte 41): unexpected end of input; ...".
absl::StatusOr<Json> ParseJsonDocument(std::string_view data);

// An importer's input as JSON: gunzipped first when it is gzip (at most
// |max_decompressed_bytes| of output), then ParseJsonDocument.
absl::StatusOr<Json> ParseJsonInput(std::string_view data, size_t max_decompressed_bytes);

// 1-based line and column (in bytes) of byte |offset| of |text|.
struct TextPosition {
  size_t line = 1;
  size_t column = 1;
};
TextPosition LocateOffset(std::string_view text, size_t offset);

// |data| without a leading UTF-8 BOM and whitespace: sniffers look at its
// first byte ('{' or '[') before searching for format keys.
std::string_view SkipJsonPreamble(std::string_view data);

// "an object", "a string", "a number" … for messages.
std::string_view DescribeJsonType(const Json& value);

// The member |key| of |object|, or nullptr when it is absent or |object| is
// not an object.
const Json* FindField(const Json& object, std::string_view key);

// Type checks; |path| is the path of |value|.
absl::Status ExpectObject(const Json& value, const JsonPath& path);
absl::Status ExpectArray(const Json& value, const JsonPath& path);
absl::StatusOr<std::string_view> ReadString(const Json& value, const JsonPath& path);
// A finite number.
absl::StatusOr<double> ReadNumber(const Json& value, const JsonPath& path);
// A number with an integral value that fits in int64 (3 and 3.0 both are).
absl::StatusOr<int64_t> ReadInteger(const Json& value, const JsonPath& path);
// An integer in [0, |limit|): an index into |table| (named in the error,
// e.g. "shared.frames"), which has |limit| entries.
absl::StatusOr<size_t> ReadIndex(const Json& value, size_t limit, std::string_view table,
                                 const JsonPath& path);

// Members of |object| (path |object_path|) that must be present.
absl::StatusOr<const Json*> RequireField(const Json& object, std::string_view key,
                                         const JsonPath& object_path);
absl::StatusOr<const Json*> RequireArrayField(const Json& object, std::string_view key,
                                              const JsonPath& object_path);

// Members that may be absent (or null): |fallback| then.
absl::StatusOr<std::string_view> OptionalStringField(const Json& object, std::string_view key,
                                                     const JsonPath& object_path,
                                                     std::string_view fallback = {});
absl::StatusOr<double> OptionalNumberField(const Json& object, std::string_view key,
                                           const JsonPath& object_path, double fallback);
absl::StatusOr<int64_t> OptionalIntegerField(const Json& object, std::string_view key,
                                             const JsonPath& object_path, int64_t fallback);

}  // namespace kiln

#endif  // KILN_CORE_INGEST_JSON_JSON_DOCUMENT_H_
