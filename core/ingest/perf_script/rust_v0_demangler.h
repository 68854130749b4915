// Rust's v0 symbol mangling ("_R…", RFC 2603), printed the way rustc-demangle
// prints it in its alternate form: crate hashes hidden, e.g.
//   _RNvXsb_NtCsfiKabdrepoq_5alloc3vecINtB5_3VecdEINtNtNtCsTACXlTRjQ_4core3ops5index5IndexjE5indexCs8K9WJNlS7Dz_5trace
//   -> <alloc::vec::Vec<f64> as core::ops::index::Index<usize>>::index
// Lifetimes and higher-ranked binders are left out of the output. Punycode
// identifiers and structured constants are not supported (nullopt).
#ifndef KILN_CORE_INGEST_PERF_SCRIPT_RUST_V0_DEMANGLER_H_
#define KILN_CORE_INGEST_PERF_SCRIPT_RUST_V0_DEMANGLER_H_

#include <optional>
#include <string>
#include <string_view>

namespace kiln {

// nullopt when |symbol| is not a well-formed v0 name (or too deep or long
// to print: backreferences can make the output grow exponentially).
std::optional<std::string> DemangleRustV0(std::string_view symbol);

}  // namespace kiln

#endif  // KILN_CORE_INGEST_PERF_SCRIPT_RUST_V0_DEMANGLER_H_
