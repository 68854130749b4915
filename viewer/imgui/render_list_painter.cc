#include "viewer/imgui/render_list_painter.h"

namespace kiln::viewer::imgui {

ImU32 FillColorOf(const RenderItem& item, DiffPalette diff_palette) {
  const Rgb rgb = ColorOf(item.color, diff_palette);
  const int alpha = item.emphasis == Emphasis::kDimmed ? kDimmedAlpha : 255;
  return IM_COL32(rgb.r, rgb.g, rgb.b, alpha);
}

void PaintRenderList(const RenderList& list, const PaintStyle& style, ImVec2 origin, ImDrawList* draw) {
  const ImVec2 clip_max(origin.x + list.width_px, origin.y + list.height_px);
  draw->PushClipRect(origin, clip_max, /*intersect_with_current_clip_rect=*/true);
  if (style.background != 0) draw->AddRectFilled(origin, clip_max, style.background);

  const ImFont* font = style.font != nullptr ? style.font : ImGui::GetFont();
  const float font_size = style.font_size > 0 ? style.font_size : ImGui::GetFontSize();
  const ImU32 dimmed_label = (style.label & ~IM_COL32_A_MASK) | (ImU32{kDimmedAlpha} << IM_COL32_A_SHIFT);
  for (const RenderItem& item : list.items) {
    const ImVec2 a(origin.x + item.x, origin.y + item.y);
    const ImVec2 b(a.x + item.w, a.y + item.h);
    draw->AddRectFilled(a, b, FillColorOf(item, style.diff_palette));
    if (item.emphasis == Emphasis::kMatch && item.w >= 4) {
      // Four 2-pixel strips rather than AddRect: exact pixels, and quads only.
      draw->AddRectFilled(a, ImVec2(b.x, a.y + 2), style.match_outline);
      draw->AddRectFilled(ImVec2(a.x, b.y - 2), b, style.match_outline);
      draw->AddRectFilled(a, ImVec2(a.x + 2, b.y), style.match_outline);
      draw->AddRectFilled(ImVec2(b.x - 2, a.y), b, style.match_outline);
    }
    if (item.label_length == 0) continue;
    const std::string_view label = list.label(item);
    const ImVec4 clip(a.x + style.label_padding_px, a.y, b.x - style.label_padding_px, b.y);
    const ImVec2 pos(clip.x, a.y + (item.h - font_size) * 0.5f);
    draw->AddText(font, font_size, pos, item.emphasis == Emphasis::kDimmed ? dimmed_label : style.label,
                  label.data(), label.data() + label.size(), 0.0f, &clip);
  }
  draw->PopClipRect();
}

}  // namespace kiln::viewer::imgui
