// Cheap content checks for sniffing JSON profile formats without parsing:
// the sniffers of speedscope, Chrome, Firefox and stackprof look for the
// keys that make each format what it is.
#ifndef KILN_CORE_INGEST_JSON_JSON_SNIFF_H_
#define KILN_CORE_INGEST_JSON_JSON_SNIFF_H_

#include <string_view>

namespace kiln {

// True when |json| holds "|key|" followed (after optional whitespace) by a
// colon: the key of some object member, not just a string value. A
// substring search, so it may also match inside a string that happens to
// contain such text; sniffers combine several keys.
bool ContainsJsonKey(std::string_view json, std::string_view key);

}  // namespace kiln

#endif  // KILN_CORE_INGEST_JSON_JSON_SNIFF_H_
