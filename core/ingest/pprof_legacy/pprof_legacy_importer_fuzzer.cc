// libFuzzer target: the legacy pprof importer returns profiles or an error
// for any bytes, never crashes or trips a sanitizer.
#include <cstddef>
#include <cstdint>

#include "core/ingest/importer_fuzz_target.h"
#include "kiln/ingest/pprof_legacy_importer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto importer = kiln::NewPprofLegacyImporter();
  return kiln::FuzzImporter(*importer, data, size);
}
