// libFuzzer target: the collapsed importer must return a profile or an error
// for any bytes, never crash or trip a sanitizer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kiln/ingest/collapsed_importer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  kiln::ImportOptions options;
  options.max_decompressed_bytes = 64 << 20;
  options.max_stack_depth = 64;
  options.max_name_length = 256;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto importer = kiln::NewCollapsedImporter();
  (void)importer->Sniff(bytes);
  auto result = importer->Import(bytes, options);
  if (result.ok()) {
    for (const auto& p : *result) (void)p.Total(0);
  }
  return 0;
}
