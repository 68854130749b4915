// The importers compiled into Kiln, registered in detection order.
#ifndef KILN_CORE_INGEST_BUILTIN_IMPORTERS_H_
#define KILN_CORE_INGEST_BUILTIN_IMPORTERS_H_

namespace kiln {

class ImporterRegistry;
void RegisterBuiltinImporters(ImporterRegistry* registry);

}  // namespace kiln

#endif  // KILN_CORE_INGEST_BUILTIN_IMPORTERS_H_
