// speedscope's file format (https://www.speedscope.app/file-format-schema.json):
// one "sampled" profile per tree, frames shared, one sample per stack with
// its self value as the weight.
#ifndef KILN_EXPORT_SPEEDSCOPE_WRITER_H_
#define KILN_EXPORT_SPEEDSCOPE_WRITER_H_

#include <string>
#include <string_view>

#include "kiln/query/tree.h"

namespace kiln {

// |unit| is a pprof unit; speedscope knows nanoseconds, microseconds,
// milliseconds, seconds and bytes, anything else is written as "none".
std::string WriteSpeedscope(const Tree& tree, std::string_view name, std::string_view unit);

}  // namespace kiln

#endif  // KILN_EXPORT_SPEEDSCOPE_WRITER_H_
