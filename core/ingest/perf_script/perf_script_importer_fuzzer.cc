// libFuzzer target: the perf script importer must return profiles or an
// error for any bytes, never crash or trip a sanitizer. Demangling is on, so
// the C++ and Rust demanglers are fuzzed through it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kiln/ingest/perf_script_importer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  kiln::ImportOptions options;
  options.max_decompressed_bytes = 64 << 20;
  options.max_stack_depth = 64;
  options.max_name_length = 256;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto importer = kiln::NewPerfScriptImporter();
  (void)importer->Sniff(bytes);
  auto result = importer->Import(bytes, options);
  if (result.ok()) {
    for (const auto& p : *result) {
      for (size_t t = 0; t < p.num_types(); ++t) (void)p.Total(t);
    }
  }
  return 0;
}
