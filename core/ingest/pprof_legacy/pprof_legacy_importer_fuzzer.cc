// libFuzzer target: the legacy pprof importer must return a profile or an
// error for any bytes, never crash, hang or trip a sanitizer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kiln/ingest/pprof_legacy_importer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  kiln::ImportOptions options;
  options.max_decompressed_bytes = 64 << 20;
  options.max_samples = 1 << 16;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  static const auto importer = kiln::NewPprofLegacyImporter();
  (void)importer->Sniff(bytes);
  auto result = importer->Import(bytes, options);
  if (result.ok()) {
    for (const auto& p : *result) {
      for (size_t t = 0; t < p.num_types(); ++t) (void)p.Total(t);
    }
  }
  return 0;
}
