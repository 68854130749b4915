// libFuzzer target: the pprof importer returns profiles or an error
// for any bytes, never crashes or trips a sanitizer; and the ingest path's
// decoder (DecodedPprof) accepts exactly what it accepts, with the same
// samples, and interns them into tables that already hold other stacks.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/ingest/importer_fuzz_target.h"
#include "kiln/ingest/pprof_importer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto importer = kiln::NewPprofImporter();
  kiln::FuzzImporter(*importer, data, size);

  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const kiln::ImportOptions options = kiln::FuzzImportOptions();
  auto parsed = kiln::ParsePprof(bytes, options);
  auto decoded = kiln::DecodedPprof::Decode(bytes, options);
  if (parsed.ok() != decoded.ok()) __builtin_trap();
  if (!decoded.ok()) return 0;
  const kiln::Profile& header = (*decoded)->header();
  if (header.num_samples() != parsed->num_samples() || header.sample_values != parsed->sample_values) {
    __builtin_trap();
  }
  kiln::SymbolTable symbols;
  kiln::StackTraceTree stacks;
  stacks.InternLeafFirst(std::vector<kiln::LocationId>{symbols.InternFrame("seed")});
  std::vector<kiln::StackId> out(header.num_samples());
  (*decoded)->InternInto(symbols, stacks, out);
  for (size_t i = 0; i < out.size(); ++i) {
    // Same depth as the profile's own stack for the sample.
    if (out[i] >= stacks.size() || stacks.Depth(out[i]) != parsed->stacks.Depth(parsed->sample_stacks[i])) {
      __builtin_trap();
    }
  }
  return 0;
}
