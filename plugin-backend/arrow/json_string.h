// JSON string literals for the JSON that data frames carry in their Arrow
// metadata (field labels, FieldConfig such as an enum's `type.enum.text`,
// FrameMeta). Bytes are copied through as they are: valid UTF-8 stays
// readable, and Go's and JavaScript's JSON decoders replace invalid
// sequences rather than fail. Only `"`, `\` and control characters are
// escaped.
// Thread safety: pure functions.
#ifndef KILN_PLUGIN_BACKEND_ARROW_JSON_STRING_H_
#define KILN_PLUGIN_BACKEND_ARROW_JSON_STRING_H_

#include <string>
#include <string_view>

namespace kiln::plugin {

// Appends |s| to |*out| as a quoted JSON string.
void AppendJsonString(std::string_view s, std::string* out);

// Convenience: the quoted JSON string of |s|.
std::string JsonString(std::string_view s);

}  // namespace kiln::plugin

#endif  // KILN_PLUGIN_BACKEND_ARROW_JSON_STRING_H_
