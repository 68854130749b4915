// What the JFR tests share: reading `jfr summary`'s table, finding an
// imported profile, and comparing collapsed stacks with a readable report.
// Test-only (links GoogleTest).
#ifndef KILN_INGEST_JFR_JFR_TEST_SUPPORT_H_
#define KILN_INGEST_JFR_JFR_TEST_SUPPORT_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kiln/ingest/jfr_importer.h"

namespace kiln::testing {

// (event type, count) rows of `jfr summary` output with count > 0, in order.
// `jfr summary` keys its table by type id and names each id once, so when
// chunks number their types differently (async-profiler's multi-chunk files)
// a name can appear twice and stand for another type's events.
std::vector<std::pair<std::string, int64_t>> ParseJfrSummary(std::string_view text);

// The profile named |name| that has sample type |type|, or nullptr.
const Profile* FindJfrProfile(const JfrRecording& recording, std::string_view name, std::string_view type);

// Fails the test (showing up to 3 stacks) unless |actual| has every stack of
// |expected| with the same value and no other stack — other than stacks of
// value 0 when |zero_extra_ok|.
void ExpectSameStacks(const std::map<std::string, int64_t>& expected, const std::map<std::string, int64_t>& actual,
                      const std::string& what, bool zero_extra_ok = false);

}  // namespace kiln::testing

#endif  // KILN_INGEST_JFR_JFR_TEST_SUPPORT_H_
