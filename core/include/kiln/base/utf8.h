// UTF-8 well-formedness, for importers that keep names from binary formats
// (pprof string tables, collapsed text) and count the ones that are not.
#ifndef KILN_BASE_UTF8_H_
#define KILN_BASE_UTF8_H_

#include <string_view>

namespace kiln {

// Whether |s| is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool IsValidUtf8(std::string_view s);

}  // namespace kiln

#endif  // KILN_BASE_UTF8_H_
