// The JFR importer on headers written here: sniffing, and the errors for
// files that are not, or no longer, whole recordings. Real recordings are
// checked in jfr_corpus_test.cc and, against the JDK's own `jfr` tool, in
// tests/jfr_java_oracle_test.cc.
#include "kiln/ingest/jfr_importer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "core/testing/corpus.h"

namespace kiln {
namespace {

void PutU16(std::string* out, uint16_t v) {
  out->push_back(static_cast<char>(v >> 8));
  out->push_back(static_cast<char>(v));
}
void PutU32(std::string* out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}
void PutU64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}

// A chunk header (68 bytes, big-endian) followed by |body_bytes| zero bytes.
std::string Chunk(uint16_t major, uint64_t size, uint64_t cp_offset, uint64_t meta_offset,
                  size_t body_bytes, int64_t ticks_per_second = 1'000'000'000) {
  std::string out("FLR\0", 4);
  PutU16(&out, major);
  PutU16(&out, 1);
  PutU64(&out, size);
  PutU64(&out, cp_offset);
  PutU64(&out, meta_offset);
  PutU64(&out, 1'700'000'000'000'000'000);  // start, ns
  PutU64(&out, 1'000'000'000);              // duration, ns
  PutU64(&out, 0);                          // start ticks
  PutU64(&out, static_cast<uint64_t>(ticks_per_second));
  PutU32(&out, 1);  // features: compressed integers
  out.append(body_bytes, '\0');
  return out;
}

std::string ErrorOf(const std::string& data) {
  auto r = ParseJfr(data);
  EXPECT_FALSE(r.ok());
  return r.ok() ? "" : std::string(r.status().message());
}

TEST(JfrImporterTest, SniffsTheChunkMagicAndVersion) {
  auto importer = NewJfrImporter();
  EXPECT_EQ(importer->format(), "jfr");
  EXPECT_EQ(importer->Sniff(Chunk(2, 100, 70, 80, 32)), 100);
  EXPECT_EQ(importer->Sniff(Chunk(1, 100, 70, 80, 32)), 60);
  EXPECT_EQ(importer->Sniff("FLR"), 0);
  EXPECT_EQ(importer->Sniff(std::string("\x1f\x8b\x08\x00", 4)), 0);
  EXPECT_EQ(importer->Sniff("main;work 10\n"), 0);
}

TEST(JfrImporterTest, HeadersThatDoNotHoldTogetherAreErrors) {
  EXPECT_NE(ErrorOf("").find("empty input"), std::string::npos);
  EXPECT_NE(ErrorOf(Chunk(2, 100, 70, 80, 32).substr(0, 40)).find("truncated header"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Chunk(1, 100, 70, 80, 32)).find("version 1.1 is not supported"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Chunk(2, 5000, 70, 80, 32)).find("exceeds the 100 bytes left"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Chunk(2, 100, 70, 400, 32)).find("metadata offset 400 lies outside"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Chunk(2, 100, 70, 80, 32, 0)).find("ticks per second is 0"),
            std::string::npos);
  // A second chunk that is only garbage: the error names it by its offset.
  const std::string error = ErrorOf(Chunk(2, 100, 90, 80, 32) + "garbage");
  EXPECT_NE(error.find("at byte"), std::string::npos) << error;
}

TEST(JfrImporterTest, GzipOfGarbageIsAnError) {
  EXPECT_FALSE(ParseJfr(std::string("\x1f\x8b\x08\x00garbage", 11)).ok());
}

TEST(JfrImporterTest, StatedSampleRateOverridesTheRecording) {
  KILN_SKIP_WITHOUT_CORPUS();
  const std::string data = testing::ReadFileForTest(
      testing::CorpusPath("jfr/generated-jdk17/jdk17-workload-profile.jfr"));
  JfrOptions at_100hz;
  at_100hz.sample_rate_hz = 100;
  auto stated = ParseJfr(data);
  auto overridden = ParseJfr(data, {}, at_100hz);
  ASSERT_TRUE(stated.ok()) << stated.status();
  ASSERT_TRUE(overridden.ok()) << overridden.status();
  auto cpu = [](const JfrRecording& r) -> const Profile* {
    for (const Profile& p : r.profiles) {
      if (p.name == "process_cpu") return &p;
    }
    return nullptr;
  };
  ASSERT_NE(cpu(*stated), nullptr);
  ASSERT_NE(cpu(*overridden), nullptr);
  EXPECT_EQ(cpu(*stated)->period, 5'000'000);
  EXPECT_EQ(cpu(*overridden)->period, 10'000'000);
  EXPECT_EQ(cpu(*overridden)->Total(0), cpu(*stated)->Total(0));
  EXPECT_EQ(cpu(*overridden)->Total(1), cpu(*stated)->Total(0) * 10'000'000);
}

}  // namespace
}  // namespace kiln
