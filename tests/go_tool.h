// The go command for end-to-end tests, kept offline and inside a scratch
// directory (no module proxy; caches, GOPATH and HOME in the scratch dir):
// `go tool pprof`, Kiln's independent oracle for pprof, and the Go fixture
// program (tests/go/pprof_fixture) whose runtime/pprof profiles tests feed
// to Kiln. $KILN_GO overrides the go found on PATH.
#ifndef KILN_TESTS_GO_TOOL_H_
#define KILN_TESTS_GO_TOOL_H_

#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tests/go_pprof_raw.h"

namespace kiln::testing {

// The profiles the fixture program wrote.
struct GoFixtureProfiles {
  std::string cpu;   // cpu.pb.gz
  std::string heap;  // heap.pb.gz
};

struct GoTool {
  std::string go;  // empty when go is not installed
  std::vector<std::string> env;

  explicit GoTool(const std::filesystem::path& scratch);

  // go tool pprof -raw |path|, parsed.
  absl::StatusOr<GoPprofTotals> Raw(const std::string& path) const;
  // Builds tests/go/pprof_fixture (standard library only) in |scratch| and
  // runs it.
  absl::StatusOr<GoFixtureProfiles> RunPprofFixture(const std::filesystem::path& scratch) const;
};

#define KILN_SKIP_WITHOUT_GO(tool)                                                         \
  do {                                                                                     \
    if ((tool).go.empty()) {                                                               \
      GTEST_SKIP() << "go not found on PATH (apt-get install golang-go, or set KILN_GO): " \
                      "the go tool pprof oracle is unavailable";                           \
    }                                                                                      \
  } while (0)

}  // namespace kiln::testing

#endif  // KILN_TESTS_GO_TOOL_H_
