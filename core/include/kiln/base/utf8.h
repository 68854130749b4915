// UTF-8 well-formedness, for importers that keep names from binary formats
// (pprof string tables, collapsed text) and count the ones that are not,
// and for the server, which checks clients' labels and repairs answers.
#ifndef KILN_BASE_UTF8_H_
#define KILN_BASE_UTF8_H_

#include <cstddef>
#include <string_view>

namespace kiln {

// Length of the well-formed UTF-8 sequence starting at |s[i]| (i < s.size()),
// or 0 when there is none: overlongs, surrogates, values past U+10FFFF and
// truncated sequences are not well formed.
size_t Utf8SequenceLength(std::string_view s, size_t i);

// Byte offset of the first invalid UTF-8 sequence in |s|, or npos.
size_t FindInvalidUtf8(std::string_view s);

inline bool IsValidUtf8(std::string_view s) { return FindInvalidUtf8(s) == std::string_view::npos; }

}  // namespace kiln

#endif  // KILN_BASE_UTF8_H_
