// The legacy pprof importer on small inputs built here: every format
// variant, pprof's value arithmetic (expected numbers computed with Go 1.19's
// google/pprof code), frame handling, memory maps, errors with their
// locations, options, and sniffing.
#include "kiln/ingest/pprof_legacy_importer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/ingest/pprof_legacy/memory_map.h"
#include "core/ingest/pprof_legacy/text_lines.h"
#include "kiln/export/collapsed_writer.h"
#include "kiln/ingest/importer_registry.h"
#include "kiln/query/tree_builder.h"

namespace kiln {
namespace {

using ::testing::HasSubstr;

// Builds a binary CPU profile in one word size and byte order.
class CpuProfileBytes {
 public:
  CpuProfileBytes(size_t word_size, bool big_endian, uint64_t period_us, bool java = false)
      : word_size_(word_size), big_endian_(big_endian) {
    Words({0, 3, java ? 1u : 0u, period_us, 0});
  }
  CpuProfileBytes& Record(uint64_t count, std::vector<uint64_t> pcs) {
    Words({count, pcs.size()});
    Words(pcs);
    return *this;
  }
  CpuProfileBytes& End() {
    Words({0, 1, 0});
    return *this;
  }
  CpuProfileBytes& Text(std::string_view text) {
    bytes_ += text;
    return *this;
  }
  CpuProfileBytes& Words(const std::vector<uint64_t>& words) {
    for (uint64_t w : words) {
      for (size_t i = 0; i < word_size_; ++i) {
        const size_t shift = 8 * (big_endian_ ? word_size_ - 1 - i : i);
        bytes_.push_back(static_cast<char>((w >> shift) & 0xff));
      }
    }
    return *this;
  }
  const std::string& bytes() const { return bytes_; }

 private:
  size_t word_size_;
  bool big_endian_;
  std::string bytes_;
};

Profile MustParse(std::string_view data, const ImportOptions& options = {}) {
  auto p = ParsePprofLegacy(data, options);
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? *std::move(p) : Profile();
}

std::string Collapsed(const Profile& p, size_t type) { return WriteCollapsed(BuildTree(p, type)); }

std::vector<std::string> Types(const Profile& p) {
  std::vector<std::string> out;
  for (const ValueType& t : p.sample_types) out.push_back(t.type + "/" + t.unit);
  return out;
}

std::string ErrorOf(std::string_view data, const ImportOptions& options = {}) {
  auto p = ParsePprofLegacy(data, options);
  EXPECT_FALSE(p.ok());
  return p.ok() ? "" : std::string(p.status().message());
}

constexpr std::string_view kAppMaps =
    "00400000-00401000 r--p 00000000 00:00 11 /bin/app\n"
    "00401000-00500000 r-xp 00001000 00:00 11 /bin/app\n"
    "7f0000000000-7f0000100000 r-xp 00000000 00:00 12 /lib/libc.so.6\n";

CpuProfileBytes SmallCpuProfile(size_t word_size, bool big_endian) {
  CpuProfileBytes b(word_size, big_endian, 10000);
  b.Record(5, {0x401010, 0x401105, 0x401205})
      .Record(2, {0x7f0000000100, 0x401305, 0x401205})
      .Record(1, {0x401020, 0x401105, 0x401205})
      .End()
      .Text(kAppMaps);
  return b;
}

TEST(PprofLegacyCpuTest, SixtyFourBitLittleEndian) {
  const CpuProfileBytes b = SmallCpuProfile(8, false);
  auto importer = NewPprofLegacyImporter();
  EXPECT_EQ(importer->Sniff(b.bytes()), 100);
  Profile p = MustParse(b.bytes());
  EXPECT_EQ(Types(p), (std::vector<std::string>{"samples/count", "cpu/nanoseconds"}));
  EXPECT_EQ(p.period, 10000000);
  EXPECT_EQ(p.period_type.type, "cpu");
  EXPECT_EQ(p.Total(0), 8);
  EXPECT_EQ(p.Total(1), 80000000);
  // Callers step back onto their call instruction; the leaf does not.
  EXPECT_EQ(Collapsed(p, 0),
            "app 0x401204;app 0x401104;app 0x401010 5\n"
            "app 0x401204;app 0x401104;app 0x401020 1\n"
            "app 0x401204;app 0x401304;libc.so.6 0x7f0000000100 2\n");
}

TEST(PprofLegacyCpuTest, EveryWordSizeAndByteOrderReadsTheSame) {
  const std::string want = Collapsed(MustParse(SmallCpuProfile(8, false).bytes()), 1);
  for (size_t word : {4, 8}) {
    for (bool big : {false, true}) {
      SCOPED_TRACE(::testing::Message() << word << " bytes, big endian " << big);
      // 32-bit words cannot hold the libc addresses; keep the 64-bit ones out.
      if (word == 4) {
        CpuProfileBytes b(4, big, 10000);
        b.Record(5, {0x401010, 0x401105, 0x401205}).Record(1, {0x401020, 0x401105, 0x401205});
        b.Record(2, {0x401030, 0x401305, 0x401205}).End().Text(kAppMaps);
        Profile p = MustParse(b.bytes());
        EXPECT_EQ(Collapsed(p, 0),
                  "app 0x401204;app 0x401104;app 0x401010 5\n"
                  "app 0x401204;app 0x401104;app 0x401020 1\n"
                  "app 0x401204;app 0x401304;app 0x401030 2\n");
        EXPECT_EQ(p.Total(1), 80000000);
      } else {
        EXPECT_EQ(Collapsed(MustParse(SmallCpuProfile(word, big).bytes()), 1), want);
      }
    }
  }
}

TEST(PprofLegacyCpuTest, SignalHandlerFrameAndDuplicatedLeafAreRemoved) {
  // Every sample's second frame is the same handler address: an artifact of
  // the signal handler, dropped. The third record repeats its leaf as the
  // unwound caller (0x401011 - 1 == 0x401010 ... leaf 0x401011).
  CpuProfileBytes b(8, false, 1000);
  b.Record(3, {0x401010, 0x4ff001, 0x401105})
      .Record(4, {0x401020, 0x4ff001, 0x401205})
      .Record(1, {0x401031, 0x4ff001, 0x401031, 0x401305})
      .End()
      .Text(kAppMaps);
  Profile p = MustParse(b.bytes());
  EXPECT_EQ(Collapsed(p, 0),
            "app 0x401104;app 0x401010 3\n"
            "app 0x401204;app 0x401020 4\n"
            "app 0x401304;app 0x401031 1\n");
  EXPECT_EQ(p.period, 1000000);
}

TEST(PprofLegacyCpuTest, WithoutMemoryMapLocationsGetAnAnonymousMapping) {
  CpuProfileBytes b(8, false, 10000);
  b.Record(2, {0x1010, 0x2005}).Record(1, {0x1020, 0x3005});
  Profile p = MustParse(b.bytes());  // no end marker either: pprof accepts that
  EXPECT_EQ(Collapsed(p, 0), "0x2004;0x1010 2\n0x3004;0x1020 1\n");
}

TEST(PprofLegacyCpuTest, IdenticalRecordsMergeAndZeroRecordsDrop) {
  CpuProfileBytes b(8, false, 10000);
  b.Record(2, {0x1010, 0x2005}).Record(0, {0x1050}).Record(3, {0x1010, 0x2005}).End();
  Profile p = MustParse(b.bytes());
  EXPECT_EQ(p.num_samples(), 1u);
  EXPECT_EQ(p.Total(0), 5);
  EXPECT_EQ(p.stats.Get(ImportStat::zero_values_dropped), 1);
}

TEST(PprofLegacyCpuTest, JavaCpuProfileIsSymbolizedFromItsTable) {
  CpuProfileBytes b(4, false, 10000, /*java=*/true);
  b.Record(2, {0x3})
      .Record(1, {0x6, 0x7, 0x8})
      .Record(1, {0x6, 0x9})
      .End()
      .Text(" 0x00000003 GC\n"
            " 0x0000006 com.example.Leaf (Leaf.java:16)\n"
            " 0x0000007 com.example.Mid (Mid.java:0)\n"
            " 0x0000008 native_start (/usr/lib/libjvm.so)\n");
  Profile p = MustParse(b.bytes());
  EXPECT_EQ(Types(p), (std::vector<std::string>{"samples/count", "cpu/nanoseconds"}));
  // 0x9 has no symbol: it keeps its address.
  EXPECT_EQ(Collapsed(p, 0),
            "0x9;com.example.Leaf 1\n"
            "GC 2\n"
            "native_start;com.example.Mid;com.example.Leaf 1\n");
  auto tree = BuildTree(p, 0, {.naming = FrameNaming::kFunctionAndLine});
  EXPECT_NE(WriteCollapsed(tree).find("com.example.Leaf:16"), std::string::npos);
}

TEST(PprofLegacyCpuTest, TruncatedRecordIsAnErrorWithItsOffset) {
  CpuProfileBytes b(8, false, 10000);
  b.Record(1, {0x1010});
  b.Words({7, 3, 0x1020});  // says 3 pcs, has 1
  EXPECT_THAT(ErrorOf(b.bytes()), HasSubstr("record at byte offset 64"));
  CpuProfileBytes c(4, true, 10000);
  c.Record(1, {0x1010}).Text("xy");
  EXPECT_THAT(ErrorOf(c.bytes()),
              HasSubstr("binary CPU profile: 32-bit big-endian words: record at byte offset 32: 2 "
                        "trailing bytes are not a whole record header"));
}

// --- heap ---------------------------------------------------------------

TEST(PprofLegacyHeapTest, HeapV2IsUnsampledExactlyAsPprofDoes) {
  // Expected values from google/pprof's scaleHeapSample run with Go 1.19.
  const std::string text =
      "heap profile:    4:  3145928 [    7:  3146328] @ heap_v2/524288\n"
      "     1:      100 [     2:      300] @ 0x401105 0x401205\n"
      "     3:  3145728 [     3:  3145728] @ 0x401305 0x401205\n"
      "     0:        0 [    10:     4096] @ 0x401405\n"
      "\n"
      "MAPPED_LIBRARIES:\n" +
      std::string(kAppMaps);
  auto importer = NewPprofLegacyImporter();
  EXPECT_EQ(importer->Sniff(text), 95);
  Profile p = MustParse(text);
  EXPECT_EQ(Types(p), (std::vector<std::string>{"alloc_objects/count", "alloc_space/bytes",
                                                "inuse_objects/count", "inuse_space/bytes"}));
  EXPECT_EQ(p.period, 524288);
  EXPECT_EQ(p.period_type.type + "/" + p.period_type.unit, "space/bytes");
  ASSERT_EQ(p.num_samples(), 3u);
  EXPECT_EQ(std::vector<int64_t>(p.values(0).begin(), p.values(0).end()),
            (std::vector<int64_t>{6991, 1048726, 5243, 524338}));
  EXPECT_EQ(std::vector<int64_t>(p.values(1).begin(), p.values(1).end()),
            (std::vector<int64_t>{3, 3638089, 3, 3638089}));
  EXPECT_EQ(std::vector<int64_t>(p.values(2).begin(), p.values(2).end()),
            (std::vector<int64_t>{12805, 5244928, 0, 0}));
  // Every address steps back by one; the block size is the "bytes" label
  // (of the in-use values, or the allocated ones when nothing is in use).
  EXPECT_EQ(Collapsed(p, 3), "app 0x401204;app 0x401104 524338\napp 0x401204;app 0x401304 3638089\n");
  std::vector<int64_t> bytes;
  for (size_t i = 0; i < p.num_samples(); ++i) {
    ASSERT_EQ(p.label_sets[p.sample_label_sets[i]].size(), 1u);
    const SampleLabel& l = p.label_sets[p.sample_label_sets[i]][0];
    EXPECT_EQ(p.symbols.String(l.key), "bytes");
    EXPECT_EQ(p.symbols.String(l.num_unit), "bytes");
    bytes.push_back(l.num);
  }
  EXPECT_EQ(bytes, (std::vector<int64_t>{100, 1048576, 409}));
}

TEST(PprofLegacyHeapTest, GperftoolsHeapProfileIsNotScaled) {
  const std::string text =
      "heap profile:      1:     4096 [  5102: 29330132] @ heapprofile\n"
      "     1:     4096 [     1:     4096] @ 0x00401105 0x00401205\n"
      "     0:        0 [   300:  9600000] @ 0x0040137b 0x00401205\n"
      "\nMAPPED_LIBRARIES:\n" + std::string(kAppMaps);
  Profile p = MustParse(text);
  EXPECT_EQ(p.period, 1);
  EXPECT_EQ(p.Total(0), 301);
  EXPECT_EQ(p.Total(1), 9604096);
  EXPECT_EQ(p.Total(3), 4096);
}

TEST(PprofLegacyHeapTest, GoHeapRateIsHalvedAndWithoutAllocColumnsTwoTypes) {
  // Go writes 2*MemProfileRate after "heap/"; equal columns mean no alloc data.
  Profile p = MustParse(
      "heap profile: 2: 1024 [2: 1024] @ heap/1048576\n"
      "2: 1024 [2: 1024] @ 0x1001\n");
  EXPECT_EQ(Types(p), (std::vector<std::string>{"objects/count", "space/bytes"}));
  EXPECT_EQ(p.period, 524288);
  EXPECT_EQ(p.Total(0), 2049);
  EXPECT_EQ(p.Total(1), 1049088);
}

TEST(PprofLegacyHeapTest, GrowthProfile) {
  Profile p = MustParse(
      "heap profile:     3: 5242880 [     3: 5242880] @ growthz\n"
      "     2:  4194304 [     2:  4194304] @ 0xb83003 0xb87d50\n"
      "     1:  1048576 [     1:  1048576] @ 0xb83003 0xb87d50\n");
  EXPECT_EQ(Types(p), (std::vector<std::string>{"objects/count", "space/bytes"}));
  EXPECT_EQ(p.period, 1);
  EXPECT_EQ(p.Total(1), 5242880);
  // Different block sizes ("bytes" label) keep the two records apart.
  EXPECT_EQ(p.num_samples(), 2u);
}

TEST(PprofLegacyHeapTest, GoDebugHeapTextIsNamedFromItsComments) {
  const std::string text =
      "heap profile: 1: 1024 [4: 4096] @ heap/2\n"
      "1: 1024 [4: 4096] @ 0x1001 0x2001 0x3001\n"
      "#\t0x2000\tmain.alloc+0x20\t\t/src/main.go:12\n"
      "#\t0x3000\tmain.main+0x40\t\t/src/main.go:30\n"
      "\n"
      "# runtime.MemStats\n"
      "# Alloc = 23274136\n";
  Profile p = MustParse(text);
  // 0x1000 is a hidden runtime frame: no comment, so named by address.
  EXPECT_EQ(Collapsed(p, 3), "main.main;main.alloc;0x1000 1024\n");
}

TEST(PprofLegacyHeapTest, BadLinesAreErrorsWithLineNumbers) {
  EXPECT_THAT(ErrorOf("heap profile: 1: 2 [3: 4] @ heap_v2/524288\n"
                      "1: 2 [3: 4] @ 0x1\n"
                      "\n"
                      "what is this\n"),
              HasSubstr("heap profile: line 4: not a heap sample"));
  EXPECT_THAT(ErrorOf("heap profile: 1: 2 [3: 4] @ heapprofile\n0: 5 [0: 0] @ 0x1\n"),
              HasSubstr("line 2: inuse count was 0 but inuse bytes was 5"));
  EXPECT_THAT(ErrorOf("heap profile: 1: 2 [1: 2] @ heapprofile\n1: 2 [1: 2] @ 0x10000000000000000\n"),
              HasSubstr("line 2: malformed sample: failed to parse as hex 64-bit number: "
                        "0x10000000000000000"));
  EXPECT_THAT(ErrorOf("heap profile: 1: 2 [1: 2] @ heapz\n"),
              HasSubstr("unknown heap profile kind 'heapz'"));
  EXPECT_THAT(ErrorOf("heap profile: 1: 2 [1: 2] @ heapprofile\n99999999999999999999: 2 [1: 2] @ 0x1\n"),
              HasSubstr("line 2: malformed sample: value out of range"));
}

// --- Go count profiles ----------------------------------------------------

TEST(PprofLegacyCountTest, GoroutineDebugTextWithInlinedFrames) {
  const std::string text =
      "goroutine profile: total 4\n"
      "3 @ 0x1001 0x2001 0x3001 0x4001\n"
      "#\t0x2000\tmain.worker+0x20\t\t/src/main.go:12\n"
      "#\t0x3000\tmain.helper+0x10\t\t/src/main.go:20\n"
      "#\t0x3000\tmain.main+0x40\t\t\t/src/main.go:30\n"
      "#\t0x4000\truntime.main+0x200\t\truntime/proc.go:250\n"
      "\n"
      "1 @ 0x1001 0x5001\n"
      "#\t0x5000\tmain.other+0x8\t/src/other.go:7\n"
      "\n";
  auto importer = NewPprofLegacyImporter();
  EXPECT_EQ(importer->Sniff(text), 95);
  Profile p = MustParse(text);
  EXPECT_EQ(Types(p), std::vector<std::string>{"goroutine/count"});
  EXPECT_EQ(p.period, 1);
  EXPECT_EQ(p.Total(0), 4);
  // main.helper is inlined into main.main at 0x3000: two frames, one location.
  EXPECT_EQ(Collapsed(p, 0),
            "main.other;0x1000 1\n"
            "runtime.main;main.main;main.helper;main.worker;0x1000 3\n");
  const std::string lines =
      WriteCollapsed(BuildTree(p, 0, {.naming = FrameNaming::kFunctionAndLine}));
  EXPECT_NE(lines.find("main.helper:20;main.worker:12"), std::string::npos) << lines;
}

TEST(PprofLegacyCountTest, ThreadcreateCountsUseGoIntegerSyntax) {
  // pprof parses counts with base 0: a leading zero means octal.
  Profile p = MustParse("# comment\n\nthreadcreate profile: total 9\n010 @ 0x44cb3 0x45045\n1 @ 0x440e2\n");
  EXPECT_EQ(Types(p), std::vector<std::string>{"threadcreate/count"});
  EXPECT_EQ(p.Total(0), 9);
  EXPECT_THAT(ErrorOf("goroutine profile: total 1\n09 @ 0x1\n"),
              HasSubstr("count profile: line 2: malformed profile format: count 09: invalid syntax"));
  EXPECT_THAT(ErrorOf("goroutine profile: total 1\n1 @ 0x1 \n"),
              HasSubstr("line 2: malformed profile format"));
}

// --- contention -----------------------------------------------------------

TEST(PprofLegacyContentionTest, CyclesBecomeNanosecondsTimesThePeriod) {
  const std::string text =
      "--- contentionz 1 ---\n"
      "cycles/second = 2000000000\n"
      "sampling period = 100\n"
      "ms since reset = 1000\n"
      "discarded samples = 0\n"
      "  2000  3 @ 0x401105 0x401205\n"
      "  12345 7 @ 0x401305\n"
      "--- Memory map: ---\n"
      "  00400000-00500000: /bin/app\n";
  Profile p = MustParse(text);
  EXPECT_EQ(Types(p), (std::vector<std::string>{"contentions/count", "delay/nanoseconds"}));
  EXPECT_EQ(p.period, 100);
  EXPECT_EQ(p.duration_nanos, 1000000000);
  ASSERT_EQ(p.num_samples(), 2u);
  EXPECT_EQ(p.values(0)[0], 300);
  EXPECT_EQ(p.values(0)[1], 100000);  // int64(2000 * 100 / 2.0)
  EXPECT_EQ(p.values(1)[1], 617250);
  EXPECT_EQ(Collapsed(p, 0), "app 0x401204;app 0x401104 300\napp 0x401304 700\n");
}

TEST(PprofLegacyContentionTest, GoMutexDebugText) {
  Profile p = MustParse(
      "--- mutex:\n"
      "cycles/second=3201000000\n"
      "sampling period=7\n"
      "12345 1 @ 0x2001 0x3001\n"
      "#\t0x2000\tsync.(*Mutex).Unlock+0x20\t/go/src/sync/mutex.go:212\n"
      "#\t0x3000\tmain.contend+0x40\t\t/src/main.go:30\n");
  EXPECT_EQ(p.values(0)[0], 7);
  EXPECT_EQ(p.values(0)[1], 26996);  // Go: int64(12345 * 7 / 3.201)
  EXPECT_EQ(Collapsed(p, 1), "main.contend;sync.(*Mutex).Unlock 26996\n");
}

TEST(PprofLegacyContentionTest, BadAttributesAndSamples) {
  EXPECT_THAT(ErrorOf("--- contentionz 1 ---\ncolor = blue\n1 1 @ 0x1\n"),
              HasSubstr("contention profile: line 2: unknown contention profile attribute 'color'"));
  EXPECT_THAT(ErrorOf("--- contentionz 1 ---\nsampling period = ten\n"),
              HasSubstr("line 2: attribute 'sampling period': ten (invalid syntax)"));
  EXPECT_THAT(ErrorOf("--- mutex:\nsampling period = 1\n1 1 @ 0x1\nnope\n"),
              HasSubstr("line 4: not a contention sample"));
}

// --- threadz ---------------------------------------------------------------

TEST(PprofLegacyThreadTest, ThreadsWithSameAsPreviousAndCreators) {
  const std::string text =
      "--- threadz 1 ---\n"
      "\n"
      "--- Thread 7f794ab90940 (name: main/14748) stack: ---\n"
      "  PC:  0x00401105: helper(arg *)\n"
      "  0x00401205: main\n"
      "--- Thread 7f794964e700 (name: thread1/14751) stack: ---\n"
      "  PC: 0x00401305 0x00401205\n"
      "      creator: 0x401405\n"
      "--- Thread 7f794934c700 (name: thread2/14752) stack: ---\n"
      "  [same as previous thread]\n"
      "--- Memory map: ---\n"
      "  00400000-00500000: /bin/app\n";
  auto importer = NewPprofLegacyImporter();
  EXPECT_EQ(importer->Sniff(text), 95);
  Profile p = MustParse(text);
  EXPECT_EQ(Types(p), std::vector<std::string>{"thread/count"});
  EXPECT_EQ(p.Total(0), 3);
  // The leaf is the thread's PC (not adjusted); creator frames are appended.
  EXPECT_EQ(Collapsed(p, 0),
            "app 0x401204;app 0x401105 1\n"
            "app 0x401404;app 0x401204;app 0x401305 2\n");
  EXPECT_THAT(ErrorOf("--- threadz 1 ---\n--- Thread 1 (name: a/1) stack: ---\n  0x1\n--- oops\n"),
              HasSubstr("line 4: want '--- Thread <id> (name: <name>/<tid>) stack: ---'"));
}

// --- Java text profiles ------------------------------------------------------

TEST(PprofLegacyJavaTest, HeapzIsScaledAtTheAgentsFixedRate) {
  Profile p = MustParse(
      "--- heapz 1 ---\n"
      "format = java\n"
      "resolution = bytes\n"
      "   1024     2 @ 0x00000001 0x00000002\n"
      "\n"
      " 0x0000001 java.util.Arrays.copyOf (Arrays.java:3236)\n"
      " 0x0000002 com.example.Main.main (Main.java:12)\n");
  EXPECT_EQ(Types(p), (std::vector<std::string>{"inuse_objects/count", "inuse_space/bytes"}));
  EXPECT_EQ(p.values(0)[0], 2049);
  EXPECT_EQ(p.values(0)[1], 1049088);
  EXPECT_EQ(Collapsed(p, 1), "com.example.Main.main;java.util.Arrays.copyOf 1049088\n");
}

TEST(PprofLegacyJavaTest, ContentionzTakesItsUnitFromResolution) {
  Profile p = MustParse(
      "--- contentionz 1 ---\n"
      "format = java\n"
      "resolution = microseconds\n"
      "sampling period = 100\n"
      "ms since reset = 6019923\n"
      "            1     1 @ 0x00000003 0x00000004\n"
      "            2     2 @ 0x00000003 0x00000004\n"
      "\n"
      " 0x0000003 com.example.function03 (source.java:03)\n"
      " 0x0000004 com.example.function04 (source.java:04)\n");
  EXPECT_EQ(Types(p), (std::vector<std::string>{"contentions/count", "delay/microseconds"}));
  EXPECT_EQ(p.period, 100);
  EXPECT_EQ(p.duration_nanos, 6019923000000);
  ASSERT_EQ(p.num_samples(), 1u);  // the two records share a stack
  EXPECT_EQ(p.values(0)[0], 300);
  EXPECT_EQ(p.values(0)[1], 300);
}

TEST(PprofLegacyJavaTest, ZeroCountHeapRecordFailsLikePprof) {
  // google/pprof's fuzz input 7e3c92482f6f39fc502b822ded792c589849cca8.
  EXPECT_THAT(ErrorOf("--- heapz 1 ---\n0 0 @ 0\n"),
              HasSubstr("line 2: parsing sample 0 0 @ 0: second value must be non-zero"));
  EXPECT_THAT(ErrorOf("--- heapz 1 ---\nformat = cpp\n"), HasSubstr("format is 'cpp', want 'java'"));
  EXPECT_THAT(ErrorOf("--- heapz 1 ---\n1 1 @ 0x1\n"), HasSubstr("no 'resolution' attribute"));
}

// --- memory maps -------------------------------------------------------------

TEST(PprofLegacyMemoryMapTest, ProcMapsBriefFormsAttributesAndLogPrefixes) {
  pprof_legacy::TextLines lines(
      "00400000-02e00000 r-xp 00000000 00:00 0\n"
      "02e00000-02e8a000 r-xp 02a00000 00:00 15953927    /foo/bin\n"
      "7f5e5435e000-7f5e5455e000 ---p 00002000 00:00 1531        skipped\n"
      "  02e00000-02e8a000: /foo/bin (@2a00000)\n"
      "0x40000-0x80000 /path/to/binary      (@FF00)            abc123456\n"
      "W1220 15:07:15.202776    8272 logger.cc:12036]   0x50000-0x60000 /logged\n"
      "dir = /opt\n"
      "0x70000-0x80000 $dir/lib.so\n"
      "not a mapping\n");
  std::vector<pprof_legacy::LegacyMapping> m = pprof_legacy::ParseMemoryMap(&lines);
  ASSERT_EQ(m.size(), 6u);
  EXPECT_EQ(m[0].start, 0x400000u);
  EXPECT_EQ(m[0].limit, 0x2e00000u);
  EXPECT_EQ(m[0].file, "");
  EXPECT_EQ(m[1].offset, 0x2a00000u);
  EXPECT_EQ(m[1].file, "/foo/bin");
  EXPECT_EQ(m[2].offset, 0x2a00000u);
  EXPECT_EQ(m[3].file, "/path/to/binary");
  EXPECT_EQ(m[3].offset, 0xff00u);
  EXPECT_EQ(m[3].build_id, "abc123456");
  EXPECT_EQ(m[4].file, "/logged");
  EXPECT_EQ(m[5].file, "/opt/lib.so");
}

TEST(PprofLegacyMemoryMapTest, MainBinaryFirstSplitMappingsMergedAndWidened) {
  pprof_legacy::LegacyProfile p;
  pprof_legacy::LegacySample s;
  for (uint64_t a : {0x7f0000000010ull, 0x401010ull, 0x402010ull, 0x10ull}) {
    s.locations.push_back(p.LocationAt(a));
  }
  s.values = {1};
  p.samples.push_back(s);
  pprof_legacy::TextLines lines(
      "7f0000000000-7f0000100000 r-xp 00000000 00:00 12 /lib/libc.so.6\n"
      "00401000-00402000 r-xp 00001000 00:00 11 /bin/app\n"
      "00402000-00403000 r-xp 00002000 00:00 11 /bin/app\n");
  pprof_legacy::AttachMappings(pprof_legacy::ParseMemoryMap(&lines), &p);
  ASSERT_EQ(p.mappings.size(), 3u);  // app (merged), libc, the synthetic one
  EXPECT_EQ(p.mappings[0].file, "/bin/app");
  EXPECT_EQ(p.mappings[0].start, 0x400000u);  // 0x401000 - 0x1000: offset folded in
  EXPECT_EQ(p.mappings[0].limit, 0x403000u);
  EXPECT_EQ(p.mappings[0].offset, 0u);
  EXPECT_EQ(p.mappings[1].file, "/lib/libc.so.6");
  EXPECT_EQ(p.mappings[2].file, "");
  EXPECT_EQ(p.locations[0].mapping, 1);
  EXPECT_EQ(p.locations[1].mapping, 0);
  EXPECT_EQ(p.locations[2].mapping, 0);
  EXPECT_EQ(p.locations[3].mapping, 2);
}

// --- options, detection, bad input ---------------------------------------------

TEST(PprofLegacyOptionsTest, MaxSamplesDepthAndNameLength) {
  const std::string text =
      "goroutine profile: total 3\n"
      "1 @ 0x1001 0x2001 0x3001\n"
      "#\t0x1000\tmain.aVeryLongFunctionName+0x1\t/src/a.go:1\n"
      "#\t0x2000\tmain.b+0x1\t/src/a.go:2\n"
      "#\t0x3000\tmain.c+0x1\t/src/a.go:3\n"
      "2 @ 0x2001 0x3001\n";
  ImportOptions small;
  small.max_samples = 1;
  auto r = ParsePprofLegacy(text, small);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted);

  ImportOptions shallow;
  shallow.max_stack_depth = 2;
  shallow.max_name_length = 6;
  Profile p = MustParse(text, shallow);
  EXPECT_EQ(p.stats.Get(ImportStat::stacks_truncated), 1);
  EXPECT_GT(p.stats.Get(ImportStat::names_truncated), 0);
  // Root-most frames are kept.
  EXPECT_EQ(Collapsed(p, 0), "main.c;main.b 3\n");
}

TEST(PprofLegacyDetectionTest, OnlyLegacyInputsSniff) {
  auto importer = NewPprofLegacyImporter();
  EXPECT_EQ(importer->Sniff("main;foo;bar 3\nmain;foo 1\n"), 0);
  EXPECT_EQ(importer->Sniff("java 12345 [001] 1.000: 1 cycles:\n\tffff a (/lib/x.so)\n\n"), 0);
  EXPECT_EQ(importer->Sniff(std::string("\x0a\x04\x08\x01\x10\x02", 6)), 0);
  EXPECT_EQ(importer->Sniff("# just a comment\n"), 0);
  EXPECT_EQ(importer->Sniff(""), 0);
  // The registry routes legacy inputs here.
  const Importer* detected =
      ImporterRegistry::Default().Detect("goroutine profile: total 1\n1 @ 0x1\n", "x.txt");
  ASSERT_NE(detected, nullptr);
  EXPECT_EQ(detected->format(), "pprof-legacy");
}

TEST(PprofLegacyDetectionTest, UnrecognizedInputSaysWhatWasTried) {
  const std::string e = ErrorOf("hello\n");
  EXPECT_THAT(e, HasSubstr("not a legacy pprof profile"));
  EXPECT_THAT(e, HasSubstr("heap profile: first line is not a 'heap profile: … @ …' header"));
  EXPECT_THAT(ErrorOf(""), HasSubstr("empty input"));
}

}  // namespace
}  // namespace kiln
