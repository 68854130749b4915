// A heatmap of profiles (model Heatmap) painted with ImDrawList inside the
// current ImGui window: one filled rectangle per non-empty cell, darker for
// more profiles; a drag over cells selects them (outlined), and the app
// merges the selected cells' profiles (Heatmap::SelectCells, exact ids).
// Thread safety: UI thread only.
#ifndef KILN_VIEWER_IMGUI_HEATMAP_VIEW_H_
#define KILN_VIEWER_IMGUI_HEATMAP_VIEW_H_

#include <cstdint>
#include <optional>
#include <vector>

#include <imgui.h>

#include "kiln/viewer/heatmap.h"

namespace kiln::viewer::imgui {

class HeatmapView {
 public:
  void SetHeatmap(std::optional<Heatmap> heatmap);
  const Heatmap* heatmap() const { return heatmap_ ? &*heatmap_ : nullptr; }

  // Paints at the window's cursor, |size| pixels, and handles the brush.
  // Returns true in the frame a selection is finished (mouse released).
  bool Frame(ImVec2 size);

  // Selected profile ids (sorted, unique), of the last finished selection.
  const std::vector<uint64_t>& selection() const { return selection_; }
  // Cells [t0, t1) x [v0, v1) of the last selection; empty when none.
  struct CellRange {
    uint32_t t0 = 0, t1 = 0, v0 = 0, v1 = 0;
  };
  const CellRange& selected_cells() const { return cells_; }

 private:
  std::optional<Heatmap> heatmap_;
  std::optional<ImVec2> brush_from_;  // cell coordinates where the drag began
  CellRange cells_;
  std::vector<uint64_t> selection_;
};

}  // namespace kiln::viewer::imgui

#endif  // KILN_VIEWER_IMGUI_HEATMAP_VIEW_H_
