#include "core/ingest/jfr/jfr_value_reader.h"

#include <cstring>

#include "fmt/format.h"

namespace kiln::jfr {

void ValueReader::SkipScalar(ValueKind kind) {
  switch (kind) {
    case ValueKind::kBoolean:
    case ValueKind::kByte:
      r_.Skip(1);
      return;
    case ValueKind::kChar:
    case ValueKind::kShort:
      (void)r_.Short();
      return;
    case ValueKind::kInt:
      (void)r_.Int();
      return;
    case ValueKind::kLong:
      (void)r_.Long();
      return;
    case ValueKind::kFloat:
      r_.Skip(4);
      return;
    case ValueKind::kDouble:
      r_.Skip(8);
      return;
    case ValueKind::kString:
      SkipString(r_);
      return;
    case ValueKind::kStruct:
      return;
  }
}

void ValueReader::SkipValue(uint32_t class_index, int depth) {
  const Class& c = types_.at(class_index);
  if (c.kind != ValueKind::kStruct) {
    SkipScalar(c.kind);
    return;
  }
  if (c.zero_width) return;
  if (depth >= kMaxValueDepth) {
    r_.Fail(fmt::format("values of {} nest deeper than {} levels", c.name, kMaxValueDepth));
    return;
  }
  for (const Field& f : c.fields) {
    if (!r_.ok()) return;
    SkipField(f, depth + 1);
  }
}

void ValueReader::SkipField(const Field& f, int depth) {
  uint32_t n = 1;
  if (f.array) n = r_.Count(f.name);
  for (uint32_t i = 0; i < n && r_.ok(); ++i) {
    if (f.constant_pool) {
      (void)r_.Long();
    } else {
      SkipValue(f.class_index, depth);
    }
  }
}

int64_t ValueReader::ReadInteger(const Field& f, bool* ok) {
  if (ok != nullptr) *ok = true;
  if (f.array || (!f.constant_pool && (f.kind == ValueKind::kStruct || f.kind == ValueKind::kString))) {
    if (ok != nullptr) *ok = false;
    SkipField(f);
    return 0;
  }
  if (f.constant_pool) return static_cast<int64_t>(r_.Long());
  switch (f.kind) {
    case ValueKind::kBoolean:
    case ValueKind::kByte:
      return static_cast<int8_t>(r_.U8());
    case ValueKind::kChar:
      return r_.Short();
    case ValueKind::kShort:
      return static_cast<int16_t>(r_.Short());
    case ValueKind::kInt:
      return static_cast<int32_t>(r_.Int());
    case ValueKind::kLong:
      return static_cast<int64_t>(r_.Long());
    case ValueKind::kFloat: {
      const uint32_t bits = r_.RawU32();
      float v;
      std::memcpy(&v, &bits, sizeof v);
      return v >= -9.2e18f && v <= 9.2e18f ? static_cast<int64_t>(v) : 0;
    }
    case ValueKind::kDouble: {
      const uint64_t bits = r_.RawU64();
      double v;
      std::memcpy(&v, &bits, sizeof v);
      return v >= -9.2e18 && v <= 9.2e18 ? static_cast<int64_t>(v) : 0;
    }
    case ValueKind::kString:
    case ValueKind::kStruct:
      break;
  }
  return 0;
}

void ValueReader::ReadStringField(const Field& f, StringValue* out) {
  *out = StringValue();
  if (f.array || (f.kind != ValueKind::kString)) {
    SkipField(f);
    out->is_null = true;
    return;
  }
  if (f.constant_pool) {
    out->is_pool_key = true;
    out->pool_key = r_.Long();
    return;
  }
  ReadString(r_, out);
}

}  // namespace kiln::jfr
