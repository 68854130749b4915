#include "kiln/viewer/hit_test.h"

#include <algorithm>

namespace kiln::viewer {

const RenderItem* HitTest(const RenderList& list, double x, double y) {
  for (const RenderRow& row : list.rows) {  // a screen holds a few dozen rows
    if (!(y >= row.y && y < row.y + row.h)) continue;
    const RenderItem* begin = list.items.data() + row.begin;
    const RenderItem* end = list.items.data() + row.end;
    // The last item starting at or before x.
    const RenderItem* it =
        std::upper_bound(begin, end, x, [](double px, const RenderItem& item) { return px < item.x; });
    if (it == begin) return nullptr;
    --it;
    return x < static_cast<double>(it->x) + it->w ? it : nullptr;
  }
  return nullptr;
}

}  // namespace kiln::viewer
