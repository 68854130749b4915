// OTLP profiles (v1development, the dictionary layout with a stack table;
// proto/opentelemetry/...): an ExportProfilesServiceRequest or ProfilesData,
// binary protobuf. Each OTLP profile becomes one Kiln Profile per service,
// with Pyroscope's conventions (docs/formats/otlp.md):
//  - service_name from the resource's service.name (or a sample's), else
//    "unknown_service:<process.executable.name>", else "unknown_service";
//  - other resource attributes become series labels, sample attributes
//    sample labels, links span_id / trace_id labels;
//  - samples:count with a cpu:nanoseconds period becomes cpu:nanoseconds
//    (count × period, profile name process_cpu); off_cpu keeps the sum of
//    a sample's values (profile name off_cpu);
//  - a sample without values counts one per timestamp.
#ifndef KILN_INGEST_OTLP_IMPORTER_H_
#define KILN_INGEST_OTLP_IMPORTER_H_

#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "kiln/ingest/importer.h"

namespace kiln {

std::unique_ptr<Importer> NewOtlpImporter();
absl::StatusOr<std::vector<Profile>> ParseOtlpProfiles(std::string_view data, const ImportOptions& options = {});

}  // namespace kiln

#endif  // KILN_INGEST_OTLP_IMPORTER_H_
