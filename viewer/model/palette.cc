#include "kiln/viewer/palette.h"

#include <algorithm>

namespace kiln::viewer {
namespace {

// Warm flame-graph hues spread so neighbours in the table differ in both
// hue and lightness (packages hash to arbitrary entries).
constexpr Rgb kPackageColors[kPackagePaletteSize] = {
    {0xE5, 0x6B, 0x3B}, {0xF2, 0xB1, 0x3D}, {0xC9, 0x4A, 0x2E}, {0xF7, 0xD0, 0x5C},
    {0xD9, 0x80, 0x2B}, {0xB8, 0x3A, 0x3A}, {0xEE, 0x94, 0x5A}, {0xE3, 0xC0, 0x7A},
    {0xCC, 0x5C, 0x5C}, {0xF0, 0x9E, 0x2E}, {0xA9, 0x52, 0x2A}, {0xFA, 0xC2, 0x6E},
    {0xDD, 0x6F, 0x6F}, {0xE8, 0xA8, 0x4E}, {0xBF, 0x60, 0x30}, {0xF4, 0xB9, 0x8A},
    {0xD4, 0x4F, 0x45}, {0xEB, 0xCB, 0x42}, {0xC7, 0x78, 0x3A}, {0xF1, 0x87, 0x6A},
    {0xB5, 0x6E, 0x4B}, {0xF6, 0xA5, 0x6A}, {0xD8, 0x92, 0x6C}, {0xE0, 0x58, 0x2F},
};

constexpr Rgb kFoldedGrey = {0xA8, 0xA8, 0xA8};
constexpr Rgb kNeutral = {0xB0, 0xB0, 0xB0};
constexpr Rgb kRed = {0xD7, 0x30, 0x27};
constexpr Rgb kGreen = {0x1A, 0x98, 0x50};
constexpr Rgb kBlue = {0x21, 0x66, 0xAC};

Rgb Mix(Rgb a, Rgb b, double t) {
  auto lerp = [t](uint8_t x, uint8_t y) {
    return static_cast<uint8_t>(static_cast<double>(x) + (static_cast<double>(y) - x) * t + 0.5);
  };
  return {lerp(a.r, b.r), lerp(a.g, b.g), lerp(a.b, b.b)};
}

}  // namespace

Rgb ColorOf(ColorKey key, DiffPalette diff_palette) {
  switch (key.cls) {
    case ColorClass::kPackage:
      return kPackageColors[key.index % kPackagePaletteSize];
    case ColorClass::kFolded:
      return kFoldedGrey;
    case ColorClass::kDiff: {
      const int bucket = std::min<int>(key.index, kDiffBuckets - 1);
      const int steps = kDiffNeutralBucket;  // buckets from neutral to either end
      if (bucket == kDiffNeutralBucket) return kNeutral;
      if (bucket > kDiffNeutralBucket) {
        return Mix(kNeutral, kRed, static_cast<double>(bucket - kDiffNeutralBucket) / steps);
      }
      const Rgb cool = diff_palette == DiffPalette::kColorBlind ? kBlue : kGreen;
      return Mix(kNeutral, cool, static_cast<double>(kDiffNeutralBucket - bucket) / steps);
    }
  }
  return kNeutral;
}

}  // namespace kiln::viewer
