#include "kiln/ingest/perf_script_importer.h"

#include <gtest/gtest.h>

#include <string>

#include "kiln/base/gzip.h"
#include "kiln/export/collapsed_writer.h"
#include "kiln/ingest/collapsed_importer.h"
#include "kiln/query/tree_builder.h"

namespace kiln {
namespace {

// The example of shared/design/formats.md §3, twice, with another thread.
constexpr std::string_view kCpuClock =
    "api 31001/31007 [002] 81234.567890:    1001001 cpu-clock:ppp:\n"
    "\tffffffff81c0b2a5 do_syscall_64+0x55 ([kernel.kallsyms])\n"
    "\t    7f3e2a11e2b7 write+0x17 (/usr/lib/x86_64-linux-gnu/libc.so.6)\n"
    "\t    55d1c0a4b1f3 send+0x23 (/opt/app/api)\n"
    "\t    55d1c0a4b5a0 handle+0x40 (/opt/app/api)\n"
    "\t    55d1c0a4b900 main+0x19 (/opt/app/api)\n"
    "\n"
    "api 31001/31008 [000] 81234.568891:    1001001 cpu-clock:ppp:\n"
    "\t    55d1c0a4b1f3 send+0x23 (/opt/app/api)\n"
    "\t    55d1c0a4b5a0 handle+0x40 (/opt/app/api)\n"
    "\t    55d1c0a4b900 main+0x19 (/opt/app/api)\n"
    "\n"
    "api 31001/31007 [002] 81234.569892:    1001001 cpu-clock:ppp:\n"
    "\tffffffff81c0b2a5 do_syscall_64+0x55 ([kernel.kallsyms])\n"
    "\t    7f3e2a11e2b7 write+0x17 (/usr/lib/x86_64-linux-gnu/libc.so.6)\n"
    "\t    55d1c0a4b1f3 send+0x23 (/opt/app/api)\n"
    "\t    55d1c0a4b5a0 handle+0x40 (/opt/app/api)\n"
    "\t    55d1c0a4b900 main+0x19 (/opt/app/api)\n"
    "\n";

std::vector<Profile> MustParse(std::string_view text, const ImportOptions& options = {},
                               const PerfScriptOptions& perf_options = {}) {
  auto p = ParsePerfScript(text, options, perf_options);
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? *std::move(p) : std::vector<Profile>();
}

std::string Collapsed(const Profile& p, size_t type) { return WriteCollapsed(BuildTree(p, type)); }
std::string Collapsed(const Profile& p) { return Collapsed(p, p.DefaultTypeIndex()); }

TEST(PerfScriptImporterTest, CpuClockSamplesWithPeriods) {
  auto profiles = MustParse(kCpuClock);
  ASSERT_EQ(profiles.size(), 1u);
  const Profile& p = profiles[0];
  ASSERT_EQ(p.sample_types.size(), 2u);
  EXPECT_EQ(p.sample_types[0], (ValueType{"samples", "count"}));
  EXPECT_EQ(p.sample_types[1], (ValueType{"cpu", "nanoseconds"}));
  EXPECT_EQ(p.default_sample_type, "cpu");
  EXPECT_EQ(p.DefaultTypeIndex(), 1u);
  EXPECT_EQ(p.period_type, (ValueType{"cpu", "nanoseconds"}));
  EXPECT_EQ(p.period, 1001001);
  EXPECT_EQ(p.name, "process_cpu");
  EXPECT_EQ(p.labels, (std::vector<std::pair<std::string, std::string>>{{"event", "cpu-clock:ppp"}}));
  EXPECT_EQ(p.duration_nanos, 2002000);
  EXPECT_EQ(p.Total(0), 3);
  EXPECT_EQ(p.Total(1), 3003003);
  EXPECT_EQ(p.num_samples(), 2u);  // one per distinct stack
  // Root first, the process name as the root frame, kernel frames kept.
  EXPECT_EQ(Collapsed(p),
            "api;main;handle;send 1001001\n"
            "api;main;handle;send;write;do_syscall_64 2002002\n");
  EXPECT_EQ(Collapsed(p, 0), "api;main;handle;send 1\napi;main;handle;send;write;do_syscall_64 2\n");
  EXPECT_TRUE(p.stats.Empty()) << p.stats.ToString();
}

TEST(PerfScriptImporterTest, KeepsDsoAndAddressInTheSymbolTable) {
  auto profiles = MustParse(kCpuClock);
  const Profile& p = profiles[0];
  std::vector<LocationId> leaf_first;
  p.stacks.Unwind(p.sample_stacks[0], &leaf_first);
  ASSERT_EQ(leaf_first.size(), 6u);
  const Location& leaf = p.symbols.location(leaf_first[0]);
  EXPECT_EQ(leaf.address, 0xffffffff81c0b2a5u);
  EXPECT_EQ(p.symbols.String(p.symbols.mapping(leaf.mapping_id).filename), "[kernel.kallsyms]");
  EXPECT_EQ(p.symbols.FunctionName(p.symbols.lines(leaf_first[0])[0].function_id), "do_syscall_64");
}

TEST(PerfScriptImporterTest, CommWithSpacesPidTidFormsAndCpuField) {
  auto profiles = MustParse(
      "V8 WorkerThread 25607 4794564.109216: cycles:\n"
      "\t7f12 v8::internal::Heap::Scavenge (/opt/node)\n"
      "\n"
      "V8 WorkerThread 24636/25608 [001] 4794564.109300: cycles:\n"
      "\t7f12 v8::internal::Heap::Scavenge (/opt/node)\n"
      "\n"
      "node 24636 [000] 4794564.109400: cycles:\n"
      "\t7f13 uv_run (/opt/node)\n"
      "\n");
  ASSERT_EQ(profiles.size(), 1u);
  // No periods: one sample type, and it is what collapsed output counts.
  ASSERT_EQ(profiles[0].sample_types.size(), 1u);
  EXPECT_EQ(profiles[0].sample_types[0], (ValueType{"samples", "count"}));
  EXPECT_TRUE(profiles[0].name.empty());
  EXPECT_EQ(Collapsed(profiles[0]), "V8_WorkerThread;v8::internal::Heap::Scavenge 2\nnode;uv_run 1\n");
}

TEST(PerfScriptImporterTest, MissingPeriodsWeighOneLikeStackcollapse) {
  auto profiles = MustParse(
      "dd 29776 666709.771979:   10101010 cpu-clock: \n"
      "\t3d6b4c vfs_read (/vmlinux)\n"
      "\n"
      "dd 29776 666709.782078: cpu-clock: \n"
      "\t3d6b4c vfs_read (/vmlinux)\n"
      "\n");
  ASSERT_EQ(profiles.size(), 1u);
  EXPECT_EQ(profiles[0].Total(0), 2);
  EXPECT_EQ(profiles[0].Total(1), 10101011);
}

TEST(PerfScriptImporterTest, OneProfilePerEventInOrderOfAppearance) {
  auto profiles = MustParse(
      "noploop 3019 [001] 2054.120231: instructions:\n"
      "\t4005c0 main (/root/noploop)\n"
      "\n"
      "noploop 3019 [001] 2054.120235:     200000 cycles:\n"
      "\t4005c0 main (/root/noploop)\n"
      "\n"
      "noploop 3019 [001] 2054.120299: instructions:\n"
      "\t4005c8 main (/root/noploop)\n"
      "\n");
  ASSERT_EQ(profiles.size(), 2u);
  EXPECT_EQ(profiles[0].labels[0].second, "instructions");
  ASSERT_EQ(profiles[0].sample_types.size(), 1u);
  EXPECT_EQ(Collapsed(profiles[0]), "noploop;main 2\n");
  EXPECT_EQ(profiles[1].labels[0].second, "cycles");
  ASSERT_EQ(profiles[1].sample_types.size(), 2u);
  EXPECT_EQ(profiles[1].sample_types[1], (ValueType{"cycles", "count"}));
  EXPECT_TRUE(profiles[1].name.empty());
  EXPECT_EQ(Collapsed(profiles[1]), "noploop;main 200000\n");
}

TEST(PerfScriptImporterTest, UnknownSymbolsAreNamedAfterTheirDso) {
  auto profiles = MustParse(
      "java 4579 cpu-clock: \n"
      "\t7f0d8b14c3c0 [unknown] (/tmp/perf-4576.map)\n"
      "\t7f0d9de34f70 [unknown] (/usr/lib/jvm/lib/amd64/server/libjvm.so)\n"
      "\tffffffff8100 [unknown] ([kernel.kallsyms])\n"
      "\t            0 [unknown] ([unknown])\n"
      "\n");
  EXPECT_EQ(Collapsed(profiles[0]),
            "java;[unknown];[[kernel.kallsyms]];[libjvm.so];[perf-4576.map] 1\n");
  EXPECT_EQ(profiles[0].stats.Get(ImportStat::unresolved_frames), 4);
  EXPECT_FALSE(profiles[0].stats.HasDataLoss());
}

TEST(PerfScriptImporterTest, CrlfAndHeaderComments) {
  auto profiles = MustParse(
      "# ========\r\n"
      "# captured on: Thu Aug 17 14:14:43 2017\r\n"
      "# ========\r\n"
      "#\r\n"
      "cksum 3020 [000] 2054.5: 7 cycles:\r\n"
      "\t4005c0 main+0x10 (/root/cksum)\r\n"
      "\r\n");
  EXPECT_EQ(Collapsed(profiles[0]), "cksum;main 7\n");
  EXPECT_TRUE(profiles[0].stats.Empty()) << profiles[0].stats.ToString();
}

TEST(PerfScriptImporterTest, OldFormatWithoutIndentationOrTime) {
  auto profiles = MustParse(
      "java 19983 cycles:\n"
      "ffffffff8103d0ca native_write_msr_safe ([kernel.kallsyms])\n"
      "7f5d3d0e8b5d Ljava/io/PrintStream;::print (/tmp/perf-19982.map)\n"
      "\n");
  EXPECT_EQ(Collapsed(profiles[0]), "java;java/io/PrintStream:::print;native_write_msr_safe 1\n");
}

TEST(PerfScriptImporterTest, InlinedFramesShareTheirCallersLocation) {
  auto profiles = MustParse(
      "workload 18693  3095.416807:    5025125 cpu-clock:ppp: \n"
      "\t    1895 std::__new_allocator<unsigned char>::allocate+0x83 (inlined)\n"
      "\t    1895 std::vector<unsigned char>::_M_allocate+0x83 (inlined)\n"
      "\t    1895 std::vector<unsigned char>::_M_realloc_insert+0x83 (/tmp/workload)\n"
      "\t    12c2 rle_encode+0xd2 (/tmp/workload)\n"
      "\t   27304 __libc_start_main_impl+0x84 (inlined)\n"
      "\t    10f0 _start+0x20 (/tmp/workload)\n"
      "\n");
  const Profile& p = profiles[0];
  EXPECT_EQ(Collapsed(p),
            "workload;_start;__libc_start_main_impl;rle_encode;"
            "std::vector<unsigned char>::_M_realloc_insert;std::vector<unsigned char>::_M_allocate;"
            "std::__new_allocator<unsigned char>::allocate 5025125\n");
  std::vector<LocationId> leaf_first;
  p.stacks.Unwind(p.sample_stacks[0], &leaf_first);
  ASSERT_EQ(leaf_first.size(), 5u);  // 3 lines in one location, rle_encode, the inlined one, _start, comm
  ASSERT_EQ(p.symbols.lines(leaf_first[0]).size(), 3u);
  EXPECT_EQ(p.symbols.FunctionName(p.symbols.lines(leaf_first[0])[0].function_id),
            "std::__new_allocator<unsigned char>::allocate");
  EXPECT_EQ(p.symbols.String(p.symbols.mapping(p.symbols.location(leaf_first[0]).mapping_id).filename),
            "/tmp/workload");
  EXPECT_EQ(p.symbols.location(leaf_first[2]).mapping_id, 0u);  // inlined with no caller line
}

TEST(PerfScriptImporterTest, DemanglesUnlessAskedNotTo) {
  constexpr std::string_view kMangled =
      "simple 10 198792.736893:    1001001 cpu-clock:\n"
      "\t    563d8d4c5305 _Z4betav (/workdir/simple)\n"
      "\t    563d8d4c53b0 _RNvCs8K9WJNlS7Dz_5trace17multiply_matrices+0x9 (/workdir/simple)\n"
      "\t    563d8d4c5340 _ZN4core3ptr13drop_in_place17h0123456789abcdefE (/workdir/simple)\n"
      "\t    563d8d4c5399 main (/workdir/simple)\n"
      "\n";
  auto profiles = MustParse(kMangled);
  EXPECT_EQ(Collapsed(profiles[0]),
            "simple;main;core::ptr::drop_in_place;trace::multiply_matrices;beta 1001001\n");
  PerfScriptOptions raw;
  raw.demangle = false;
  profiles = MustParse(kMangled, {}, raw);
  EXPECT_EQ(Collapsed(profiles[0]),
            "simple;main;_ZN4core3ptr13drop_in_place17h0123456789abcdefE;"
            "_RNvCs8K9WJNlS7Dz_5trace17multiply_matrices;_Z4betav 1001001\n");
  // The mangled name stays available as the function's system name.
  const Profile& p = profiles[0];
  std::vector<LocationId> leaf_first;
  p.stacks.Unwind(p.sample_stacks[0], &leaf_first);
  EXPECT_EQ(p.symbols.String(p.symbols.function(p.symbols.lines(leaf_first[0])[0].function_id).system_name),
            "_Z4betav");
}

TEST(PerfScriptImporterTest, BrokenAndTruncatedBlocksAreSkippedAndCounted) {
  auto profiles = MustParse(
      "\t7f12 orphan (/lib/x.so)\n"         // 1: frames before any header
      "\t7f13 orphan2 (/lib/x.so)\n"        // 2
      "\n"                                  // 3
      "not a header line\n"                 // 4: a header that does not parse
      "\t7f14 lost (/lib/x.so)\n"           // 5
      "\n"                                  // 6
      "comm 12 1.5: 3 cycles:\n"            // 7
      "\t7f15 kept (/lib/x.so)\n"           // 8
      "\tzz garbage\n"                      // 9: an unrecognized frame line
      "\t7f16 root (/lib/x.so)\n"           // 10
      "comm 12 1.6: 4 cycles:\n"            // 11: a header right after a block
      "\n"                                  // 12: a header with no frames
      "comm 12 1.7: 5 cycles:\n"            // 13: the last block, no blank line after it
      "\t7f17 last (/lib/x.so)");
  ASSERT_EQ(profiles.size(), 1u);
  const Profile& p = profiles[0];
  EXPECT_EQ(Collapsed(p), "comm 4\ncomm;last 5\ncomm;root;kept 3\n");
  EXPECT_EQ(p.stats.Get(ImportStat::records_skipped), 3);
  const auto& notes = p.stats.notes();
  ASSERT_EQ(notes.size(), 3u);
  EXPECT_EQ(notes[0].rfind("line 1: frame lines without a sample header", 0), 0u) << notes[0];
  EXPECT_EQ(notes[1].rfind("line 4: unrecognized sample header \"not a header line\"", 0), 0u)
      << notes[1];
  EXPECT_EQ(notes[2].rfind("line 9: unrecognized frame line", 0), 0u) << notes[2];
}

TEST(PerfScriptImporterTest, LimitsDepthNamesAndSamples) {
  ImportOptions options;
  options.max_stack_depth = 3;  // the process frame and the two root-most frames
  options.max_name_length = 5;
  auto profiles = MustParse(kCpuClock, options);
  EXPECT_EQ(Collapsed(profiles[0]), "api;main;handl 3003003\n");
  EXPECT_EQ(profiles[0].stats.Get(ImportStat::stacks_truncated), 3);
  EXPECT_GE(profiles[0].stats.Get(ImportStat::names_truncated), 1);

  options = ImportOptions();
  options.max_samples = 1;
  auto too_many = ParsePerfScript(kCpuClock, options);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(too_many.status().message().find("line 8"), std::string::npos) << too_many.status();
}

TEST(PerfScriptImporterTest, PeriodsThatOverflowAreSkippedNotWrapped) {
  auto profiles = MustParse(
      "a 1 1.0: 9223372036854775807 cycles:\n\t1 f (x)\n\n"
      "a 1 1.1: 1 cycles:\n\t1 f (x)\n\n");
  EXPECT_EQ(profiles[0].Total(1), 9223372036854775807);
  EXPECT_EQ(profiles[0].Total(0), 1);
  EXPECT_EQ(profiles[0].stats.Get(ImportStat::records_skipped), 1);
}

TEST(PerfScriptImporterTest, GzippedInput) {
  auto profiles = MustParse(Gzip(kCpuClock));
  EXPECT_EQ(profiles[0].Total(0), 3);
}

TEST(PerfScriptImporterTest, InputsWithoutSamplesAreErrors) {
  auto empty = ParsePerfScript("");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("empty"), std::string::npos) << empty.status();
  auto comments = ParsePerfScript("# ========\n# captured on: today\n");
  ASSERT_FALSE(comments.ok());
  auto garbage = ParsePerfScript("hello world\n\tnot a frame\n");
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.status().message().find("line 1: unrecognized sample header"), std::string::npos)
      << garbage.status();
}

TEST(PerfScriptImporterTest, SniffsPerfScriptAndNothingElse) {
  auto importer = NewPerfScriptImporter();
  EXPECT_EQ(importer->format(), "perf-script");
  EXPECT_GE(importer->Sniff(kCpuClock), 80);
  EXPECT_GE(importer->Sniff("# ========\n# captured on: x\n#\njava 19983 cycles:\n"
                            "ffffffff8103d0ca native_write_msr_safe ([kernel.kallsyms])\n"),
            80);
  EXPECT_GE(importer->Sniff("comm 12 1.5: 3 cycles:\n\ncomm 12 1.6: 3 cycles:\n"), 60);
  EXPECT_EQ(importer->Sniff("main;foo;bar 12\nmain;baz 3\n"), 0);
  EXPECT_EQ(importer->Sniff("{\"traceEvents\": []}"), 0);
  EXPECT_EQ(importer->Sniff(std::string("\x0a\x02\x08\x01\x32\x00", 6)), 0);
  EXPECT_EQ(importer->Sniff(Gzip(kCpuClock)), 0);
  EXPECT_EQ(importer->Sniff(""), 0);
  // And the collapsed importer leaves perf script alone.
  EXPECT_EQ(NewCollapsedImporter()->Sniff(kCpuClock), 0);
}

}  // namespace
}  // namespace kiln
