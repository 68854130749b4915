#include "kiln/viewer/render_list.h"

#include "fmt/format.h"

namespace kiln::viewer {
namespace {

std::string ColorName(ColorKey key) {
  switch (key.cls) {
    case ColorClass::kPackage:
      return fmt::format("pkg:{}", key.index);
    case ColorClass::kDiff:
      return fmt::format("diff:{:+}", static_cast<int>(key.index) - kDiffNeutralBucket);
    case ColorClass::kFolded:
      return "grey";
  }
  return "?";
}

}  // namespace

void RenderList::Clear() {
  items.clear();
  rows.clear();
  labels.clear();
  width_px = 0;
  height_px = 0;
  nodes_examined = 0;
}

std::string PrintRenderList(const RenderList& list, const DepthLayout& layout, bool with_colors) {
  std::string out;
  for (const RenderRow& row : list.rows) {
    for (uint32_t i = row.begin; i < row.end; ++i) {
      const RenderItem& item = list.items[i];
      out += fmt::format("d{} x={:.1f} w={:.1f} y={:.1f} ", item.depth, item.x, item.w, item.y);
      if (item.kind == RenderItemKind::kFolded) {
        out += fmt::format("folded({}) value={}", item.count, item.value);
      } else {
        out += layout.name(item.node);
      }
      if (with_colors) {
        out += ' ';
        out += ColorName(item.color);
      }
      if (item.label_length > 0) out += fmt::format(" \"{}\"", list.label(item));
      if (item.emphasis == Emphasis::kMatch) out += " match";
      if (item.emphasis == Emphasis::kDimmed) out += " dim";
      out += '\n';
    }
  }
  return out;
}

}  // namespace kiln::viewer
