#include <gtest/gtest.h>

#include <set>

#include "kiln/viewer/color_key.h"
#include "kiln/viewer/diff_color.h"
#include "kiln/viewer/package_color.h"
#include "kiln/viewer/palette.h"

namespace kiln::viewer {
namespace {

TEST(PackageColorTest, PackageOfEachLanguage) {
  EXPECT_EQ(PackageOf("github.com/grafana/pyroscope/pkg/ingester.(*Ingester).Push"),
            "github.com/grafana/pyroscope/pkg/ingester");
  EXPECT_EQ(PackageOf("net/http.(*conn).serve"), "net/http");
  EXPECT_EQ(PackageOf("runtime.mallocgc"), "runtime");
  EXPECT_EQ(PackageOf("runtime.gcBgMarkWorker.func1"), "runtime");
  EXPECT_EQ(PackageOf("std::vector<int, std::allocator<int> >::push_back(int const&)"), "std");
  EXPECT_EQ(PackageOf("(anonymous namespace)::f(int)"), "(anonymous namespace)");
  EXPECT_EQ(PackageOf("java.util.HashMap.get"), "java.util");
  EXPECT_EQ(PackageOf("com.example.OrderService.placeOrder(java.lang.String)"), "com.example");
  EXPECT_EQ(PackageOf("Foo.bar"), "Foo");
  EXPECT_EQ(PackageOf("malloc"), "malloc");
  EXPECT_EQ(PackageOf("libc.so.6"), "libc");
  EXPECT_EQ(PackageOf(""), "");
}

TEST(PackageColorTest, StableAcrossFunctionsOfOnePackageAndPinned) {
  EXPECT_EQ(PackagePaletteIndex("runtime.mallocgc"), PackagePaletteIndex("runtime.gcBgMarkWorker"));
  EXPECT_EQ(PackagePaletteIndex("std::vector<int>::size()"), PackagePaletteIndex("std::map<int, int>::find(int)"));
  // FNV-1a 32 of the package modulo 24, computed independently (Python):
  // a change here recolours every user's graphs.
  EXPECT_EQ(PackagePaletteIndex("runtime.mallocgc"), 3);
  EXPECT_EQ(PackagePaletteIndex("std::sort()"), 2);
  EXPECT_EQ(PackagePaletteIndex("java.util.HashMap.get"), 13);
  EXPECT_EQ(PackagePaletteIndex("github.com/grafana/pyroscope/pkg/ingester.(*Ingester).Push"), 14);
  EXPECT_EQ(PackagePaletteIndex("malloc"), 5);
  // Different packages spread over the palette.
  std::set<int> seen;
  for (const char* p : {"runtime.a", "std::a", "java.util.A.b", "net/http.a", "malloc", "main.a", "sync.a",
                        "io.a", "os.a", "fmt.a", "bytes.a", "strings.a"}) {
    const int i = PackagePaletteIndex(p);
    EXPECT_LT(i, kPackagePaletteSize);
    seen.insert(i);
  }
  EXPECT_GE(seen.size(), 7u);
}

TEST(DiffColorTest, RelativeChangeOfShare) {
  EXPECT_NEAR(DiffChangePercent(10, 100, 15, 100), 50, 1e-9);
  EXPECT_NEAR(DiffChangePercent(10, 100, 5, 100), -50, 1e-9);
  EXPECT_NEAR(DiffChangePercent(10, 100, 30, 200), 50, 1e-9);  // shares, not raw values
  EXPECT_NEAR(DiffChangePercent(10, 100, 40, 100), 100, 1e-9);  // +300 % clamped
  EXPECT_NEAR(DiffChangePercent(0, 100, 5, 100), 100, 1e-9);    // new
  EXPECT_NEAR(DiffChangePercent(5, 100, 0, 100), -100, 1e-9);   // gone
  EXPECT_NEAR(DiffChangePercent(0, 100, 0, 100), 0, 1e-9);
  EXPECT_NEAR(DiffChangePercent(5, 0, 5, 100), 0, 1e-9);  // a side without data: neutral
  EXPECT_NEAR(DiffChangePercent(5, 100, 5, 0), 0, 1e-9);
}

TEST(DiffColorTest, Buckets) {
  EXPECT_EQ(DiffBucket(0), kDiffNeutralBucket);
  EXPECT_EQ(DiffBucket(4.9), kDiffNeutralBucket);
  EXPECT_EQ(DiffBucket(5.1), kDiffNeutralBucket + 1);
  EXPECT_EQ(DiffBucket(50), 15);
  EXPECT_EQ(DiffBucket(-50), 5);
  EXPECT_EQ(DiffBucket(100), kDiffBuckets - 1);
  EXPECT_EQ(DiffBucket(-100), 0);
  EXPECT_EQ(DiffBucket(1e9), kDiffBuckets - 1);
  EXPECT_EQ(DiffBucket(-1e9), 0);
}

TEST(PaletteTest, DiffScalesAndColourBlindOption) {
  const Rgb neutral = ColorOf({ColorClass::kDiff, kDiffNeutralBucket});
  const Rgb red = ColorOf({ColorClass::kDiff, kDiffBuckets - 1});
  const Rgb green = ColorOf({ColorClass::kDiff, 0});
  const Rgb blue = ColorOf({ColorClass::kDiff, 0}, DiffPalette::kColorBlind);
  EXPECT_EQ(neutral.r, neutral.g);
  EXPECT_GT(red.r, red.g);
  EXPECT_GT(green.g, green.r);
  EXPECT_GT(blue.b, blue.r);
  EXPECT_GT(blue.b, blue.g);
  // Increases are red in both palettes; only the decreases differ.
  EXPECT_EQ(red, ColorOf({ColorClass::kDiff, kDiffBuckets - 1}, DiffPalette::kColorBlind));
  EXPECT_NE(green, blue);
  // The scale moves monotonically away from neutral.
  for (int b = kDiffNeutralBucket + 1; b < kDiffBuckets; ++b) {
    EXPECT_GE(ColorOf({ColorClass::kDiff, static_cast<uint8_t>(b)}).r,
              ColorOf({ColorClass::kDiff, static_cast<uint8_t>(b - 1)}).r);
  }
  const Rgb grey = ColorOf({ColorClass::kFolded, 0});
  EXPECT_EQ(grey.r, grey.g);
  EXPECT_EQ(grey.g, grey.b);
  std::set<uint32_t> packages;
  for (int i = 0; i < kPackagePaletteSize; ++i) {
    const Rgb c = ColorOf({ColorClass::kPackage, static_cast<uint8_t>(i)});
    packages.insert(uint32_t{c.r} << 16 | uint32_t{c.g} << 8 | c.b);
  }
  EXPECT_EQ(packages.size(), static_cast<size_t>(kPackagePaletteSize));
}

}  // namespace
}  // namespace kiln::viewer
