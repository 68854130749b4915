#include "plugin-backend/arrow/arrow_file_writer.h"

#include <cstring>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "flatbuffers/flatbuffers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "plugin-backend/arrow/data_frame.h"
#include "plugin-backend/arrow/json_string.h"
#include "proto/arrow/file_generated.h"
#include "proto/arrow/message_generated.h"
#include "proto/arrow/schema_generated.h"

namespace kiln::plugin {
namespace {

namespace fb = ::kiln::arrow::fb;
using ::testing::HasSubstr;

template <typename T>
T Load(const std::string& file, size_t at) {
  T v;
  std::memcpy(&v, file.data() + at, sizeof(T));
  return v;
}

// The file taken apart the way an Arrow file reader does it: trailer,
// footer, then the messages the footer and the stream order point at. Each
// step checks what a reader relies on.
struct ParsedFile {
  const fb::Footer* footer = nullptr;
  const fb::Message* schema_message = nullptr;
  const fb::Message* batch_message = nullptr;
  const fb::RecordBatch* batch = nullptr;
  size_t body_at = 0;
};

// Verifies the encapsulated message at |at| and returns it; |*end| is the
// offset after its metadata.
const fb::Message* ReadMessage(const std::string& file, size_t at, size_t* end) {
  EXPECT_EQ(at % 8, 0u) << "message at " << at;
  EXPECT_EQ(Load<uint32_t>(file, at), 0xFFFFFFFFu) << "continuation marker at " << at;
  const auto meta_len = Load<int32_t>(file, at + 4);
  EXPECT_GT(meta_len, 0);
  EXPECT_EQ((8 + meta_len) % 8, 0) << "metadata padding at " << at;
  const auto* data = reinterpret_cast<const uint8_t*>(file.data() + at + 8);
  flatbuffers::Verifier verifier(data, static_cast<size_t>(meta_len));
  if (!fb::VerifyMessageBuffer(verifier)) {
    ADD_FAILURE() << "message at " << at << " does not verify";
    return nullptr;
  }
  *end = at + 8 + static_cast<size_t>(meta_len);
  return fb::GetMessage(data);
}

ParsedFile Parse(const std::string& file) {
  ParsedFile p;
  if (file.size() <= 16) {
    ADD_FAILURE() << "file of " << file.size() << " bytes";
    return p;
  }
  EXPECT_EQ(std::string_view(file.data(), 8), std::string_view("ARROW1\0\0", 8));
  EXPECT_EQ(std::string_view(file).substr(file.size() - 6), "ARROW1");
  const auto footer_len = Load<int32_t>(file, file.size() - 10);
  EXPECT_GT(footer_len, 0);
  const size_t footer_at = file.size() - 10 - static_cast<size_t>(footer_len);
  EXPECT_EQ(footer_at % 8, 0u);
  EXPECT_EQ(Load<uint32_t>(file, footer_at - 8), 0xFFFFFFFFu) << "end-of-stream marker";
  EXPECT_EQ(Load<int32_t>(file, footer_at - 4), 0) << "end-of-stream marker";
  const auto* footer_data = reinterpret_cast<const uint8_t*>(file.data() + footer_at);
  flatbuffers::Verifier verifier(footer_data, static_cast<size_t>(footer_len));
  if (!fb::VerifyFooterBuffer(verifier)) {
    ADD_FAILURE() << "footer does not verify";
    return p;
  }
  p.footer = fb::GetFooter(footer_data);
  EXPECT_EQ(p.footer->version(), fb::MetadataVersion::V5);
  EXPECT_NE(p.footer->dictionaries(), nullptr);
  if (p.footer->dictionaries() != nullptr) {
    EXPECT_EQ(p.footer->dictionaries()->size(), 0u);
  }
  if (p.footer->record_batches() == nullptr || p.footer->record_batches()->size() != 1) {
    ADD_FAILURE() << "footer must list exactly one record batch";
    return p;
  }

  size_t schema_end = 0;
  p.schema_message = ReadMessage(file, 8, &schema_end);
  if (p.schema_message == nullptr) return p;
  EXPECT_EQ(p.schema_message->version(), fb::MetadataVersion::V5);
  EXPECT_EQ(p.schema_message->header_type(), fb::MessageHeader::Schema);
  EXPECT_EQ(p.schema_message->body_length(), 0);

  const fb::Block* block = p.footer->record_batches()->Get(0);
  EXPECT_EQ(static_cast<size_t>(block->offset()), schema_end) << "the batch follows the schema message";
  size_t batch_end = 0;
  p.batch_message = ReadMessage(file, static_cast<size_t>(block->offset()), &batch_end);
  if (p.batch_message == nullptr) return p;
  EXPECT_EQ(static_cast<size_t>(block->meta_data_length()), batch_end - static_cast<size_t>(block->offset()));
  EXPECT_EQ(block->body_length(), p.batch_message->body_length());
  EXPECT_EQ(block->body_length() % 8, 0);
  EXPECT_EQ(batch_end + static_cast<size_t>(block->body_length()) + 8, footer_at)
      << "body, then end-of-stream, then the footer";
  EXPECT_EQ(p.batch_message->header_type(), fb::MessageHeader::RecordBatch);
  p.batch = p.batch_message->header_as_RecordBatch();
  p.body_at = batch_end;
  return p;
}

std::map<std::string, std::string> Metadata(const flatbuffers::Vector<flatbuffers::Offset<fb::KeyValue>>* kvs) {
  std::map<std::string, std::string> m;
  if (kvs == nullptr) return m;
  for (const fb::KeyValue* kv : *kvs) m[kv->key()->str()] = kv->value()->str();
  return m;
}

// Buffer |i| of the batch body, checked to lie inside the body, 8-aligned.
std::string_view BodyBuffer(const std::string& file, const ParsedFile& p, size_t i) {
  const fb::Buffer* b = p.batch->buffers()->Get(static_cast<flatbuffers::uoffset_t>(i));
  EXPECT_EQ(b->offset() % 8, 0) << "buffer " << i;
  EXPECT_LE(b->offset() + b->length(), p.batch_message->body_length()) << "buffer " << i;
  return std::string_view(file).substr(p.body_at + static_cast<size_t>(b->offset()), static_cast<size_t>(b->length()));
}

bool Bit(std::string_view bitmap, size_t i) { return (static_cast<uint8_t>(bitmap[i / 8]) >> (i % 8)) & 1; }

Frame MixedFrame() {
  Frame frame("mixed", "A");
  frame.set_meta_json(R"({"typeVersion":[0,0]})");
  Field& s = frame.AddField("s", FieldType::kString);
  Field& i = frame.AddField("i", FieldType::kInt64);
  Field& u = frame.AddField("u", FieldType::kUint16);
  Field& f = frame.AddField("f", FieldType::kFloat64, /*nullable=*/true);
  Field& b = frame.AddField("b", FieldType::kBool);
  Field& t = frame.AddField("t", FieldType::kTime);
  Field& e = frame.AddField("e", FieldType::kEnum);
  e.set_config_json(R"({"type":{"enum":{"text":["x","y"]}}})");
  f.set_labels({{"zone", "b"}, {"app", "q\"uote"}});
  for (int r = 0; r < 10; ++r) {
    s.AppendString(std::string(static_cast<size_t>(r), static_cast<char>('a' + r)));
    i.AppendInt64(r == 3 ? std::numeric_limits<int64_t>::min() : r * -7);
    u.AppendUint16(static_cast<uint16_t>(65535 - r));
    if (r % 3 == 1) f.AppendNull(); else f.AppendFloat64(r + 0.5);
    b.AppendBool(r % 4 == 0);
    t.AppendTime(1700000000000000000 + r);
    e.AppendUint16(static_cast<uint16_t>(r % 2));
  }
  return frame;
}

TEST(ArrowFileWriterTest, LayoutIsWhatAFileReaderExpects) {
  const Frame frame = MixedFrame();
  auto file = EncodeArrowFile(frame);
  ASSERT_TRUE(file.ok()) << file.status();
  const ParsedFile p = Parse(*file);
  ASSERT_NE(p.batch, nullptr);
  EXPECT_EQ(p.batch->length(), 10);
  ASSERT_EQ(p.batch->nodes()->size(), 7u);
  // validity + values per field, plus string data for the one Utf8 field.
  ASSERT_EQ(p.batch->buffers()->size(), 15u);
  for (const fb::FieldNode* node : *p.batch->nodes()) EXPECT_EQ(node->length(), 10);
  EXPECT_EQ(p.batch->nodes()->Get(3)->null_count(), 3);
  EXPECT_EQ(p.batch->nodes()->Get(0)->null_count(), 0);
  for (size_t i = 0; i < p.batch->buffers()->size(); ++i) BodyBuffer(*file, p, i);
}

TEST(ArrowFileWriterTest, SchemaInMessageAndFooterCarriesTypesAndMetadata) {
  const Frame frame = MixedFrame();
  auto file = EncodeArrowFile(frame);
  ASSERT_TRUE(file.ok()) << file.status();
  const ParsedFile p = Parse(*file);
  ASSERT_NE(p.schema_message, nullptr);
  for (const fb::Schema* schema : {p.schema_message->header_as_Schema(), p.footer->schema()}) {
    ASSERT_NE(schema, nullptr);
    EXPECT_EQ(schema->endianness(), fb::Endianness::Little);
    EXPECT_EQ(Metadata(schema->custom_metadata()),
              (std::map<std::string, std::string>{{"name", "mixed"}, {"refId", "A"}, {"meta", R"({"typeVersion":[0,0]})"}}));
    ASSERT_EQ(schema->fields()->size(), 7u);
    auto field = [&](int i) { return schema->fields()->Get(static_cast<flatbuffers::uoffset_t>(i)); };
    for (int i = 0; i < 7; ++i) {
      EXPECT_EQ(field(i)->name()->str(), frame.fields()[static_cast<size_t>(i)].name());
      ASSERT_NE(field(i)->children(), nullptr);
      EXPECT_EQ(field(i)->children()->size(), 0u);
    }
    EXPECT_EQ(field(0)->type_type(), fb::Type::Utf8);
    EXPECT_EQ(field(1)->type_as_Int()->bit_width(), 64);
    EXPECT_TRUE(field(1)->type_as_Int()->is_signed());
    EXPECT_EQ(field(2)->type_as_Int()->bit_width(), 16);
    EXPECT_FALSE(field(2)->type_as_Int()->is_signed());
    EXPECT_EQ(field(3)->type_as_FloatingPoint()->precision(), fb::Precision::DOUBLE);
    EXPECT_TRUE(field(3)->nullable());
    EXPECT_FALSE(field(0)->nullable());
    EXPECT_EQ(field(4)->type_type(), fb::Type::Bool);
    EXPECT_EQ(field(5)->type_as_Timestamp()->unit(), fb::TimeUnit::NANOSECOND);
    EXPECT_EQ(field(5)->type_as_Timestamp()->timezone(), nullptr);
    EXPECT_EQ(field(6)->type_as_Int()->bit_width(), 16);
    EXPECT_FALSE(field(6)->type_as_Int()->is_signed());

    EXPECT_EQ(Metadata(field(0)->custom_metadata()), (std::map<std::string, std::string>{{"tstype", "string"}}));
    EXPECT_EQ(Metadata(field(1)->custom_metadata()).at("tstype"), "number");
    EXPECT_EQ(Metadata(field(2)->custom_metadata()).at("tstype"), "number");
    EXPECT_EQ(Metadata(field(3)->custom_metadata()),
              (std::map<std::string, std::string>{{"tstype", "number"},
                                                  {"labels", R"({"app":"q\"uote","zone":"b"})"}}));
    EXPECT_EQ(Metadata(field(4)->custom_metadata()).at("tstype"), "boolean");
    EXPECT_EQ(Metadata(field(5)->custom_metadata()).at("tstype"), "time");
    EXPECT_EQ(Metadata(field(6)->custom_metadata()),
              (std::map<std::string, std::string>{{"tstype", "enum"},
                                                  {"config", R"({"type":{"enum":{"text":["x","y"]}}})"}}));
  }
}

TEST(ArrowFileWriterTest, WithoutMetaThereIsNoMetaKey) {
  Frame frame("n", "B");
  frame.AddField("x", FieldType::kInt64).AppendInt64(1);
  auto file = EncodeArrowFile(frame);
  ASSERT_TRUE(file.ok()) << file.status();
  const ParsedFile p = Parse(*file);
  ASSERT_NE(p.footer, nullptr);
  EXPECT_EQ(Metadata(p.footer->schema()->custom_metadata()),
            (std::map<std::string, std::string>{{"name", "n"}, {"refId", "B"}}));
}

TEST(ArrowFileWriterTest, BodyHoldsTheColumns) {
  const Frame frame = MixedFrame();
  auto file = EncodeArrowFile(frame);
  ASSERT_TRUE(file.ok()) << file.status();
  const ParsedFile p = Parse(*file);
  ASSERT_NE(p.batch, nullptr);
  ASSERT_EQ(p.batch->buffers()->size(), 15u);
  const auto& fields = frame.fields();

  // s: no validity, int32 offsets, data.
  EXPECT_EQ(BodyBuffer(*file, p, 0).size(), 0u);
  const std::string_view offsets = BodyBuffer(*file, p, 1);
  ASSERT_EQ(offsets.size(), 11 * sizeof(int32_t));
  for (size_t r = 0; r <= 10; ++r) {
    int32_t o;
    std::memcpy(&o, offsets.data() + r * 4, 4);
    EXPECT_EQ(o, fields[0].string_offsets()[r]);
  }
  EXPECT_EQ(BodyBuffer(*file, p, 2), fields[0].string_data());

  // i, u: raw little-endian values.
  EXPECT_EQ(BodyBuffer(*file, p, 4),
            std::string_view(reinterpret_cast<const char*>(fields[1].int64s().data()), 10 * sizeof(int64_t)));
  EXPECT_EQ(BodyBuffer(*file, p, 6),
            std::string_view(reinterpret_cast<const char*>(fields[2].uint16s().data()), 10 * sizeof(uint16_t)));

  // f: validity bitmap LSB-first, then values (nulls hold zero).
  const std::string_view validity = BodyBuffer(*file, p, 7);
  ASSERT_EQ(validity.size(), 2u);
  for (size_t r = 0; r < 10; ++r) EXPECT_EQ(Bit(validity, r), r % 3 != 1) << "row " << r;
  EXPECT_EQ(BodyBuffer(*file, p, 8),
            std::string_view(reinterpret_cast<const char*>(fields[3].float64s().data()), 10 * sizeof(double)));

  // b: bit-packed values.
  const std::string_view bools = BodyBuffer(*file, p, 10);
  ASSERT_EQ(bools.size(), 2u);
  for (size_t r = 0; r < 10; ++r) EXPECT_EQ(Bit(bools, r), r % 4 == 0) << "row " << r;
  EXPECT_EQ(static_cast<uint8_t>(bools[1]) >> 2, 0) << "bits past the last row are zero";
}

TEST(ArrowFileWriterTest, ZeroRowsStillHaveOneStringOffset) {
  Frame frame("empty", "A");
  frame.AddField("s", FieldType::kString);
  frame.AddField("i", FieldType::kInt64);
  frame.AddField("b", FieldType::kBool, true);
  auto file = EncodeArrowFile(frame);
  ASSERT_TRUE(file.ok()) << file.status();
  const ParsedFile p = Parse(*file);
  ASSERT_NE(p.batch, nullptr);
  EXPECT_EQ(p.batch->length(), 0);
  EXPECT_EQ(BodyBuffer(*file, p, 1), std::string_view("\0\0\0\0", 4));
  EXPECT_EQ(BodyBuffer(*file, p, 2).size(), 0u);
  EXPECT_EQ(BodyBuffer(*file, p, 4).size(), 0u);
  EXPECT_EQ(p.batch_message->body_length(), 8);
}

TEST(ArrowFileWriterTest, FrameWithoutFields) {
  auto file = EncodeArrowFile(Frame("nothing", "Z"));
  ASSERT_TRUE(file.ok()) << file.status();
  const ParsedFile p = Parse(*file);
  ASSERT_NE(p.batch, nullptr);
  EXPECT_EQ(p.batch->length(), 0);
  EXPECT_EQ(p.batch->nodes()->size(), 0u);
  EXPECT_EQ(p.footer->schema()->fields()->size(), 0u);
}

TEST(ArrowFileWriterTest, ManyRowsCrossChunkBoundaries) {
  Frame frame("many", "A");
  Field& s = frame.AddField("s", FieldType::kString, true);
  Field& b = frame.AddField("b", FieldType::kBool);
  constexpr size_t kRows = 70001;
  for (size_t r = 0; r < kRows; ++r) {
    if (r % 7 == 3) s.AppendNull(); else s.AppendString(r % 2 ? "ab" : "c");
    b.AppendBool(r % 5 == 1);
  }
  auto file = EncodeArrowFile(frame);
  ASSERT_TRUE(file.ok()) << file.status();
  const ParsedFile p = Parse(*file);
  ASSERT_NE(p.batch, nullptr);
  const std::string_view validity = BodyBuffer(*file, p, 0);
  const std::string_view offsets = BodyBuffer(*file, p, 1);
  const std::string_view bools = BodyBuffer(*file, p, 4);
  ASSERT_EQ(validity.size(), (kRows + 7) / 8);
  ASSERT_EQ(offsets.size(), (kRows + 1) * 4);
  ASSERT_EQ(bools.size(), (kRows + 7) / 8);
  size_t bad = 0;
  for (size_t r = 0; r < kRows; ++r) {
    int32_t o;
    std::memcpy(&o, offsets.data() + (r + 1) * 4, 4);
    bad += Bit(validity, r) != (r % 7 != 3);
    bad += Bit(bools, r) != (r % 5 == 1);
    bad += o != s.string_offsets()[r + 1];
  }
  EXPECT_EQ(bad, 0u);
}

TEST(ArrowFileWriterTest, MismatchedLengthsNameTheFields) {
  Frame frame("response", "A");
  Field& level = frame.AddField("level", FieldType::kInt64);
  Field& value = frame.AddField("value", FieldType::kInt64);
  level.AppendInt64(0);
  level.AppendInt64(1);
  value.AppendInt64(5);
  auto file = EncodeArrowFile(frame);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(file.status().message()), HasSubstr("\"value\" has 1 values"));
  EXPECT_THAT(std::string(file.status().message()), HasSubstr("\"level\" has 2"));
  EXPECT_THAT(std::string(file.status().message()), HasSubstr("\"response\""));
}

TEST(ArrowFileWriterTest, OutputIsDeterministic) {
  auto a = EncodeArrowFile(MixedFrame());
  auto b = EncodeArrowFile(MixedFrame());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
}

TEST(DataFrameTest, ValidityAppearsWithTheFirstNull) {
  Field f("x", FieldType::kInt64, /*nullable=*/true);
  f.AppendInt64(1);
  f.AppendInt64(2);
  EXPECT_TRUE(f.validity().empty());
  f.AppendNull();
  f.AppendInt64(4);
  EXPECT_EQ(f.validity(), (std::vector<uint8_t>{1, 1, 0, 1}));
  EXPECT_EQ(f.int64s(), (std::vector<int64_t>{1, 2, 0, 4}));
  EXPECT_EQ(f.size(), 4u);
  EXPECT_EQ(f.null_count(), 1u);
}

TEST(DataFrameTest, StringOffsetsStartAtZero) {
  Field f("s", FieldType::kString, true);
  EXPECT_EQ(f.string_offsets(), (std::vector<int64_t>{0}));
  f.AppendString("ab");
  f.AppendNull();
  f.AppendString("");
  f.AppendString("cde");
  EXPECT_EQ(f.string_offsets(), (std::vector<int64_t>{0, 2, 2, 2, 5}));
  EXPECT_EQ(f.string_data(), "abcde");
}

TEST(JsonStringTest, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(JsonString(""), R"("")");
  EXPECT_EQ(JsonString("plain ünï"), "\"plain ünï\"");
  EXPECT_EQ(JsonString("a\"b\\c\nd\te\x01"), R"("a\"b\\c\nd\te\u0001")");
  EXPECT_EQ(JsonString(std::string_view("\0x", 2)), R"("\u0000x")");
}

}  // namespace
}  // namespace kiln::plugin
