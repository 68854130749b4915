#include "core/ingest/json/source_frame.h"

namespace kiln {

LocationId InternSourceFrame(const SourceFrame& frame, size_t max_name_length, Profile* profile) {
  std::string_view name = frame.name;
  if (name.size() > max_name_length) {
    name = name.substr(0, max_name_length);
    profile->stats.Bump(ImportStat::names_truncated);
  }
  SymbolTable& symbols = profile->symbols;
  Function f;
  f.name = symbols.InternString(name);
  f.system_name = f.name;
  f.filename = symbols.InternString(frame.file);
  f.start_line = frame.function_line;
  const Line line{symbols.InternFunction(f), frame.line, frame.column};
  return symbols.InternLocation(0, 0, std::span<const Line>(&line, 1));
}

}  // namespace kiln
