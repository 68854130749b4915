#include "core/ingest/jfr/jfr_test_support.h"

#include <gtest/gtest.h>

#include <sstream>

namespace kiln::testing {

std::vector<std::pair<std::string, int64_t>> ParseJfrSummary(std::string_view text) {
  std::vector<std::pair<std::string, int64_t>> out;
  std::istringstream in{std::string(text)};
  std::string line;
  bool in_table = false;
  while (std::getline(in, line)) {
    if (line.starts_with("====")) {
      in_table = true;
      continue;
    }
    if (!in_table) continue;
    std::istringstream row(line);
    std::string name;
    int64_t count = 0;
    if (row >> name >> count && count > 0) out.emplace_back(name, count);
  }
  return out;
}

const Profile* FindJfrProfile(const JfrRecording& recording, std::string_view name, std::string_view type) {
  for (const Profile& p : recording.profiles) {
    if (p.name == name && p.FindSampleType(type) >= 0) return &p;
  }
  return nullptr;
}

void ExpectSameStacks(const std::map<std::string, int64_t>& expected, const std::map<std::string, int64_t>& actual,
                      const std::string& what, bool zero_extra_ok) {
  int differing = 0;
  for (const auto& [stack, v] : expected) {
    auto it = actual.find(stack);
    const int64_t got = it == actual.end() ? 0 : it->second;
    if (got != v && ++differing <= 3) {
      ADD_FAILURE() << what << ": stack " << stack << "\n expected " << v << ", got " << got;
    }
  }
  for (const auto& [stack, v] : actual) {
    if (expected.contains(stack) || (zero_extra_ok && v == 0)) continue;
    if (++differing <= 3) ADD_FAILURE() << what << ": unexpected stack " << stack << " = " << v;
  }
  EXPECT_EQ(differing, 0) << what << ": " << expected.size() << " expected stacks, " << actual.size() << " imported";
}

}  // namespace kiln::testing
