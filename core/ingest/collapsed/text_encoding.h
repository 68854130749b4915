// Byte-order marks and UTF-16 for line-oriented text formats: tools on
// Windows write collapsed stacks as UTF-16 with a BOM, or UTF-8 with one.
#ifndef KILN_CORE_INGEST_COLLAPSED_TEXT_ENCODING_H_
#define KILN_CORE_INGEST_COLLAPSED_TEXT_ENCODING_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace kiln {

enum class TextEncoding { kUtf8, kUtf8Bom, kUtf16Le, kUtf16Be };

// The encoding announced by |data|'s byte-order mark (kUtf8 when none).
TextEncoding DetectTextEncoding(std::string_view data);

// |data| as UTF-8 without its BOM. A view into |data| when it is UTF-8,
// else into |*storage|, which receives the converted text. Unpaired
// surrogates and a dangling odd byte become U+FFFD and are counted in
// |*replaced| (when not null).
std::string_view DecodeTextToUtf8(std::string_view data, std::string* storage,
                                  int64_t* replaced = nullptr);

}  // namespace kiln

#endif  // KILN_CORE_INGEST_COLLAPSED_TEXT_ENCODING_H_
