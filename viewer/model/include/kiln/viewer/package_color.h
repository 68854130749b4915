// Stable colours by package/module: the same package gets the same palette
// entry in every profile, run and viewer (grafana's flame graph hashes the
// package name into a 24-colour palette; Tracy and hotspot do the same with
// their own palettes). The package of a name:
//  - Go with an import path ("github.com/a/b.(*T).M"): the path up to the
//    first '.' after its last '/' ("github.com/a/b");
//  - C++ ("ns::Class::f(int)"): the first namespace ("ns");
//  - dotted ("java.util.HashMap.get", "runtime.mallocgc"): the components
//    before the first capitalised one (Java's class), else the first
//    component ("java.util", "runtime");
//  - anything else (C functions, addresses): the whole name.
// Parameter lists and template arguments are ignored (DropParameterLists,
// DropTemplateArguments) so that "f<int>" and "f<long>" share a colour.
// Thread safety: pure functions.
#ifndef KILN_VIEWER_PACKAGE_COLOR_H_
#define KILN_VIEWER_PACKAGE_COLOR_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace kiln::viewer {

std::string PackageOf(std::string_view name);
// FNV-1a (32 bit) of PackageOf(name), modulo kPackagePaletteSize: fixed
// across platforms and releases (changing it recolours every user's graphs).
uint8_t PackagePaletteIndex(std::string_view name);

}  // namespace kiln::viewer

#endif  // KILN_VIEWER_PACKAGE_COLOR_H_
