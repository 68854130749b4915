#include "kiln/ingest/importer_registry.h"

#include <gtest/gtest.h>

#include "kiln/base/gzip.h"

namespace kiln {
namespace {

TEST(ImporterRegistryTest, UnknownBytesListWhatWasTried) {
  auto got = ImporterRegistry::Default().Import(std::string("\x01\x02\x03 garbage", 11));
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("unrecognized profile format"), std::string::npos);
  EXPECT_NE(got.status().message().find("pprof"), std::string::npos);
}

TEST(ImporterRegistryTest, ForcedUnknownFormatIsAnError) {
  auto got = ImporterRegistry::Default().Import("x", "", "nope");
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("unknown format 'nope'"), std::string::npos);
}

TEST(ImporterRegistryTest, GzipBombIsStopped) {
  ImportOptions options;
  options.max_decompressed_bytes = 1 << 16;
  auto got = ImporterRegistry::Default().Import(Gzip(std::string(1 << 20, 'a')), "", "", options);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace kiln
