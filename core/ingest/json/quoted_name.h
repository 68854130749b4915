// A name from the input (a frame, a function, a profile) quoted for an error
// message: "\"Object.keys.forEach\"", cut after kMaxQuotedName bytes at a
// UTF-8 character boundary, with control characters replaced, so a
// megabyte-long or multi-line name cannot swamp the message.
#ifndef KILN_CORE_INGEST_JSON_QUOTED_NAME_H_
#define KILN_CORE_INGEST_JSON_QUOTED_NAME_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace kiln {

inline constexpr size_t kMaxQuotedName = 80;

std::string QuotedName(std::string_view name);

}  // namespace kiln

#endif  // KILN_CORE_INGEST_JSON_QUOTED_NAME_H_
