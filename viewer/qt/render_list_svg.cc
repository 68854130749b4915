#include "viewer/qt/render_list_svg.h"

#include <algorithm>

#include "fmt/format.h"

namespace kiln::viewer::qt {
namespace {

void AppendEscaped(std::string_view text, std::string* out) {
  for (char c : text) {
    switch (c) {
      case '&': *out += "&amp;"; break;
      case '<': *out += "&lt;"; break;
      case '>': *out += "&gt;"; break;
      case '"': *out += "&quot;"; break;
      default: *out += c;
    }
  }
}

}  // namespace

std::string RenderListToSvg(const RenderList& list, const DepthLayout& layout, const SvgOptions& options) {
  std::string out = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"DejaVu Sans, Verdana, sans-serif\" font-size=\"{2}\">\n",
      list.width_px, list.height_px, options.font_size_px);
  out += "<title>";
  AppendEscaped(options.title, &out);
  out += "</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  for (const RenderItem& item : list.items) {
    const Rgb c = ColorOf(item.color, options.diff_palette);
    out += fmt::format("<g><rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" fill=\"#{:02x}{:02x}{:02x}\"",
                       item.x, item.y, item.w, std::max(0.0f, item.h - 1), c.r, c.g, c.b);
    if (item.emphasis == Emphasis::kDimmed) out += fmt::format(" fill-opacity=\"{:.3f}\"", kDimmedAlpha / 255.0);
    if (item.emphasis == Emphasis::kMatch) out += " stroke=\"#1f3a93\" stroke-width=\"2\"";
    out += "><title>";
    if (item.kind == RenderItemKind::kFolded) {
      out += fmt::format("{} functions too small to display", item.count);
    } else {
      AppendEscaped(layout.name(item.node), &out);
    }
    out += "</title></rect>";
    if (item.label_length > 0) {
      out += fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" dominant-baseline=\"central\">", item.x + 3,
                         item.y + (item.h - 1) / 2);
      AppendEscaped(list.label(item), &out);
      out += "</text>";
    }
    out += "</g>\n";
  }
  out += "</svg>\n";
  return out;
}

}  // namespace kiln::viewer::qt
