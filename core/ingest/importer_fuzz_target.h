// The body every importer's libFuzzer target shares: sniff, import under
// bounded limits, and read every total of what came back. The fuzzer looks
// for a crash, a hang or a sanitizer report anywhere in that path; an error
// status is a fine answer to random bytes.
#ifndef KILN_INGEST_IMPORTER_FUZZ_TARGET_H_
#define KILN_INGEST_IMPORTER_FUZZ_TARGET_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kiln/ingest/importer.h"

namespace kiln {

// Small enough that one input cannot exhaust the fuzzer's memory budget,
// large enough that every limit check is reachable.
inline ImportOptions FuzzImportOptions() {
  ImportOptions options;
  options.max_decompressed_bytes = 64 << 20;
  options.max_samples = 1 << 16;
  options.max_stack_depth = 256;
  options.max_name_length = 1024;
  return options;
}

inline int FuzzImporter(const Importer& importer, const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const ImportOptions options = FuzzImportOptions();
  (void)importer.Sniff(bytes);
  auto result = importer.Import(bytes, options);
  if (result.ok()) {
    for (const Profile& p : *result) {
      for (size_t t = 0; t < p.num_types(); ++t) (void)p.Total(t);
    }
  }
  return 0;
}

}  // namespace kiln

#endif  // KILN_INGEST_IMPORTER_FUZZ_TARGET_H_
