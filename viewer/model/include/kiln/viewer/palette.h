// RGB for colour keys: a 24-entry warm palette for packages (flame-graph
// reds, oranges and yellows, distinguishable side by side), the grey of
// folded runs, and two diff scales over the kDiffBuckets buckets: green ->
// grey -> red, or for colour-blind users blue -> grey -> red (blue/red stay
// apart under protanopia and deuteranopia, unlike green/red).
// Dimmed items (search non-matches) are the same colour at kDimmedAlpha.
// Thread safety: pure functions over constant tables.
#ifndef KILN_VIEWER_PALETTE_H_
#define KILN_VIEWER_PALETTE_H_

#include <cstdint>

#include "kiln/viewer/color_key.h"

namespace kiln::viewer {

struct Rgb {
  uint8_t r = 0, g = 0, b = 0;
  friend bool operator==(const Rgb&, const Rgb&) = default;
};

enum class DiffPalette : uint8_t { kGreenRed, kColorBlind };

inline constexpr uint8_t kDimmedAlpha = 80;  // of 255

Rgb ColorOf(ColorKey key, DiffPalette diff_palette = DiffPalette::kGreenRed);

}  // namespace kiln::viewer

#endif  // KILN_VIEWER_PALETTE_H_
