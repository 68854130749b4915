// A Grafana data frame (grafana-plugin-sdk-go's data.Frame) as the plugin
// builds it: a name, a refId, optional FrameMeta JSON, and equal-length
// typed columns. EncodeArrowFile (arrow_file_writer.h) turns one into the
// Arrow IPC file Grafana decodes.
//
// Invariants: every field of a frame has the same length when encoded (the
// encoder checks); a field holds values of its own type only (Append* of
// another type is a programming error, checked by assert); AppendNull only on
// nullable fields. kEnum values are indexes into the labels of the field's
// config JSON `type.enum.text`, which the caller writes.
// Ownership: a Frame owns its fields; Field references from AddField stay
// valid as long as the frame (fields live in a deque, so adding one moves
// none), which lets a caller add all fields first and then fill them row by
// row.
#ifndef KILN_PLUGIN_BACKEND_ARROW_DATA_FRAME_H_
#define KILN_PLUGIN_BACKEND_ARROW_DATA_FRAME_H_

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiln::plugin {

enum class FieldType : uint8_t {
  kString,   // Arrow Utf8, tstype "string"
  kInt64,    // Arrow Int(64, signed), tstype "number"
  kUint16,   // Arrow Int(16, unsigned), tstype "number"
  kFloat64,  // Arrow FloatingPoint(DOUBLE), tstype "number"
  kBool,     // Arrow Bool, tstype "boolean"
  kTime,     // Arrow Timestamp(NANOSECOND, no zone): ns since epoch, UTC; tstype "time"
  kEnum,     // Arrow Int(16, unsigned) with tstype "enum" (Grafana's EnumItemIndex)
};

class Field {
 public:
  Field(std::string name, FieldType type, bool nullable);

  const std::string& name() const { return name_; }
  FieldType type() const { return type_; }
  bool nullable() const { return nullable_; }
  size_t size() const { return size_; }
  size_t null_count() const { return null_count_; }

  void AppendString(std::string_view v);
  void AppendInt64(int64_t v);
  void AppendUint16(uint16_t v);  // kUint16 and kEnum
  void AppendFloat64(double v);
  void AppendBool(bool v);
  void AppendTime(int64_t nanos);
  void AppendNull();
  void Reserve(size_t n);

  // Series labels (Grafana's data.Labels), written as the field's `labels`
  // metadata JSON object; empty: no `labels` key.
  void set_labels(std::vector<std::pair<std::string, std::string>> labels) { labels_ = std::move(labels); }
  const std::vector<std::pair<std::string, std::string>>& labels() const { return labels_; }
  // FieldConfig JSON object (unit, displayName, type.enum.text, ...);
  // empty: no `config` key.
  void set_config_json(std::string json) { config_json_ = std::move(json); }
  const std::string& config_json() const { return config_json_; }

  // Column storage, read by the encoder and by tests.
  // kInt64/kTime: int64s(); kUint16/kEnum: uint16s(); kFloat64: float64s();
  // kBool: bools() (one byte per value); kString: string_offsets() (size+1
  // entries, from 0) into string_data(). A null holds a zero / empty value.
  const std::vector<int64_t>& int64s() const { return int64s_; }
  const std::vector<uint16_t>& uint16s() const { return uint16s_; }
  const std::vector<double>& float64s() const { return float64s_; }
  const std::vector<uint8_t>& bools() const { return bools_; }
  const std::vector<int64_t>& string_offsets() const { return string_offsets_; }
  const std::string& string_data() const { return string_data_; }
  // One byte per value, 1 = valid; empty when the field has no null.
  const std::vector<uint8_t>& validity() const { return validity_; }

 private:
  void MarkValid();

  std::string name_;
  FieldType type_;
  bool nullable_;
  size_t size_ = 0;
  size_t null_count_ = 0;
  std::vector<std::pair<std::string, std::string>> labels_;
  std::string config_json_;
  std::vector<int64_t> int64s_;
  std::vector<uint16_t> uint16s_;
  std::vector<double> float64s_;
  std::vector<uint8_t> bools_;
  std::vector<int64_t> string_offsets_;
  std::string string_data_;
  std::vector<uint8_t> validity_;
};

class Frame {
 public:
  Frame(std::string name, std::string ref_id) : name_(std::move(name)), ref_id_(std::move(ref_id)) {}

  Field& AddField(std::string name, FieldType type, bool nullable = false);

  const std::string& name() const { return name_; }
  const std::string& ref_id() const { return ref_id_; }
  // FrameMeta JSON object, e.g. {"typeVersion":[0,0],"preferredVisualisationType":"flamegraph"};
  // empty: no `meta` key.
  void set_meta_json(std::string json) { meta_json_ = std::move(json); }
  const std::string& meta_json() const { return meta_json_; }
  const std::deque<Field>& fields() const { return fields_; }
  std::deque<Field>& fields() { return fields_; }
  // Rows of the first field (0 without fields).
  size_t rows() const { return fields_.empty() ? 0 : fields_.front().size(); }

 private:
  std::string name_;
  std::string ref_id_;
  std::string meta_json_;
  std::deque<Field> fields_;
};

}  // namespace kiln::plugin

#endif  // KILN_PLUGIN_BACKEND_ARROW_DATA_FRAME_H_
