// Demangling of the symbol names perf leaves mangled: Itanium C++ ("_Z…",
// through the C++ runtime's abi::__cxa_demangle) and Rust, both the legacy
// scheme (Itanium-shaped "_ZN…17h<hash>E": hash dropped, "$LT$"-style
// escapes decoded) and v0 ("_R…", see rust_v0_demangler.h).
//
// C++ names come out the way perf prints the names it demangles itself:
// without the parameter list, cv-qualifiers and "[clone .cold]" suffixes
// ("_ZNK3Foo3barEi" -> "Foo::bar"), so that both group the same.
#ifndef KILN_CORE_INGEST_PERF_SCRIPT_SYMBOL_DEMANGLER_H_
#define KILN_CORE_INGEST_PERF_SCRIPT_SYMBOL_DEMANGLER_H_

#include <optional>
#include <string>
#include <string_view>

namespace kiln {

// The readable name of |symbol|, or nullopt when it is not mangled or does
// not demangle (the caller then keeps it as it is).
std::optional<std::string> DemangleSymbol(std::string_view symbol);

}  // namespace kiln

#endif  // KILN_CORE_INGEST_PERF_SCRIPT_SYMBOL_DEMANGLER_H_
