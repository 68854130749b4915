// Runs the real `kiln` binary: exit codes, messages, and outputs on profiles
// the test writes itself.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "kiln/export/pprof_writer.h"
#include "kiln/model/profile.h"

namespace kiln {
namespace {

struct CliRun {
  int exit_code;
  std::string out;  // stdout + stderr
};

CliRun Kiln(const std::string& args) {
  const std::string cmd = std::string(KILN_CLI_PATH) + " " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  CliRun r{-1, {}};
  if (pipe == nullptr) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// A CPU profile: main -> {fib x weight, sort x weight2}.
std::string WriteProfile(const std::string& name, int64_t fib, int64_t sort) {
  Profile p;
  p.sample_types = {{"samples", "count"}, {"cpu", "nanoseconds"}};
  p.period_type = {"cpu", "nanoseconds"};
  p.period = 10000000;
  const LocationId main = p.symbols.InternFrame("main.main", "main.go", 10);
  const LocationId f = p.symbols.InternFrame("main.fib", "main.go", 20);
  const LocationId s = p.symbols.InternFrame("sort.Ints", "sort.go", 30);
  const LocationId st1[] = {f, main}, st2[] = {s, main};
  const int64_t v1[] = {fib, fib * 10000000}, v2[] = {sort, sort * 10000000};
  p.AddSample(p.stacks.InternLeafFirst(st1), v1);
  p.AddSample(p.stacks.InternLeafFirst(st2), v2);
  const std::string path = (std::filesystem::temp_directory_path() / name).string();
  std::ofstream(path, std::ios::binary) << *WritePprof(p);
  return path;
}

TEST(KilnCliTest, HelpOnEveryCommand) {
  CliRun r = Kiln("--help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* cmd : {"convert", "top", "diff"}) {
    EXPECT_NE(r.out.find(cmd), std::string::npos) << cmd;
    CliRun sub = Kiln(std::string(cmd) + " --help");
    EXPECT_EQ(sub.exit_code, 0) << cmd;
    EXPECT_NE(sub.out.find("Usage"), std::string::npos) << sub.out;
  }
  EXPECT_NE(Kiln("").exit_code, 0);
}

TEST(KilnCliTest, ConvertToCollapsedSumsPerSampleType) {
  const std::string in = WriteProfile("kiln_cli_a.pb.gz", 7, 3);
  CliRun cpu = Kiln("convert " + in + " --to collapsed");
  ASSERT_EQ(cpu.exit_code, 0) << cpu.out;
  EXPECT_EQ(cpu.out, "main.main;main.fib 70000000\nmain.main;sort.Ints 30000000\n");
  CliRun samples = Kiln("convert " + in + " --to collapsed --sample-type samples/count");
  ASSERT_EQ(samples.exit_code, 0) << samples.out;
  EXPECT_EQ(samples.out, "main.main;main.fib 7\nmain.main;sort.Ints 3\n");
}

TEST(KilnCliTest, ConvertToPprofAndBack) {
  const std::string in = WriteProfile("kiln_cli_b.pb.gz", 2, 5);
  const std::string out = (std::filesystem::temp_directory_path() / "kiln_cli_b_out.pb.gz").string();
  CliRun w = Kiln("convert " + in + " --to pprof -o " + out);
  ASSERT_EQ(w.exit_code, 0) << w.out;
  CliRun back = Kiln("convert " + out + " --to collapsed --sample-type samples");
  ASSERT_EQ(back.exit_code, 0) << back.out;
  EXPECT_EQ(back.out, "main.main;main.fib 2\nmain.main;sort.Ints 5\n");
  CliRun speedscope = Kiln("convert " + in + " --to speedscope");
  ASSERT_EQ(speedscope.exit_code, 0);
  EXPECT_NE(speedscope.out.find("speedscope.app/file-format-schema.json"), std::string::npos);
}

TEST(KilnCliTest, TopAndDiff) {
  const std::string base = WriteProfile("kiln_cli_base.pb.gz", 8, 2);
  const std::string next = WriteProfile("kiln_cli_next.pb.gz", 2, 8);
  CliRun top = Kiln("top " + base);
  ASSERT_EQ(top.exit_code, 0) << top.out;
  EXPECT_NE(top.out.find("Type: cpu"), std::string::npos);
  EXPECT_NE(top.out.find("of 100ms total"), std::string::npos) << top.out;
  EXPECT_NE(top.out.find("80ms  80.00%  80.00%       80ms  80.00%  main.fib"), std::string::npos)
      << top.out;
  CliRun diff = Kiln("diff " + base + " " + next);
  ASSERT_EQ(diff.exit_code, 0) << diff.out;
  // fib went from 80% to 20%: the largest change, listed first.
  const size_t fib = diff.out.find("main.fib"), sort = diff.out.find("sort.Ints");
  ASSERT_NE(fib, std::string::npos);
  EXPECT_LT(fib, sort);
  EXPECT_NE(diff.out.find("-60.00pp"), std::string::npos) << diff.out;
}

TEST(KilnCliTest, ErrorsGoToStderrWithNonZeroExit) {
  CliRun missing = Kiln("top /nonexistent/profile.pb.gz");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.out.find("cannot open file"), std::string::npos) << missing.out;
  const std::string in = WriteProfile("kiln_cli_c.pb.gz", 1, 1);
  CliRun bad_type = Kiln("convert " + in + " --to collapsed --sample-type wall");
  EXPECT_EQ(bad_type.exit_code, 1);
  EXPECT_NE(bad_type.out.find("no sample type 'wall'; the input has: samples/count, cpu/nanoseconds"),
            std::string::npos)
      << bad_type.out;
  EXPECT_NE(Kiln("convert " + in + " --to svg").exit_code, 0);
  const std::string junk = (std::filesystem::temp_directory_path() / "kiln_cli_junk.bin").string();
  std::ofstream(junk, std::ios::binary) << std::string("\x01\x02\x03\x04 not a profile", 19);
  CliRun unknown = Kiln("top " + junk);
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.out.find("unrecognized profile format"), std::string::npos) << unknown.out;
}

}  // namespace
}  // namespace kiln
