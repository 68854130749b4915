// A render list as a standalone SVG document: what the flame graph widget
// shows, as vectors (one <rect> per item with its colour, dimming and match
// outline, a <title> with the full name for hover in browsers, and the
// item's label as <text>). Written from the render list directly, so it
// needs no QtSvg and matches the screen item for item.
// Thread safety: pure function.
#ifndef KILN_VIEWER_QT_RENDER_LIST_SVG_H_
#define KILN_VIEWER_QT_RENDER_LIST_SVG_H_

#include <string>

#include "kiln/viewer/depth_layout.h"
#include "kiln/viewer/palette.h"
#include "kiln/viewer/render_list.h"

namespace kiln::viewer::qt {

struct SvgOptions {
  DiffPalette diff_palette = DiffPalette::kGreenRed;
  double font_size_px = 12;
  std::string title;  // the document's <title>, e.g. the file and sample type
};

std::string RenderListToSvg(const RenderList& list, const DepthLayout& layout, const SvgOptions& options);

}  // namespace kiln::viewer::qt

#endif  // KILN_VIEWER_QT_RENDER_LIST_SVG_H_
