#include "tests/go_tool.h"

#include <cstdlib>
#include <fstream>

#include "absl/status/status.h"
#include "tests/subprocess.h"

namespace kiln::testing {

namespace fs = std::filesystem;

GoTool::GoTool(const fs::path& scratch) {
  const char* override = std::getenv("KILN_GO");
  go = override != nullptr && *override != '\0' ? override : FindOnPath("go");
  env = {"GOPATH=" + (scratch / "gopath").string(), "GOCACHE=" + (scratch / "gocache").string(),
         "GOFLAGS=-mod=mod", "GOPROXY=off", "GO111MODULE=on", "CGO_ENABLED=0",
         "PPROF_TMPDIR=" + (scratch / "pprof").string(), "HOME=" + scratch.string()};
}

absl::StatusOr<GoPprofTotals> GoTool::Raw(const std::string& path) const {
  ProcessResult r = RunProcess({go, "tool", "pprof", "-symbolize=none", "-raw", path}, env);
  if (r.exit_code != 0) {
    return absl::FailedPreconditionError("go tool pprof refused it: " + r.err.substr(0, r.err.find('\n')));
  }
  return ParseGoPprofRaw(r.out);
}

absl::StatusOr<GoFixtureProfiles> GoTool::RunPprofFixture(const fs::path& scratch) const {
  const fs::path src = scratch / "pprof_fixture";
  fs::create_directories(src);
  fs::copy_file(fs::path(KILN_SOURCE_DIR) / "tests/go/pprof_fixture/main.go", src / "main.go",
                fs::copy_options::overwrite_existing);
  std::ofstream(src / "go.mod") << "module kiln.test/pprof_fixture\n\ngo 1.19\n";
  const std::string binary = (scratch / "pprof_fixture_bin").string();
  ProcessResult build = RunProcess({go, "build", "-o", binary, "."}, env, src.string());
  if (build.exit_code != 0) {
    return absl::InternalError("go build of tests/go/pprof_fixture failed:\n" + build.out + build.err);
  }
  const fs::path profiles = scratch / "profiles";
  fs::create_directories(profiles);
  ProcessResult run = RunProcess({binary, profiles.string()}, env);
  if (run.exit_code != 0) return absl::InternalError("the Go fixture failed:\n" + run.out + run.err);
  return GoFixtureProfiles{(profiles / "cpu.pb.gz").string(), (profiles / "heap.pb.gz").string()};
}

}  // namespace kiln::testing
