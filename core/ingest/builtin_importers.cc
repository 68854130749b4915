#include "core/ingest/builtin_importers.h"

#include "kiln/ingest/chrome_importer.h"
#include "kiln/ingest/collapsed_importer.h"
#include "kiln/ingest/firefox_importer.h"
#include "kiln/ingest/importer_registry.h"
#include "kiln/ingest/jfr_importer.h"
#include "kiln/ingest/otlp_importer.h"
#include "kiln/ingest/perf_script_importer.h"
#include "kiln/ingest/pprof_importer.h"
#include "kiln/ingest/pprof_legacy_importer.h"
#include "kiln/ingest/speedscope_importer.h"
#include "kiln/ingest/stackprof_importer.h"

namespace kiln {

void RegisterBuiltinImporters(ImporterRegistry* registry) {
  // One line per format. Order only matters for equal sniff scores.
  registry->Register(NewPprofImporter());
  registry->Register(NewCollapsedImporter());
  registry->Register(NewPerfScriptImporter());
  registry->Register(NewPprofLegacyImporter());
  registry->Register(NewOtlpImporter());
  registry->Register(NewJfrImporter());
  registry->Register(NewSpeedscopeImporter());
  registry->Register(NewChromeImporter());
  registry->Register(NewStackprofImporter());
  registry->Register(NewFirefoxImporter());
}

}  // namespace kiln
