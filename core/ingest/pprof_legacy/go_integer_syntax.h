// Integers read exactly as Go's strconv.ParseInt / ParseUint read them, since
// google/pprof's legacy parsers use both: base 0 means Go literal syntax
// ("0x1f", "0b101", "0o17", a leading "0" is octal, "1_000"), base 10/16 plain
// digits. A value that parses in Go parses here to the same number, and one
// that Go rejects is rejected here.
#ifndef KILN_INGEST_PPROF_LEGACY_GO_INTEGER_SYNTAX_H_
#define KILN_INGEST_PPROF_LEGACY_GO_INTEGER_SYNTAX_H_

#include <cstdint>
#include <string_view>

namespace kiln::pprof_legacy {

enum class GoIntResult { kOk, kSyntaxError, kOutOfRange };

GoIntResult ParseGoUint(std::string_view s, int base, uint64_t* out);
GoIntResult ParseGoInt(std::string_view s, int base, int64_t* out);

// "invalid syntax" / "value out of range", as strconv words them.
std::string_view GoIntResultText(GoIntResult r);

}  // namespace kiln::pprof_legacy

#endif  // KILN_INGEST_PPROF_LEGACY_GO_INTEGER_SYNTAX_H_
