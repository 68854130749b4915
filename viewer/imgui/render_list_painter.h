// Paints one frame of a flame graph - a model RenderList - into an ImGui
// ImDrawList. Needs an ImGui context (for the font atlas's white pixel and
// the font) but no window and no GL: tests call it between NewFrame and
// Render and read the vertices back from ImGui::GetDrawData().
//
// What it emits, in this order (tests rely on it):
//  1. one filled rectangle for the background, when style.background != 0;
//  2. per item, in render-list order: one filled rectangle (the bar, the
//     palette colour of its key, at kDimmedAlpha when dimmed), then for a
//     search match at least 4 px wide four 2-px filled strips (the outline),
//     then the label's glyphs, clipped to the bar minus its padding.
// Every rectangle is AddRectFilled without rounding (4 vertices, 6 indices),
// so the painter makes no layout decisions: positions are the render
// list's, offset by |origin|.
// Thread safety: ImGui's; call on the thread that owns the context.
#ifndef KILN_VIEWER_IMGUI_RENDER_LIST_PAINTER_H_
#define KILN_VIEWER_IMGUI_RENDER_LIST_PAINTER_H_

#include <cstdint>

#include <imgui.h>

#include "kiln/viewer/palette.h"
#include "kiln/viewer/render_list.h"

namespace kiln::viewer::imgui {

struct PaintStyle {
  ImU32 background = IM_COL32(255, 255, 255, 255);  // 0: none
  ImU32 label = IM_COL32(26, 26, 26, 255);
  ImU32 match_outline = IM_COL32(0x1f, 0x3a, 0x93, 255);
  float label_padding_px = 3;  // RenderOptions::label_padding_px
  DiffPalette diff_palette = DiffPalette::kGreenRed;
  const ImFont* font = nullptr;  // nullptr: ImGui::GetFont()
  float font_size = 0;           // 0: ImGui::GetFontSize()
};

// The fill of |item|: its key's palette colour, at kDimmedAlpha when dimmed.
ImU32 FillColorOf(const RenderItem& item, DiffPalette diff_palette);

// Paints |list| with its (0, 0) at |origin|, clipped to the list's size.
void PaintRenderList(const RenderList& list, const PaintStyle& style, ImVec2 origin, ImDrawList* draw);

}  // namespace kiln::viewer::imgui

#endif  // KILN_VIEWER_IMGUI_RENDER_LIST_PAINTER_H_
