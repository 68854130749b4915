#include "core/ingest/json/json_document.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "fmt/format.h"
#include "kiln/base/gzip.h"
#include "kiln/base/status_macros.h"

namespace kiln {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Finds where a document that failed to parse goes wrong: a second, SAX
// pass that builds nothing and stops at the first error (only failing
// inputs pay for it).
class ErrorLocator final : public nlohmann::json_sax<Json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    position_ = position;
    message_ = ex.what();
    return false;
  }

  size_t position() const { return position_; }
  // nlohmann's message without its "[json.exception.parse_error.101]" tag,
  // its own "parse error at line L, column C:" prefix (the caller says
  // where), cut to a
  // readable length and with bytes outside printable ASCII replaced (the
  // token it quotes is arbitrary input, possibly megabytes of it).
  std::string message() const {
    constexpr size_t kMaxMessage = 160;
    std::string out = message_;
    if (out.starts_with("[json.exception.")) {
      const size_t close = out.find("] ");
      if (close != std::string::npos) out.erase(0, close + 2);
    }
    if (out.starts_with("parse error")) {
      const size_t colon = out.find(": ");
      if (colon != std::string::npos) out.erase(0, colon + 2);
    }
    if (out.size() > kMaxMessage) {
      out.resize(kMaxMessage);
      out += "...";
    }
    for (char& c : out) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u >= 0x7f) c = '?';
    }
    return out;
  }

 private:
  size_t position_ = 0;
  std::string message_;
};

absl::Status TypeError(const Json& value, std::string_view expected, const JsonPath& path) {
  return absl::InvalidArgumentError(fmt::format("{}: expected {}, got {}", path.ToString(),
                                                expected, DescribeJsonType(value)));
}

}  // namespace

TextPosition LocateOffset(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  const std::string_view before = text.substr(0, offset);
  TextPosition out;
  out.line = 1 + static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
  const size_t line_start = before.rfind('\n');
  out.column = offset - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
  return out;
}

std::string_view SkipJsonPreamble(std::string_view data) {
  if (data.starts_with(kUtf8Bom)) data.remove_prefix(kUtf8Bom.size());
  const size_t first = data.find_first_not_of(" \t\r\n");
  return first == std::string_view::npos ? std::string_view() : data.substr(first);
}

absl::StatusOr<Json> ParseJsonDocument(std::string_view data) {
  const std::string_view whole = data;
  if (data.starts_with(kUtf8Bom)) data.remove_prefix(kUtf8Bom.size());
  if (SkipJsonPreamble(data).empty()) {
    return absl::InvalidArgumentError("empty input: expected a JSON document");
  }
  Json doc = Json::parse(data.data(), data.data() + data.size(), /*cb=*/nullptr,
                         /*allow_exceptions=*/false);
  if (!doc.is_discarded()) return doc;
  ErrorLocator locator;
  Json::sax_parse(data.data(), data.data() + data.size(), &locator);
  // nlohmann reports how many bytes it read, the offending one included.
  const size_t offset = std::min(locator.position() > 0 ? locator.position() - 1 : 0, data.size()) +
                        (whole.size() - data.size());
  const TextPosition where = LocateOffset(whole, offset);
  return absl::InvalidArgumentError(fmt::format("invalid JSON at line {}, column {} (byte {}): {}",
                                                where.line, where.column, offset,
                                                locator.message()));
}

std::string_view DescribeJsonType(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "a number";
    case Json::value_t::binary:
      return "binary data";
    case Json::value_t::discarded:
      break;
  }
  return "nothing";
}

const Json* FindField(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

absl::Status ExpectObject(const Json& value, const JsonPath& path) {
  return value.is_object() ? absl::OkStatus() : TypeError(value, "an object", path);
}

absl::Status ExpectArray(const Json& value, const JsonPath& path) {
  return value.is_array() ? absl::OkStatus() : TypeError(value, "an array", path);
}

absl::StatusOr<std::string_view> ReadString(const Json& value, const JsonPath& path) {
  if (!value.is_string()) return TypeError(value, "a string", path);
  return std::string_view(value.get_ref<const Json::string_t&>());
}

absl::StatusOr<double> ReadNumber(const Json& value, const JsonPath& path) {
  if (!value.is_number()) return TypeError(value, "a number", path);
  const double d = value.get<double>();
  // The parser rejects overflowing literals; this guards values built in code.
  if (!std::isfinite(d)) {
    return absl::InvalidArgumentError(fmt::format("{}: number is not finite", path.ToString()));
  }
  return d;
}

absl::StatusOr<int64_t> ReadInteger(const Json& value, const JsonPath& path) {
  if (value.is_number_integer() && !value.is_number_unsigned()) return value.get<int64_t>();
  if (value.is_number_unsigned()) {
    const uint64_t u = value.get<uint64_t>();
    if (u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return static_cast<int64_t>(u);
    }
    return absl::InvalidArgumentError(
        fmt::format("{}: {} does not fit in a signed 64-bit integer", path.ToString(), u));
  }
  if (!value.is_number_float()) return TypeError(value, "an integer", path);
  const double d = value.get<double>();
  // 2^63 is exactly representable; anything at or above it does not fit.
  if (!std::isfinite(d) || d != std::trunc(d) || d < -9223372036854775808.0 ||
      d >= 9223372036854775808.0) {
    return absl::InvalidArgumentError(
        fmt::format("{}: expected an integer, got {}", path.ToString(), d));
  }
  return static_cast<int64_t>(d);
}

absl::StatusOr<size_t> ReadIndex(const Json& value, size_t limit, std::string_view table,
                                 const JsonPath& path) {
  auto i = ReadInteger(value, path);
  if (!i.ok()) return i.status();
  if (*i < 0 || static_cast<uint64_t>(*i) >= limit) {
    return absl::InvalidArgumentError(fmt::format(
        "{}: {} is not an index into {} ({} entries)", path.ToString(), *i, table, limit));
  }
  return static_cast<size_t>(*i);
}

absl::StatusOr<const Json*> RequireField(const Json& object, std::string_view key,
                                         const JsonPath& object_path) {
  if (!object.is_object()) return TypeError(object, "an object", object_path);
  const Json* v = FindField(object, key);
  if (v == nullptr) {
    return absl::InvalidArgumentError(
        fmt::format("{}: missing required field", object_path.Field(key).ToString()));
  }
  return v;
}

absl::StatusOr<const Json*> RequireArrayField(const Json& object, std::string_view key,
                                              const JsonPath& object_path) {
  auto v = RequireField(object, key, object_path);
  if (!v.ok()) return v;
  if (!(*v)->is_array()) return TypeError(**v, "an array", object_path.Field(key));
  return v;
}

absl::StatusOr<std::string_view> OptionalStringField(const Json& object, std::string_view key,
                                                     const JsonPath& object_path,
                                                     std::string_view fallback) {
  const Json* v = FindField(object, key);
  if (v == nullptr || v->is_null()) return fallback;
  return ReadString(*v, object_path.Field(key));
}

absl::StatusOr<double> OptionalNumberField(const Json& object, std::string_view key,
                                           const JsonPath& object_path, double fallback) {
  const Json* v = FindField(object, key);
  if (v == nullptr || v->is_null()) return fallback;
  return ReadNumber(*v, object_path.Field(key));
}

absl::StatusOr<int64_t> OptionalIntegerField(const Json& object, std::string_view key,
                                             const JsonPath& object_path, int64_t fallback) {
  const Json* v = FindField(object, key);
  if (v == nullptr || v->is_null()) return fallback;
  return ReadInteger(*v, object_path.Field(key));
}

absl::StatusOr<Json> ParseJsonInput(std::string_view data, size_t max_decompressed_bytes) {
  if (!IsGzip(data)) return ParseJsonDocument(data);
  ASSIGN_OR_RETURN(const std::string inflated, Gunzip(data, max_decompressed_bytes));
  return ParseJsonDocument(inflated);
}

}  // namespace kiln
