#include "core/ingest/perf_script/symbol_demangler.h"

#include <gtest/gtest.h>

#include "core/ingest/perf_script/frame_naming.h"
#include "core/ingest/perf_script/rust_v0_demangler.h"

namespace kiln {
namespace {

std::string Demangled(std::string_view symbol) {
  auto d = DemangleSymbol(symbol);
  return d ? *d : "<not demangled>";
}

TEST(SymbolDemanglerTest, CppNamesLoseTheirParameterLists) {
  EXPECT_EQ(Demangled("_Z4betav"), "beta");
  EXPECT_EQ(Demangled("_ZNK3Foo3barEi"), "Foo::bar");
  EXPECT_EQ(Demangled("_ZN12_GLOBAL__N_19spin_sortEPii"), "(anonymous namespace)::spin_sort");
  EXPECT_EQ(Demangled("_Z3foov.cold"), "foo");
  EXPECT_EQ(Demangled("__Z4betav"), "beta");  // Mach-O's extra underscore
  EXPECT_EQ(Demangled("_ZNSt6vectorIiSaIiEE9push_backERKi"),
            "std::vector<int, std::allocator<int> >::push_back");
  EXPECT_EQ(Demangled("_ZZ4mainENKUlvE_clEv"), "main::{lambda()#1}::operator()");
  EXPECT_EQ(Demangled("_ZN3FooclEv"), "Foo::operator()");
  EXPECT_EQ(Demangled("_ZN3foo3barE"), "foo::bar");  // a variable: nothing to drop
}

TEST(SymbolDemanglerTest, LegacyRustLosesItsHashAndEscapes) {
  EXPECT_EQ(Demangled("_ZN4core3ptr13drop_in_place17h0123456789abcdefE"), "core::ptr::drop_in_place");
  EXPECT_EQ(Demangled("_ZN66_$LT$alloc..vec..Vec$LT$T$GT$$u20$as$u20$core..ops..drop..Drop$GT$"
                      "4drop17h0a1b2c3d4e5f6789E"),
            "<alloc::vec::Vec<T> as core::ops::drop::Drop>::drop");
}

// Expected names from GNU c++filt 2.40 (binutils' Rust v0 demangler) with
// the crate hashes it prints ("alloc[b23c587ff69f26b0]") removed.
TEST(SymbolDemanglerTest, RustV0) {
  const std::pair<const char*, const char*> kCases[] = {
      {"_RNvCs8K9WJNlS7Dz_5trace17multiply_matrices", "trace::multiply_matrices"},
      {"_RINvNtCse0yjq9ZQveU_3std2rt10lang_startuECs8K9WJNlS7Dz_5trace",
       "std::rt::lang_start::<()>"},
      {"_RNvXsb_NtCsfiKabdrepoq_5alloc3vecINtB5_3VecdEINtNtNtCsTACXlTRjQ_4core3ops5index5IndexjE"
       "5indexCs8K9WJNlS7Dz_5trace",
       "<alloc::vec::Vec<f64> as core::ops::index::Index<usize>>::index"},
      {"_RNvXsb_NtCsfiKabdrepoq_5alloc3vecINtB5_3VecIBw_dEEINtNtNtCsTACXlTRjQ_4core3ops5index5Index"
       "jE5indexCs8K9WJNlS7Dz_5trace",
       "<alloc::vec::Vec<alloc::vec::Vec<f64>> as core::ops::index::Index<usize>>::index"},
      {"_RNvNvMs9_NtCsTACXlTRjQ_4core3numj13unchecked_add18precondition_checkCs8K9WJNlS7Dz_5trace",
       "<usize>::unchecked_add::precondition_check"},
      {"_RNvXs0_NtNtCsTACXlTRjQ_4core5slice5indexjINtB5_10SliceIndexSdE5indexCs8K9WJNlS7Dz_5trace",
       "<usize as core::slice::index::SliceIndex<[f64]>>::index"},
      {"_RNvXs0_NtNtCsTACXlTRjQ_4core5slice5indexjINtB5_10SliceIndexSINtNtCsfiKabdrepoq_5alloc3vec3"
       "VecdEE5indexCs8K9WJNlS7Dz_5trace",
       "<usize as core::slice::index::SliceIndex<[alloc::vec::Vec<f64>]>>::index"},
      {"_RNCNkNvNtNtCsiznFMVuT3yX_4rand4rngs6thread14THREAD_RNG_KEY00B9_",
       "rand::rngs::thread::THREAD_RNG_KEY::{closure#0}"},
      {"_RINvNtCslw2YnFSxGUT_10ppv_lite867generic5dmap2NtB2_13u32x4_genericNCNvXsy_B2_BI_NtNtNtCsTAC"
       "XlTRjQ_4core3ops5arith3Add3add0ECs2zQ9tAH61OF_11rand_chacha",
       "ppv_lite86::generic::dmap2::<ppv_lite86::generic::u32x4_generic, "
       "<ppv_lite86::generic::u32x4_generic as core::ops::arith::Add>::add::{closure#0}>"},
      {"_RNvXs4_NtNtCsTACXlTRjQ_4core4iter5rangeINtNtNtB9_3ops5range5RangejENtNtNtB7_6traits8iterator"
       "8Iterator4nextCs8K9WJNlS7Dz_5trace",
       "<core::ops::range::Range<usize> as core::iter::traits::iterator::Iterator>::next"},
      {"_RNvXsB_NtNtCsTACXlTRjQ_4core4iter5rangemNtB5_4Step17forward_uncheckedCs2zQ9tAH61OF_11rand_"
       "chacha",
       "<u32 as core::iter::range::Step>::forward_unchecked"},
      {"_RNvXsl_NtCs2zQ9tAH61OF_11rand_chacha6chachaNtB5_12ChaCha12CoreNtNtCseBIf0Yfsj9G_9rand_core5"
       "block12BlockRngCore8generateCsiznFMVuT3yX_4rand",
       "<rand_chacha::chacha::ChaCha12Core as rand_core::block::BlockRngCore>::generate"},
      // Types: references, pointers, arrays, tuples, fn pointers, dyn, consts.
      {"_RINvCs1234_3foo3barRAhj4_E", "foo::bar::<&[u8; 4]>"},
      {"_RINvCs1234_3foo3barTlmEE", "foo::bar::<(i32, u32)>"},
      {"_RINvCs1234_3foo3barTlEE", "foo::bar::<(i32,)>"},
      {"_RINvCs1234_3foo3barQPOhE", "foo::bar::<&mut *const *mut u8>"},
      {"_RINvCs1234_3foo3barFUKCmEuE", "foo::bar::<unsafe extern \"C\" fn(u32)>"},
      {"_RINvCs1234_3foo3barFlEmE", "foo::bar::<fn(i32) -> u32>"},
      {"_RINvCs1234_3foo3barKb1_Klna_Kc41_E", "foo::bar::<true, -10, 'A'>"},
      {"_RINvCs1234_3foo3barDNtCs1234_3std5ErrorEL_E", "foo::bar::<dyn std::Error>"},
      {"_RNvCs1234_3foo3bar.llvm.123456", "foo::bar"},
  };
  for (const auto& [mangled, expected] : kCases) {
    EXPECT_EQ(Demangled(mangled), expected) << mangled;
  }
}

TEST(SymbolDemanglerTest, LeavesOtherNamesAlone) {
  for (const char* s : {"main", "do_syscall_64", "[unknown]", "_Z", "_Zgarbage", "_R", "_Rfoo",
                        "_RNvCs8K9WJNlS7Dz_5trace99multiply", "_RB_", "_RNvB0_3foo",
                        "_RINvCs1234_3foo3barKAhj1_EE", "_RNvCs1234_u3foo3bar"}) {
    EXPECT_FALSE(DemangleSymbol(s).has_value()) << s;
  }
}

TEST(SymbolDemanglerTest, DeepOrExplosiveRustNamesAreRefused) {
  // 1000 nested references: deeper than the demangler recurses.
  std::string deep = "_RINvCs1234_3foo3bar";
  deep += std::string(1000, 'R');
  deep += "hE";
  EXPECT_FALSE(DemangleRustV0(deep).has_value());
  // Each tuple holds the previous one twice, through backrefs: the output
  // would double at every level.
  std::string explosive = "INvCs1234_3foo3barThhE";
  size_t previous = explosive.find('T');
  auto base62_position = [](size_t v) {
    if (v == 0) return std::string("_");
    static constexpr char kDigits[] =
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    std::string s;
    for (v -= 1;; v /= 62) {
      s.insert(s.begin(), kDigits[v % 62]);
      if (v < 62) break;
    }
    return s + "_";
  };
  for (int i = 0; i < 40; ++i) {
    const size_t here = explosive.size();
    explosive += "TB" + base62_position(previous) + "B" + base62_position(previous) + "E";
    previous = here;
  }
  explosive = "_R" + explosive + "E";
  // A few levels are fine.
  EXPECT_TRUE(DemangleRustV0(explosive.substr(0, explosive.find("TB", 40)) + "E").has_value());
  EXPECT_FALSE(DemangleRustV0(explosive).has_value());
}

TEST(PerfFrameNameTest, FollowsStackcollapsePerf) {
  const bool kNoDemangle = false;
  EXPECT_EQ(PerfFrameName("[unknown]", "[unknown]", false, kNoDemangle), "[unknown]");
  EXPECT_EQ(PerfFrameName("[unknown]", "/lib/x86_64-linux-gnu/libc-2.27.so", false, kNoDemangle),
            "[libc-2.27.so]");
  EXPECT_EQ(PerfFrameName("[unknown]", "[kernel.kallsyms]", false, kNoDemangle), "[[kernel.kallsyms]]");
  EXPECT_EQ(PerfFrameName("[unknown]", "", false, kNoDemangle), "[unknown]");
  EXPECT_EQ(PerfFrameName("arrayOopDesc::base(BasicType) const", "/x/libjvm.so", false, kNoDemangle),
            "arrayOopDesc::base");
  EXPECT_EQ(PerfFrameName("(anonymous namespace)::spin_sort", "/w", false, kNoDemangle),
            "(anonymous namespace)::spin_sort");
  EXPECT_EQ(PerfFrameName("net/http.(*Client).Do", "/bin/app", false, kNoDemangle),
            "net/http.(*Client).Do");
  EXPECT_EQ(PerfFrameName("RegExp:[&<>\\\"\\']", "/tmp/perf-7539.map", false, kNoDemangle),
            "RegExp:[&<>\\\\]");
  EXPECT_EQ(PerfFrameName("Lorg/mozilla/Foo;.call(Lorg/mozilla/Bar;)V", "/tmp/perf-1.map", true,
                          kNoDemangle),
            "org/mozilla/Foo:.call");
  EXPECT_EQ(PerfFrameName("Lorg/mozilla/Foo;.call(Lorg/mozilla/Bar;)V", "/tmp/perf-1.map", false,
                          kNoDemangle),
            "Lorg/mozilla/Foo:.call");
  EXPECT_EQ(PerfFrameName("_Z4betav", "/w", false, kNoDemangle), "_Z4betav");
  EXPECT_EQ(PerfFrameName("_Z4betav", "/w", false, /*demangle=*/true), "beta");
  EXPECT_EQ(PerfFrameName("_RINvNtCse0yjq9ZQveU_3std2rt10lang_startuECs8K9WJNlS7Dz_5trace", "/w",
                          false, true),
            "std::rt::lang_start::<()>");
  EXPECT_EQ(PerfProcessFrameName("V8 WorkerThread"), "V8_WorkerThread");
}

}  // namespace
}  // namespace kiln
