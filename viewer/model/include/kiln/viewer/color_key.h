// What a painter needs to pick a rectangle's fill: a colour class and an
// index in that class's palette (Palette turns it into RGB). Few distinct
// keys per frame, so a painter can batch one vertex buffer per key.
#ifndef KILN_VIEWER_COLOR_KEY_H_
#define KILN_VIEWER_COLOR_KEY_H_

#include <cstdint>

namespace kiln::viewer {

inline constexpr int kPackagePaletteSize = 24;
// Diff buckets cover a relative change of -100 % .. +100 % in 10 % steps;
// bucket kDiffNeutralBucket is "no change" (or no data to compare).
inline constexpr int kDiffBuckets = 21;
inline constexpr int kDiffNeutralBucket = 10;

enum class ColorClass : uint8_t {
  kPackage,  // index: 0 .. kPackagePaletteSize - 1 (PackagePaletteIndex)
  kDiff,     // index: 0 .. kDiffBuckets - 1 (DiffBucket)
  kFolded,   // the grey of folded runs; index 0
};

struct ColorKey {
  ColorClass cls = ColorClass::kPackage;
  uint8_t index = 0;
  friend bool operator==(const ColorKey&, const ColorKey&) = default;
};

}  // namespace kiln::viewer

#endif  // KILN_VIEWER_COLOR_KEY_H_
