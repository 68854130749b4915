// Frames as JSON profile formats describe them: a function name, a source
// file, line and column; no addresses or mappings.
#ifndef KILN_CORE_INGEST_JSON_SOURCE_FRAME_H_
#define KILN_CORE_INGEST_JSON_SOURCE_FRAME_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kiln/model/profile.h"

namespace kiln {

struct SourceFrame {
  std::string_view name;
  std::string_view file;
  // Where the function starts (V8 call frames) or 0 when unknown; it tells
  // apart functions that share a name and file, e.g. "(anonymous)".
  int64_t function_line = 0;
  int64_t line = 0;    // 1-based, 0 = unknown
  int64_t column = 0;  // 1-based, 0 = unknown
};

// A location with one line for |frame| in |profile|'s symbol table. Names
// longer than |max_name_length| are cut (names_truncated).
LocationId InternSourceFrame(const SourceFrame& frame, size_t max_name_length, Profile* profile);

}  // namespace kiln

#endif  // KILN_CORE_INGEST_JSON_SOURCE_FRAME_H_
