#include "kiln/ingest/chrome_importer.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "core/ingest/chrome/cpu_profile_reader.h"
#include "core/ingest/chrome/heap_profile_reader.h"
#include "core/ingest/chrome/trace_event_profiles.h"
#include "core/ingest/json/json_document.h"
#include "core/ingest/json/json_sniff.h"
#include "kiln/base/status_macros.h"

namespace kiln {
namespace {

bool HasTraceProfileEvents(std::string_view json) {
  return json.find("\"ProfileChunk\"") != std::string_view::npos ||
         json.find("\"CpuProfile\"") != std::string_view::npos;
}

class ChromeImporter final : public Importer {
 public:
  std::string_view format() const override { return "chrome"; }

  // By the keys each shape must have; substring searches, no parsing.
  int Sniff(std::string_view data) const override {
    const std::string_view json = SkipJsonPreamble(data);
    if (json.starts_with('[')) {
      return ContainsJsonKey(json, "ph") && HasTraceProfileEvents(json) ? 80 : 0;
    }
    if (!json.starts_with('{')) return 0;
    if (ContainsJsonKey(json, "traceEvents")) return HasTraceProfileEvents(json) ? 80 : 0;
    const bool has_frames = ContainsJsonKey(json, "callFrame") ||
                            ContainsJsonKey(json, "functionName");
    if (!has_frames) return 0;
    if (ContainsJsonKey(json, "nodes") &&
        (ContainsJsonKey(json, "samples") || ContainsJsonKey(json, "timeDeltas"))) {
      return 95;
    }
    if (ContainsJsonKey(json, "head")) {
      if (ContainsJsonKey(json, "selfSize")) return 95;
      if (ContainsJsonKey(json, "timestamps") || ContainsJsonKey(json, "hitCount")) return 90;
    }
    return 0;
  }

  absl::StatusOr<std::vector<Profile>> Import(std::string_view data,
                                              const ImportOptions& options) const override {
    return ParseChromeProfile(data, options);
  }
};

}  // namespace

absl::StatusOr<std::vector<Profile>> ParseChromeProfile(std::string_view data,
                                                        const ImportOptions& options) {
  ASSIGN_OR_RETURN(const Json doc, ParseJsonInput(data, options.max_decompressed_bytes));
  const JsonPath root;
  if (doc.is_array()) return chrome::ReadTraceEventProfiles(doc, root, options);
  RETURN_IF_ERROR(ExpectObject(doc, root));
  if (const Json* events = FindField(doc, "traceEvents"); events != nullptr) {
    return chrome::ReadTraceEventProfiles(*events, root.Field("traceEvents"), options);
  }
  std::vector<Profile> out;
  const Json* head = FindField(doc, "head");
  if (FindField(doc, "nodes") == nullptr && head != nullptr && head->is_object() &&
      FindField(*head, "selfSize") != nullptr) {
    ASSIGN_OR_RETURN(Profile heap, chrome::ReadHeapProfile(doc, root, options));
    out.push_back(std::move(heap));
    return out;
  }
  if (FindField(doc, "nodes") == nullptr && head == nullptr) {
    return absl::InvalidArgumentError(
        "(top level): not a V8 profile: no \"nodes\" (.cpuprofile), \"head\" (.heapprofile, "
        "older .cpuprofile) or \"traceEvents\" (Chrome trace)");
  }
  ASSIGN_OR_RETURN(Profile cpu, chrome::ReadCpuProfile(doc, root, options));
  out.push_back(std::move(cpu));
  return out;
}

std::unique_ptr<Importer> NewChromeImporter() { return std::make_unique<ChromeImporter>(); }

}  // namespace kiln
