#include "plugin-backend/arrow/data_frame.h"

#include <cassert>

namespace kiln::plugin {

Field::Field(std::string name, FieldType type, bool nullable)
    : name_(std::move(name)), type_(type), nullable_(nullable) {
  if (type_ == FieldType::kString) string_offsets_.push_back(0);
}

// Validity stays empty until the first null, so the common all-valid column
// costs nothing; from then on it has one entry per value.
void Field::MarkValid() {
  if (!validity_.empty()) validity_.push_back(1);
  ++size_;
}

void Field::AppendString(std::string_view v) {
  assert(type_ == FieldType::kString);
  string_data_.append(v);
  string_offsets_.push_back(static_cast<int64_t>(string_data_.size()));
  MarkValid();
}

void Field::AppendInt64(int64_t v) {
  assert(type_ == FieldType::kInt64);
  int64s_.push_back(v);
  MarkValid();
}

void Field::AppendUint16(uint16_t v) {
  assert(type_ == FieldType::kUint16 || type_ == FieldType::kEnum);
  uint16s_.push_back(v);
  MarkValid();
}

void Field::AppendFloat64(double v) {
  assert(type_ == FieldType::kFloat64);
  float64s_.push_back(v);
  MarkValid();
}

void Field::AppendBool(bool v) {
  assert(type_ == FieldType::kBool);
  bools_.push_back(v ? 1 : 0);
  MarkValid();
}

void Field::AppendTime(int64_t nanos) {
  assert(type_ == FieldType::kTime);
  int64s_.push_back(nanos);
  MarkValid();
}

void Field::AppendNull() {
  assert(nullable_);
  switch (type_) {
    case FieldType::kString:
      string_offsets_.push_back(static_cast<int64_t>(string_data_.size()));
      break;
    case FieldType::kInt64:
    case FieldType::kTime:
      int64s_.push_back(0);
      break;
    case FieldType::kUint16:
    case FieldType::kEnum:
      uint16s_.push_back(0);
      break;
    case FieldType::kFloat64:
      float64s_.push_back(0);
      break;
    case FieldType::kBool:
      bools_.push_back(0);
      break;
  }
  if (validity_.empty()) validity_.assign(size_, 1);
  validity_.push_back(0);
  ++size_;
  ++null_count_;
}

void Field::Reserve(size_t n) {
  switch (type_) {
    case FieldType::kString:
      string_offsets_.reserve(n + 1);
      break;
    case FieldType::kInt64:
    case FieldType::kTime:
      int64s_.reserve(n);
      break;
    case FieldType::kUint16:
    case FieldType::kEnum:
      uint16s_.reserve(n);
      break;
    case FieldType::kFloat64:
      float64s_.reserve(n);
      break;
    case FieldType::kBool:
      bools_.reserve(n);
      break;
  }
}

Field& Frame::AddField(std::string name, FieldType type, bool nullable) {
  return fields_.emplace_back(std::move(name), type, nullable);
}

}  // namespace kiln::plugin
