// Fits a frame name into a label of a given number of characters, keeping
// what identifies the function (hotspot's elideSymbol, Tracy's
// ShortenZoneName, speedscope's trimTextMid). Stages, each tried only when
// the previous result is still too long:
//  1. parameter lists become "()" (with qualifiers after them, such as
//     " const" or " [clone .cold]", and a leading return type dropped);
//  2. template arguments become "<>";
//  3. namespaces / packages / classes are dropped from the left, one at a
//     time, down to the last component ("a::b::f()" -> "b::f()" -> "f()";
//     "com.x.Foo.bar" -> "x.Foo.bar" -> …; "github.com/a/b.(*T).M" -> …);
//  4. a middle ellipsis ("…") on what is left.
// It knows C++ (operator names such as "operator<<" and "operator()",
// "(anonymous namespace)", lambdas), Java (dotted and slashed packages) and
// Go (receivers such as "(*T)" are not parameter lists). Unbalanced brackets
// are copied as they are; nothing is ever read out of bounds.
//
// Lengths are counted in UTF-8 code points (the ellipsis is one); a cut
// never splits a code point.
// Thread safety: pure functions.
#ifndef KILN_VIEWER_NAME_SHORTENER_H_
#define KILN_VIEWER_NAME_SHORTENER_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace kiln::viewer {

// |name| shortened to at most |max_chars| code points; "" when even the
// last component cannot be shown with at least 3 characters (a label of one
// letter and an ellipsis says nothing).
std::string ShortenName(std::string_view name, size_t max_chars);

// Stage 1 alone: "ns::f<int>(int, char) const" -> "ns::f<int>()".
std::string DropParameterLists(std::string_view name);
// Stage 2 alone: "std::vector<int>::push_back()" -> "std::vector<>::push_back()".
std::string DropTemplateArguments(std::string_view name);
// Stage 4 alone: head and tail of |s| around "…", at most |max_chars|
// code points (|s| itself when it fits; "" when max_chars < 3).
std::string ElideMiddle(std::string_view s, size_t max_chars);
// UTF-8 code points in |s| (continuation bytes are not counted).
size_t CodePointCount(std::string_view s);

}  // namespace kiln::viewer

#endif  // KILN_VIEWER_NAME_SHORTENER_H_
