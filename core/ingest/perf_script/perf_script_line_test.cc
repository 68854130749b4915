#include "core/ingest/perf_script/perf_script_line.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

PerfSampleHeader Header(std::string_view line) {
  PerfSampleHeader h;
  EXPECT_TRUE(ParsePerfSampleHeader(line, &h)) << line;
  return h;
}

TEST(PerfSampleHeaderTest, AllFields) {
  PerfSampleHeader h = Header("api 31001/31007 [002] 81234.567890:    1001001 cpu-clock:ppp:");
  EXPECT_EQ(h.comm, "api");
  EXPECT_EQ(h.pid, 31001);
  EXPECT_EQ(h.tid, 31007);
  EXPECT_EQ(h.cpu, 2);
  EXPECT_EQ(h.time_nanos, 81234567890000);
  EXPECT_EQ(h.period, 1001001);
  EXPECT_EQ(h.event, "cpu-clock:ppp");
}

TEST(PerfSampleHeaderTest, OptionalFieldsMissing) {
  PerfSampleHeader h = Header("java 25607 4794564.109216: cycles:");
  EXPECT_EQ(h.comm, "java");
  EXPECT_EQ(h.pid, -1);
  EXPECT_EQ(h.tid, 25607);
  EXPECT_EQ(h.cpu, -1);
  EXPECT_EQ(h.period, -1);
  EXPECT_EQ(h.event, "cycles");

  h = Header("java 19983 cycles:");  // old perf: no time
  EXPECT_EQ(h.tid, 19983);
  EXPECT_EQ(h.time_nanos, -1);
  EXPECT_EQ(h.event, "cycles");

  h = Header("simple-terminat     9/9     198791.127353: cpu-clock: ");
  EXPECT_EQ(h.comm, "simple-terminat");
  EXPECT_EQ(h.pid, 9);
  EXPECT_EQ(h.tid, 9);

  h = Header("swapper     0 [003] 203265.377022:    1001001 cpu-clock: ");
  EXPECT_EQ(h.comm, "swapper");
  EXPECT_EQ(h.tid, 0);
  EXPECT_EQ(h.cpu, 3);

  h = Header("comm 12 1.5:");  // -F comm,tid,time: no event
  EXPECT_EQ(h.event, "");
  EXPECT_EQ(h.time_nanos, 1500000000);
}

TEST(PerfSampleHeaderTest, CommWithSpacesAndDigits) {
  PerfSampleHeader h = Header("V8 WorkerThread 24636/25607 [000] 94564.109216: 100 cycles:");
  EXPECT_EQ(h.comm, "V8 WorkerThread");
  EXPECT_EQ(h.pid, 24636);
  EXPECT_EQ(h.tid, 25607);
  EXPECT_EQ(h.period, 100);

  h = Header("Thread 2 123 [000] 1.5: cycles:");
  EXPECT_EQ(h.comm, "Thread 2");
  EXPECT_EQ(h.tid, 123);

  h = Header("kworker/u8:2 77 [001] 2.000001: 5 cpu-clock:");
  EXPECT_EQ(h.comm, "kworker/u8:2");
  EXPECT_EQ(h.tid, 77);
}

TEST(PerfSampleHeaderTest, TracepointsWithFields) {
  PerfSampleHeader h =
      Header("perf 123 [000] 1.000000: sched:sched_switch: prev_comm=perf prev_pid=123 ==> next");
  EXPECT_EQ(h.event, "sched:sched_switch");
  EXPECT_EQ(h.period, -1);
}

TEST(PerfSampleHeaderTest, NotHeaders) {
  PerfSampleHeader h;
  for (const char* line : {"", "\t7f12 foo (/lib/x.so)", "main;foo 12", "hello world", "comm 12",
                           "ffffffff8103d0ca native_write_msr_safe ([kernel.kallsyms])",
                           "12 1.5: cycles:", "a 1.5: cycles:", "comm 12 13"}) {
    EXPECT_FALSE(ParsePerfSampleHeader(line, &h)) << line;
  }
}

PerfFrame Frame(std::string_view line) {
  PerfFrame f;
  EXPECT_TRUE(ParsePerfFrame(line, &f)) << line;
  return f;
}

TEST(PerfFrameTest, SymbolOffsetAndDso) {
  PerfFrame f = Frame("\tffffffff81c0b2a5 do_syscall_64+0x55 ([kernel.kallsyms])");
  EXPECT_EQ(f.address, 0xffffffff81c0b2a5u);
  EXPECT_EQ(f.symbol, "do_syscall_64");
  EXPECT_EQ(f.dso, "[kernel.kallsyms]");
  EXPECT_TRUE(f.has_dso);

  f = Frame("\t    7f25162557d7 py::fib_recursive:/srv/workload/workload.py+0x5 (/tmp/perf-18701.map)");
  EXPECT_EQ(f.symbol, "py::fib_recursive:/srv/workload/workload.py");
  EXPECT_EQ(f.dso, "/tmp/perf-18701.map");

  f = Frame("\t 6ce258d4c544155 [unknown] ([unknown])");
  EXPECT_EQ(f.symbol, "[unknown]");
  EXPECT_EQ(f.dso, "[unknown]");
}

TEST(PerfFrameTest, ParenthesesInSymbols) {
  PerfFrame f = Frame("\t 7f1 arrayOopDesc::base(BasicType) const (/usr/lib/libjvm.so)");
  EXPECT_EQ(f.symbol, "arrayOopDesc::base(BasicType) const");
  EXPECT_EQ(f.dso, "/usr/lib/libjvm.so");

  f = Frame("\t 146f (anonymous namespace)::spin_sort+0xfe (/tmp/gen2/perf/workload)");
  EXPECT_EQ(f.symbol, "(anonymous namespace)::spin_sort");
  EXPECT_EQ(f.dso, "/tmp/gen2/perf/workload");

  f = Frame("\t 1895 std::vector<int>::_M_allocate+0x83 (inlined)");
  EXPECT_EQ(f.symbol, "std::vector<int>::_M_allocate");
  EXPECT_EQ(f.dso, "inlined");
}

TEST(PerfFrameTest, MissingParts) {
  PerfFrame f = Frame("\t    7f1e2215d0c0  (/lib/x86_64-linux-gnu/libc-2.15.so)");
  EXPECT_EQ(f.symbol, "[unknown]");
  EXPECT_EQ(f.dso, "/lib/x86_64-linux-gnu/libc-2.15.so");

  f = Frame("\t7f12 (/lib/x.so)");
  EXPECT_EQ(f.symbol, "[unknown]");
  EXPECT_EQ(f.dso, "/lib/x.so");

  f = Frame("\t7f12 main");  // -F ip,sym: no dso
  EXPECT_EQ(f.symbol, "main");
  EXPECT_FALSE(f.has_dso);

  f = Frame("\t7f12");
  EXPECT_EQ(f.symbol, "[unknown]");
  EXPECT_FALSE(f.has_dso);

  f = Frame("ffffffff8103d0ca native_write_msr_safe ([kernel.kallsyms])");  // no indentation
  EXPECT_EQ(f.symbol, "native_write_msr_safe");
}

TEST(PerfFrameTest, NotFrames) {
  PerfFrame f;
  for (const char* line : {"", "\t", "\tuniform_int_dist.h:300", "\t[kernel.kallsyms][ffffffff814f9302]",
                           "\t7f12foo (x)", "\t11112222333344445 foo (x)", "\tzz garbage"}) {
    EXPECT_FALSE(ParsePerfFrame(line, &f)) << line;
  }
}

}  // namespace
}  // namespace kiln
