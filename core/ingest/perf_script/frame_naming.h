// The frame name Kiln shows for a perf script frame, chosen so that
// `kiln convert --to collapsed` prints what FlameGraph's
// stackcollapse-perf.pl (no options) prints for the same input:
//  - "[unknown]" symbols are named after their dso's file name in brackets
//    ("[libc-2.27.so]", "[[kernel.kallsyms]]", "[perf-1234.map]"), or
//    "[unknown]" when the dso is unknown too;
//  - ';' becomes ':' (the collapsed separator), '"' and '\'' are dropped;
//  - everything from the first '(' on is dropped (argument lists of
//    demangled or Java signatures), except "(anonymous namespace)" and
//    Go method receivers such as "net/http.(*Client).Do";
//  - for processes whose name starts with "java", a leading 'L' of a JIT
//    class name ("Lorg/mozilla/Foo;.bar") is dropped.
// Unlike stackcollapse-perf.pl, Kiln can demangle C++ and Rust names; a
// name Kiln demangled only has ';' replaced (symbol_demangler.h already
// drops C++ parameter lists, and the parentheses left are part of the name:
// "<() as Trait>::f", "Foo<fn(i32)>").
#ifndef KILN_CORE_INGEST_PERF_SCRIPT_FRAME_NAMING_H_
#define KILN_CORE_INGEST_PERF_SCRIPT_FRAME_NAMING_H_

#include <string>
#include <string_view>

namespace kiln {

// |symbol| is as perf printed it minus its "+0x…" offset; |dso| is the text
// in the frame's parentheses (empty when perf printed none).
std::string PerfFrameName(std::string_view symbol, std::string_view dso, bool java_process,
                          bool demangle);

// stackcollapse-perf.pl's root frame: the comm with spaces as '_'.
std::string PerfProcessFrameName(std::string_view comm);

}  // namespace kiln

#endif  // KILN_CORE_INGEST_PERF_SCRIPT_FRAME_NAMING_H_
