// Span and trace ids travel as hex text (pprof labels, Pyroscope's span
// selectors); Kiln stores them as integers.
#ifndef KILN_BASE_HEX_H_
#define KILN_BASE_HEX_H_

#include <cstdint>
#include <string_view>

namespace kiln {

// 1 to 16 hex digits (either case) into |*out|; false, with |*out|
// untouched, for anything else.
bool ParseHex64(std::string_view hex, uint64_t* out);

}  // namespace kiln

#endif  // KILN_BASE_HEX_H_
