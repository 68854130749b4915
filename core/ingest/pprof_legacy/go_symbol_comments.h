// Symbols from the comment lines Go's runtime/pprof writes in its debug=1
// text profiles after each record:
//   #	0x4f164a	main.retainBuffers+0x22a	kiln/corpusgen/main.go:98
// (pc, function+offset, file:line, separated by runs of tabs). The pc is
// the record's address minus one, i.e. exactly the address pprof gives the
// location. Consecutive comment lines with the same pc are one location's
// inlined frames, innermost first. google/pprof skips these comments (its
// frames show as "<unknown>"); Kiln names locations with them.
#ifndef KILN_INGEST_PPROF_LEGACY_GO_SYMBOL_COMMENTS_H_
#define KILN_INGEST_PPROF_LEGACY_GO_SYMBOL_COMMENTS_H_

#include <string_view>

#include "core/ingest/pprof_legacy/legacy_profile.h"

namespace kiln::pprof_legacy {

// Gives every location of |profile| that has no frames yet the frames the
// comments of |text| record for its address. Returns how many locations got
// names.
size_t ApplyGoSymbolComments(std::string_view text, LegacyProfile* profile);

}  // namespace kiln::pprof_legacy

#endif  // KILN_INGEST_PPROF_LEGACY_GO_SYMBOL_COMMENTS_H_
