#include "plugin-backend/arrow/arrow_file_writer.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "fmt/format.h"
#include "plugin-backend/arrow/json_string.h"
#include "proto/arrow/file_generated.h"
#include "proto/arrow/message_generated.h"
#include "proto/arrow/schema_generated.h"

namespace kiln::plugin {
namespace {

namespace fb = ::kiln::arrow::fb;

// Arrow IPC is little-endian and the columns are copied as they sit in
// memory.
static_assert(std::endian::native == std::endian::little, "the Arrow writer assumes a little-endian host");

constexpr std::string_view kMagic{"ARROW1", 6};
constexpr uint32_t kContinuation = 0xFFFFFFFF;
// Message metadata and body buffers start at multiples of 8, as Go's writer
// aligns them.
constexpr size_t kAlignment = 8;

constexpr size_t kMaxMetadataBytes = size_t{1} << 30;

size_t Align(size_t n) { return (n + kAlignment - 1) & ~(kAlignment - 1); }

std::string_view TsType(FieldType type) {
  switch (type) {
    case FieldType::kString: return "string";
    case FieldType::kInt64:
    case FieldType::kUint16:
    case FieldType::kFloat64: return "number";
    case FieldType::kBool: return "boolean";
    case FieldType::kTime: return "time";
    case FieldType::kEnum: return "enum";
  }
  return "other";
}

// One buffer of the record batch body and where its bytes come from.
struct BodyBuffer {
  enum class Source : uint8_t {
    kBytes,         // |bytes| as they are (fixed-width values, string data)
    kBitmap,        // |bytes| holds one 0/1 byte per value; written LSB-first, 1 bit each
    kInt32Offsets,  // |offsets| (count+1 int64 entries) narrowed to int32
  };
  Source source = Source::kBytes;
  const void* data = nullptr;
  size_t count = 0;   // values (kBitmap, kInt32Offsets: entries written)
  int64_t offset = 0;  // from the start of the body, a multiple of 8
  int64_t length = 0;  // unpadded
};

struct BodyPlan {
  std::vector<fb::FieldNode> nodes;
  std::vector<BodyBuffer> buffers;
  int64_t length = 0;  // padded
};

absl::Status CheckFrame(const Frame& frame) {
  const auto& fields = frame.fields();
  for (const Field& f : fields) {
    if (f.size() != frame.rows()) {
      return absl::InvalidArgumentError(fmt::format(
          "data frame \"{}\": field \"{}\" has {} values but field \"{}\" has {}; all fields of a frame must have "
          "the same length",
          frame.name(), f.name(), f.size(), fields.front().name(), frame.rows()));
    }
    if (f.null_count() > 0 && !f.nullable()) {
      return absl::InvalidArgumentError(fmt::format(
          "data frame \"{}\": field \"{}\" holds {} nulls but is not nullable", frame.name(), f.name(),
          f.null_count()));
    }
    if (f.type() == FieldType::kString &&
        f.string_data().size() > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
      return absl::InvalidArgumentError(fmt::format(
          "data frame \"{}\": field \"{}\" holds {} bytes of strings, more than Arrow Utf8's int32 offsets can "
          "address ({})",
          frame.name(), f.name(), f.string_data().size(), std::numeric_limits<int32_t>::max()));
    }
  }
  return absl::OkStatus();
}

BodyPlan PlanBody(const Frame& frame) {
  BodyPlan plan;
  const size_t rows = frame.rows();
  plan.nodes.reserve(frame.fields().size());
  plan.buffers.reserve(frame.fields().size() * 3);
  int64_t end = 0;
  auto add = [&](BodyBuffer::Source source, const void* data, size_t count, size_t length) {
    BodyBuffer& b = plan.buffers.emplace_back();
    b.source = source;
    b.data = data;
    b.count = count;
    b.offset = static_cast<int64_t>(Align(static_cast<size_t>(end)));
    b.length = static_cast<int64_t>(length);
    end = b.offset + b.length;
  };
  const size_t bitmap_bytes = (rows + 7) / 8;
  for (const Field& f : frame.fields()) {
    plan.nodes.emplace_back(static_cast<int64_t>(rows), static_cast<int64_t>(f.null_count()));
    // Validity: empty when nothing is null, as Go's writer does.
    if (f.null_count() > 0) {
      add(BodyBuffer::Source::kBitmap, f.validity().data(), rows, bitmap_bytes);
    } else {
      add(BodyBuffer::Source::kBytes, nullptr, 0, 0);
    }
    switch (f.type()) {
      case FieldType::kString:
        add(BodyBuffer::Source::kInt32Offsets, f.string_offsets().data(), rows + 1, (rows + 1) * sizeof(int32_t));
        add(BodyBuffer::Source::kBytes, f.string_data().data(), f.string_data().size(), f.string_data().size());
        break;
      case FieldType::kInt64:
      case FieldType::kTime:
        add(BodyBuffer::Source::kBytes, f.int64s().data(), rows, rows * sizeof(int64_t));
        break;
      case FieldType::kUint16:
      case FieldType::kEnum:
        add(BodyBuffer::Source::kBytes, f.uint16s().data(), rows, rows * sizeof(uint16_t));
        break;
      case FieldType::kFloat64:
        add(BodyBuffer::Source::kBytes, f.float64s().data(), rows, rows * sizeof(double));
        break;
      case FieldType::kBool:
        add(BodyBuffer::Source::kBitmap, f.bools().data(), rows, bitmap_bytes);
        break;
    }
  }
  plan.length = static_cast<int64_t>(Align(static_cast<size_t>(end)));
  return plan;
}

// Go's data.Labels is a map, which encoding/json writes with sorted keys.
std::string LabelsJson(const Field& f) {
  auto labels = f.labels();
  std::stable_sort(labels.begin(), labels.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string json = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) json.push_back(',');
    AppendJsonString(labels[i].first, &json);
    json.push_back(':');
    AppendJsonString(labels[i].second, &json);
  }
  json.push_back('}');
  return json;
}

flatbuffers::Offset<fb::KeyValue> KeyValue(flatbuffers::FlatBufferBuilder& b, std::string_view key,
                                           std::string_view value) {
  auto k = b.CreateString(key.data(), key.size());
  auto v = b.CreateString(value.data(), value.size());
  return fb::CreateKeyValue(b, k, v);
}

std::pair<fb::Type, flatbuffers::Offset<void>> ArrowType(flatbuffers::FlatBufferBuilder& b, FieldType type) {
  switch (type) {
    case FieldType::kString: return {fb::Type::Utf8, fb::CreateUtf8(b).Union()};
    case FieldType::kInt64: return {fb::Type::Int, fb::CreateInt(b, 64, true).Union()};
    case FieldType::kUint16:
    case FieldType::kEnum: return {fb::Type::Int, fb::CreateInt(b, 16, false).Union()};
    case FieldType::kFloat64: return {fb::Type::FloatingPoint, fb::CreateFloatingPoint(b, fb::Precision::DOUBLE).Union()};
    case FieldType::kBool: return {fb::Type::Bool, fb::CreateBool(b).Union()};
    case FieldType::kTime:
      return {fb::Type::Timestamp, fb::CreateTimestamp(b, fb::TimeUnit::NANOSECOND).Union()};
  }
  return {fb::Type::Null, fb::CreateNull(b).Union()};
}

// The schema, built once into the Schema message and once into the footer.
// |labels_json| holds each field's labels JSON ("" without labels).
flatbuffers::Offset<fb::Schema> BuildSchema(flatbuffers::FlatBufferBuilder& b, const Frame& frame,
                                            const std::vector<std::string>& labels_json) {
  std::vector<flatbuffers::Offset<fb::Field>> fields;
  fields.reserve(frame.fields().size());
  std::vector<flatbuffers::Offset<fb::KeyValue>> kvs;
  for (size_t i = 0; i < frame.fields().size(); ++i) {
    const Field& f = frame.fields()[i];
    kvs.clear();
    kvs.push_back(KeyValue(b, "tstype", TsType(f.type())));
    if (!labels_json[i].empty()) kvs.push_back(KeyValue(b, "labels", labels_json[i]));
    if (!f.config_json().empty()) kvs.push_back(KeyValue(b, "config", f.config_json()));
    auto metadata = b.CreateVector(kvs);
    auto name = b.CreateString(f.name());
    auto [type_type, type] = ArrowType(b, f.type());
    auto children = b.CreateVector(static_cast<const flatbuffers::Offset<fb::Field>*>(nullptr), 0);
    fb::FieldBuilder field(b);
    field.add_name(name);
    field.add_nullable(f.nullable());
    field.add_type_type(type_type);
    field.add_type(type);
    field.add_children(children);
    field.add_custom_metadata(metadata);
    fields.push_back(field.Finish());
  }
  auto field_vector = b.CreateVector(fields);
  kvs.clear();
  kvs.push_back(KeyValue(b, "name", frame.name()));
  kvs.push_back(KeyValue(b, "refId", frame.ref_id()));
  if (!frame.meta_json().empty()) kvs.push_back(KeyValue(b, "meta", frame.meta_json()));
  auto metadata = b.CreateVector(kvs);
  return fb::CreateSchema(b, fb::Endianness::Little, field_vector, metadata);
}

// Bytes of metadata the flatbuffers will hold, so each builder allocates once.
size_t MetadataSizeHint(const Frame& frame, const std::vector<std::string>& labels_json) {
  size_t n = 512 + frame.name().size() + frame.ref_id().size() + frame.meta_json().size();
  for (size_t i = 0; i < frame.fields().size(); ++i) {
    const Field& f = frame.fields()[i];
    n += 256 + f.name().size() + labels_json[i].size() + f.config_json().size();
  }
  return n;
}

// Appends to a string whose capacity was reserved for the whole file.
class Output {
 public:
  explicit Output(std::string* out) : out_(out) {}

  size_t size() const { return out_->size(); }
  void Bytes(const void* data, size_t n) {
    if (n > 0) out_->append(static_cast<const char*>(data), n);
  }
  void Zeros(size_t n) { out_->append(n, '\0'); }
  void PadTo(size_t end) { Zeros(end - out_->size()); }
  template <typename T>
  void Scalar(T v) {
    Bytes(&v, sizeof(v));
  }

  // Encapsulated message: continuation marker, metadata length, flatbuffer,
  // padding to 8 (the body follows).
  void Message(const flatbuffers::FlatBufferBuilder& b) {
    const size_t padded = Align(8 + b.GetSize()) - 8;
    Scalar<uint32_t>(kContinuation);
    Scalar<int32_t>(static_cast<int32_t>(padded));
    Bytes(b.GetBufferPointer(), b.GetSize());
    Zeros(padded - b.GetSize());
  }

  void Bitmap(const uint8_t* bytes, size_t count) {
    char chunk[kChunk];
    size_t i = 0;
    while (i < count) {
      size_t used = 0;
      for (; used < kChunk && i < count; ++used) {
        uint8_t bits = 0;
        const size_t n = std::min<size_t>(8, count - i);
        for (size_t j = 0; j < n; ++j) bits |= static_cast<uint8_t>((bytes[i + j] != 0) << j);
        chunk[used] = static_cast<char>(bits);
        i += n;
      }
      Bytes(chunk, used);
    }
  }

  void Int32Offsets(const int64_t* offsets, size_t count) {
    int32_t chunk[kChunk / sizeof(int32_t)];
    for (size_t i = 0; i < count;) {
      const size_t n = std::min(count - i, std::size(chunk));
      for (size_t j = 0; j < n; ++j) chunk[j] = static_cast<int32_t>(offsets[i + j]);
      Bytes(chunk, n * sizeof(int32_t));
      i += n;
    }
  }

 private:
  static constexpr size_t kChunk = 4096;
  std::string* out_;
};

}  // namespace

absl::StatusOr<std::string> EncodeArrowFile(const Frame& frame) {
  if (absl::Status s = CheckFrame(frame); !s.ok()) return s;

  std::vector<std::string> labels_json;
  labels_json.reserve(frame.fields().size());
  for (const Field& f : frame.fields()) labels_json.push_back(f.labels().empty() ? std::string() : LabelsJson(f));
  const size_t hint = MetadataSizeHint(frame, labels_json);
  // FlatBuffers address at most 2 GiB; real metadata (an enum's labels are
  // the largest) is megabytes.
  if (hint > kMaxMetadataBytes) {
    return absl::InvalidArgumentError(fmt::format(
        "data frame \"{}\": {} bytes of names, labels and config JSON exceed the {} bytes an Arrow schema may "
        "hold here",
        frame.name(), hint, kMaxMetadataBytes));
  }
  const BodyPlan body = PlanBody(frame);

  flatbuffers::FlatBufferBuilder schema_message(hint);
  {
    auto schema = BuildSchema(schema_message, frame, labels_json);
    schema_message.Finish(
        fb::CreateMessage(schema_message, fb::MetadataVersion::V5, fb::MessageHeader::Schema, schema.Union(), 0));
  }
  flatbuffers::FlatBufferBuilder batch_message(256 + 48 * body.buffers.size());
  {
    std::vector<fb::Buffer> buffers;
    buffers.reserve(body.buffers.size());
    for (const BodyBuffer& b : body.buffers) buffers.emplace_back(b.offset, b.length);
    auto nodes = batch_message.CreateVectorOfStructs(body.nodes);
    auto buffer_vector = batch_message.CreateVectorOfStructs(buffers);
    auto batch = fb::CreateRecordBatch(batch_message, static_cast<int64_t>(frame.rows()), nodes, buffer_vector);
    batch_message.Finish(fb::CreateMessage(batch_message, fb::MetadataVersion::V5, fb::MessageHeader::RecordBatch,
                                           batch.Union(), body.length));
  }

  const size_t schema_at = Align(kMagic.size());
  const size_t batch_at = schema_at + Align(8 + schema_message.GetSize());
  const size_t batch_metadata_length = Align(8 + batch_message.GetSize());
  const size_t eos_at = batch_at + batch_metadata_length + static_cast<size_t>(body.length);

  flatbuffers::FlatBufferBuilder footer(hint);
  {
    auto schema = BuildSchema(footer, frame, labels_json);
    const fb::Block block(static_cast<int64_t>(batch_at), static_cast<int32_t>(batch_metadata_length),
                          body.length);
    auto dictionaries = footer.CreateVectorOfStructs(static_cast<const fb::Block*>(nullptr), 0);
    auto batches = footer.CreateVectorOfStructs(&block, 1);
    footer.Finish(fb::CreateFooter(footer, fb::MetadataVersion::V5, schema, dictionaries, batches));
  }
  const size_t total = eos_at + 8 + footer.GetSize() + sizeof(int32_t) + kMagic.size();

  std::string file;
  file.reserve(total);
  Output out(&file);
  out.Bytes(kMagic.data(), kMagic.size());
  out.PadTo(schema_at);
  out.Message(schema_message);
  out.Message(batch_message);
  const size_t body_at = out.size();
  for (const BodyBuffer& b : body.buffers) {
    out.PadTo(body_at + static_cast<size_t>(b.offset));
    switch (b.source) {
      case BodyBuffer::Source::kBytes:
        out.Bytes(b.data, static_cast<size_t>(b.length));
        break;
      case BodyBuffer::Source::kBitmap:
        out.Bitmap(static_cast<const uint8_t*>(b.data), b.count);
        break;
      case BodyBuffer::Source::kInt32Offsets:
        out.Int32Offsets(static_cast<const int64_t*>(b.data), b.count);
        break;
    }
  }
  out.PadTo(body_at + static_cast<size_t>(body.length));
  // End-of-stream marker: what a stream reader of the same messages stops at.
  out.Scalar<uint32_t>(kContinuation);
  out.Scalar<int32_t>(0);
  out.Bytes(footer.GetBufferPointer(), footer.GetSize());
  out.Scalar<int32_t>(static_cast<int32_t>(footer.GetSize()));
  out.Bytes(kMagic.data(), kMagic.size());
  if (file.size() != total) {
    return absl::InternalError(
        fmt::format("Arrow writer: wrote {} bytes for frame \"{}\", planned {}", file.size(), frame.name(), total));
  }
  return file;
}

}  // namespace kiln::plugin
