// kiln_png_check: reads a kiln-viewer screenshot and the description the
// viewer wrote beside it (<png>.txt: window size, the flame graph's and
// heatmap's rectangles, the labelled items of the render list) and checks
// that the picture has what the model says was drawn:
//  - the PNG's size is the window's, and not trivial;
//  - the flame graph area has at least --min-colors distinct fill colours
//    (each covering 40+ pixels, so antialiased text does not count) and
//    is mostly not background (bars drawn);
//  - every labelled bar at least --label-min-px wide (up to 40 of them)
//    is drawn at its top-left and has text pixels inside, clearly darker
//    than its fill (labels present), and at least --min-labels of them exist;
//  - with --diff-colors, both red (growth) and green or blue (shrinkage)
//    bars are present;
//  - with --heatmap, the heatmap area has at least 3 fill colours
//    (background, empty cells, filled cells).
// Prints what it measured; exits 1 on the first failed check.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <QGuiApplication>
#include <QImage>

namespace {

struct Rect {
  int x = 0, y = 0, w = 0, h = 0;
  bool valid = false;
};

struct Label {
  double x, y, w, h;
  std::string text;
};

int Fail(const std::string& what) {
  std::fprintf(stderr, "FAIL: %s\n", what.c_str());
  return 1;
}

int Luma(QRgb c) { return (qRed(c) * 299 + qGreen(c) * 587 + qBlue(c) * 114) / 1000; }

}  // namespace

int main(int argc, char** argv) {
  QGuiApplication app(argc, argv);
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: kiln_png_check IMAGE.png IMAGE.png.txt [--min-colors N] [--min-labels N] "
                 "[--label-min-px N] [--diff-colors] [--heatmap]\n");
    return 2;
  }
  const std::string png = argv[1], txt = argv[2];
  int min_colors = 8, min_labels = 3;
  double label_min_px = 60;
  bool diff_colors = false, heatmap = false;
  for (int i = 3; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--min-colors" && i + 1 < argc) min_colors = std::atoi(argv[++i]);
    else if (a == "--min-labels" && i + 1 < argc) min_labels = std::atoi(argv[++i]);
    else if (a == "--label-min-px" && i + 1 < argc) label_min_px = std::atof(argv[++i]);
    else if (a == "--diff-colors") diff_colors = true;
    else if (a == "--heatmap") heatmap = true;
    else return Fail("unknown argument " + a);
  }

  const QImage image(QString::fromStdString(png));
  if (image.isNull()) return Fail(png + ": not a readable image");
  std::ifstream in(txt);
  if (!in) return Fail(txt + ": missing (the viewer writes it beside the PNG)");
  int window_w = 0, window_h = 0;
  Rect flame, heat;
  std::vector<Label> labels;
  for (std::string line; std::getline(in, line);) {
    std::istringstream s(line);
    std::string key;
    s >> key;
    if (key == "window") {
      s >> window_w >> window_h;
    } else if (key == "flame_graph") {
      s >> flame.x >> flame.y >> flame.w >> flame.h;
      flame.valid = true;
    } else if (key == "heatmap") {
      s >> heat.x >> heat.y >> heat.w >> heat.h;
      heat.valid = true;
    } else if (key == "label") {
      Label l;
      s >> l.x >> l.y >> l.w >> l.h;
      std::getline(s >> std::ws, l.text);
      labels.push_back(l);
    } else if (key == "render_list") {
      break;
    }
  }
  std::printf("%s: %dx%d\n", png.c_str(), image.width(), image.height());
  if (image.width() != window_w || image.height() != window_h) {
    return Fail("image size differs from the window size in " + txt);
  }
  if (image.width() < 640 || image.height() < 400) return Fail("image is too small");
  if (!flame.valid || flame.w < 100 || flame.h < 100) return Fail("no flame graph rectangle in " + txt);

  const QImage area = image.copy(flame.x, flame.y, flame.w, flame.h).convertToFormat(QImage::Format_RGB32);
  std::map<QRgb, long> pixels_of;
  long background = 0, reddish = 0, coolish = 0;
  for (int y = 0; y < area.height(); ++y) {
    for (int x = 0; x < area.width(); ++x) {
      const QRgb c = area.pixel(x, y) & 0xffffff;
      ++pixels_of[c];
      if (c == 0xffffff) ++background;
      const int r = qRed(c), g = qGreen(c), b = qBlue(c);
      if (r > g + 60 && r > b + 60) ++reddish;
      if (g > r + 50 || b > r + 50) ++coolish;
    }
  }
  // Fill colours: those covering at least kFillPixels pixels (bars), not
  // the blends of antialiased text.
  constexpr long kFillPixels = 40;
  std::set<QRgb> colors;
  for (const auto& [c, n] : pixels_of) {
    if (n >= kFillPixels) colors.insert(c);
  }
  const double drawn = 1.0 - static_cast<double>(background) / (area.width() * area.height());
  std::printf("flame graph %dx%d at (%d,%d): %zu fill colours, %.1f%% drawn, %ld reddish, %ld green/blue px\n",
              flame.w, flame.h, flame.x, flame.y, colors.size(), drawn * 100, reddish, coolish);
  if (static_cast<int>(colors.size()) < min_colors) return Fail("too few colours in the flame graph area");
  if (drawn < 0.05) return Fail("the flame graph area is almost empty");
  if (diff_colors && (reddish < 50 || coolish < 50)) return Fail("no red and green/blue diff bars");

  int checked = 0, with_text = 0;
  for (const Label& l : labels) {
    if (l.w < label_min_px || checked >= 40) continue;
    ++checked;
    const int x0 = flame.x + static_cast<int>(l.x + 0.999), y0 = flame.y + static_cast<int>(l.y + 0.999);
    const QRgb corner = image.pixel(x0 + 1, y0 + 1) & 0xffffff;
    if (corner == 0xffffff) return Fail("labelled bar '" + l.text + "' is not drawn (background at its corner)");
    // Text pixels: clearly darker than the bar's fill (its most common
    // colour), inside the 2-pixel match outline. Works for dimmed bars too.
    const int x1 = x0 + static_cast<int>(l.w) - 3, y1 = y0 + static_cast<int>(l.h) - 3;
    std::map<QRgb, int> histogram;
    for (int y = y0 + 2; y < y1; ++y) {
      for (int x = x0 + 2; x < x1; ++x) ++histogram[image.pixel(x, y) & 0xffffff];
    }
    QRgb fill = 0;
    int best = -1;
    for (const auto& [color, n] : histogram) {
      if (n > best) best = n, fill = color;
    }
    int dark = 0;
    for (int y = y0 + 2; y < y1; ++y) {
      for (int x = x0 + 2; x < x1; ++x) dark += Luma(image.pixel(x, y)) <= Luma(fill) - 50 ? 1 : 0;
    }
    if (dark > 0) ++with_text;
    else std::printf("  no text pixels in the bar of '%s'\n", l.text.c_str());
  }
  std::printf("labels: %zu in the render list, %d checked, %d with text pixels\n", labels.size(), checked,
              with_text);
  if (with_text < min_labels) return Fail("too few labels painted");
  if (with_text < checked) return Fail("a labelled bar has no text pixels");

  if (heatmap) {
    if (!heat.valid) return Fail("no heatmap rectangle in " + txt);
    std::map<QRgb, long> cell_pixels;
    const QImage h = image.copy(heat.x, heat.y, heat.w, heat.h).convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < h.height(); ++y) {
      for (int x = 0; x < h.width(); ++x) ++cell_pixels[h.pixel(x, y) & 0xffffff];
    }
    // Background, empty cells and at least one shade of filled cells.
    size_t cells = 0;
    for (const auto& [c, n] : cell_pixels) cells += n >= kFillPixels ? 1 : 0;
    std::printf("heatmap %dx%d: %zu fill colours\n", heat.w, heat.h, cells);
    if (cells < 3) return Fail("the heatmap has no cells");
  }
  std::printf("OK\n");
  return 0;
}
