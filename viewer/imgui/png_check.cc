// Checks a kiln-viewer-imgui screenshot against its .txt description:
//   kiln_imgui_png_check OUT.png OUT.png.txt [--min-colors N] [--diff]
// - the PNG has the window's size;
// - the flame graph rectangle is mostly painted (not background) and has
//   at least N distinct colours (default 8);
// - every labelled bar of 60 px or more has text pixels (much darker than
//   the bar) inside it;
// - with --diff, the flame area has reddish and greenish bars.
// Exit 0 when all hold, 1 otherwise (each failure printed).
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <stb_image.h>

namespace {

int failures = 0;

void Fail(const std::string& what) {
  std::fprintf(stderr, "png_check: %s\n", what.c_str());
  ++failures;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fputs("usage: kiln_imgui_png_check OUT.png OUT.png.txt [--min-colors N] [--diff]\n", stderr);
    return 2;
  }
  int min_colors = 8;
  bool diff = false;
  for (int i = 3; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--min-colors" && i + 1 < argc) {
      min_colors = std::atoi(argv[++i]);
    } else if (a == "--diff") {
      diff = true;
    } else {
      std::fprintf(stderr, "unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  int w = 0, h = 0, channels = 0;
  unsigned char* px = stbi_load(argv[1], &w, &h, &channels, 4);
  if (px == nullptr) {
    std::fprintf(stderr, "png_check: cannot read %s\n", argv[1]);
    return 1;
  }
  auto at = [&](int x, int y) { return px + (static_cast<size_t>(y) * w + x) * 4; };

  std::ifstream desc(argv[2]);
  std::string line;
  int win_w = -1, win_h = -1, fx = 0, fy = 0, fw = 0, fh = 0, labels_checked = 0;
  while (std::getline(desc, line)) {
    std::istringstream in(line);
    std::string key;
    in >> key;
    if (key == "window") {
      in >> win_w >> win_h;
    } else if (key == "flame") {
      in >> fx >> fy >> fw >> fh;
    } else if (key == "label") {
      int x, y, lw, lh;
      in >> x >> y >> lw >> lh;
      if (lw < 60 || x < 0 || y < 0 || x + lw > w || y + lh > h) continue;
      // Text pixels: channel sum far below the bar's fill (sampled at its right end).
      const unsigned char* fill = at(x + lw - 2, y + lh / 2);
      const int fill_sum = fill[0] + fill[1] + fill[2];
      int dark = 0;
      for (int yy = y; yy < y + lh; ++yy) {
        for (int xx = x; xx < x + lw; ++xx) {
          const unsigned char* p = at(xx, yy);
          if (p[0] + p[1] + p[2] + 150 < fill_sum) ++dark;
        }
      }
      ++labels_checked;
      if (dark < 5) Fail("no text pixels in the labelled bar: " + line);
    }
  }
  if (win_w != w || win_h != h) {
    Fail("image is " + std::to_string(w) + "x" + std::to_string(h) + ", the window was " + std::to_string(win_w) +
         "x" + std::to_string(win_h));
  }
  if (fw <= 0 || fh <= 0 || fx + fw > w || fy + fh > h) {
    Fail("no flame graph rectangle inside the image");
  } else {
    std::set<unsigned> colours;
    long painted = 0, reddish = 0, greenish = 0;
    // The top rows of the flame area hold the root and its children (icicle).
    const int rows = std::min(fh, 200);
    for (int y = fy; y < fy + rows; ++y) {
      for (int x = fx; x < fx + fw; ++x) {
        const unsigned char* p = at(x, y);
        colours.insert(p[0] << 16 | p[1] << 8 | p[2]);
        if (!(p[0] == 255 && p[1] == 255 && p[2] == 255)) ++painted;
        if (p[0] > p[1] + 40 && p[0] > p[2] + 40) ++reddish;
        if (p[1] > p[0] + 30 && p[1] > p[2] + 10) ++greenish;
      }
    }
    std::printf("png_check: %dx%d, flame %dx%d at (%d,%d): %zu colours, %.1f %% painted, %d labels checked\n", w, h,
                fw, fh, fx, fy, colours.size(), 100.0 * painted / (static_cast<double>(fw) * rows), labels_checked);
    if (static_cast<int>(colours.size()) < min_colors) {
      Fail("only " + std::to_string(colours.size()) + " colours in the flame area");
    }
    if (painted < static_cast<long>(fw) * 20) Fail("the flame area is nearly empty");
    if (diff && (reddish == 0 || greenish == 0)) Fail("a diff needs red and green bars");
  }
  stbi_image_free(px);
  return failures == 0 ? 0 : 1;
}
