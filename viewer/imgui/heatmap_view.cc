#include "viewer/imgui/heatmap_view.h"

#include <algorithm>
#include <utility>

namespace kiln::viewer::imgui {

void HeatmapView::SetHeatmap(std::optional<Heatmap> heatmap) {
  heatmap_ = std::move(heatmap);
  brush_from_.reset();
  cells_ = {};
  selection_.clear();
}

bool HeatmapView::Frame(ImVec2 size) {
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##heatmap", size);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 end(origin.x + size.x, origin.y + size.y);
  draw->AddRectFilled(origin, end, IM_COL32(250, 250, 250, 255));
  if (!heatmap_ || heatmap_->time_buckets() == 0 || heatmap_->value_buckets() == 0) return false;
  const Heatmap& h = *heatmap_;
  const float cw = size.x / static_cast<float>(h.time_buckets());
  const float ch = size.y / static_cast<float>(h.value_buckets());
  // Value bucket 0 at the bottom.
  auto cell_rect = [&](uint32_t t, uint32_t v, ImVec2* a, ImVec2* b) {
    *a = ImVec2(origin.x + t * cw, end.y - (v + 1) * ch);
    *b = ImVec2(a->x + cw, a->y + ch);
  };
  const float max_count = static_cast<float>(std::max<uint32_t>(h.max_count(), 1));
  for (uint32_t t = 0; t < h.time_buckets(); ++t) {
    for (uint32_t v = 0; v < h.value_buckets(); ++v) {
      const uint32_t n = h.count(t, v);
      if (n == 0) continue;
      // Light to dark blue by count.
      const float f = 0.25f + 0.75f * static_cast<float>(n) / max_count;
      ImVec2 a, b;
      cell_rect(t, v, &a, &b);
      draw->AddRectFilled(a, b, IM_COL32(static_cast<int>(220 - 190 * f), static_cast<int>(230 - 150 * f), 255, 255));
    }
  }

  const ImGuiIO& io = ImGui::GetIO();
  auto cell_at = [&](ImVec2 p) {
    const float t = std::clamp((p.x - origin.x) / cw, 0.0f, static_cast<float>(h.time_buckets()) - 0.5f);
    const float v = std::clamp((end.y - p.y) / ch, 0.0f, static_cast<float>(h.value_buckets()) - 0.5f);
    return ImVec2(static_cast<float>(static_cast<uint32_t>(t)), static_cast<float>(static_cast<uint32_t>(v)));
  };
  bool finished = false;
  if (ImGui::IsItemActivated()) brush_from_ = cell_at(io.MousePos);
  if (brush_from_) {
    const ImVec2 to = cell_at(io.MousePos);
    cells_.t0 = static_cast<uint32_t>(std::min(brush_from_->x, to.x));
    cells_.t1 = static_cast<uint32_t>(std::max(brush_from_->x, to.x)) + 1;
    cells_.v0 = static_cast<uint32_t>(std::min(brush_from_->y, to.y));
    cells_.v1 = static_cast<uint32_t>(std::max(brush_from_->y, to.y)) + 1;
    if (!ImGui::IsItemActive()) {
      brush_from_.reset();
      selection_ = h.SelectCells(cells_.t0, cells_.t1, cells_.v0, cells_.v1);
      finished = true;
    }
  }
  if (cells_.t1 > cells_.t0) {
    ImVec2 a, b, c, d;
    cell_rect(cells_.t0, cells_.v1 - 1, &a, &b);
    cell_rect(cells_.t1 - 1, cells_.v0, &c, &d);
    draw->AddRect(a, d, IM_COL32(200, 40, 40, 255), 0.0f, 0, 2.0f);
  }
  return finished;
}

}  // namespace kiln::viewer::imgui
