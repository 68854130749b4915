// libFuzzer target: the Chrome/V8 importer returns profiles or an error for
// any bytes, never crashes or trips a sanitizer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kiln/ingest/chrome_importer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto importer = kiln::NewChromeImporter();
  (void)importer->Sniff(bytes);
  kiln::ImportOptions options;
  options.max_samples = 100000;
  options.max_stack_depth = 256;
  auto result = importer->Import(bytes, options);
  if (result.ok()) {
    for (const auto& p : *result) (void)p.Total(0);
  }
  return 0;
}
