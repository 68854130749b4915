// Pixel -> what is drawn there, read from the render list of the frame the
// user sees, so a hit always agrees with the picture (folded runs hit as
// one item, dropped nodes and gaps hit nothing). One row lookup and one
// binary search.
// Thread safety: pure function.
#ifndef KILN_VIEWER_HIT_TEST_H_
#define KILN_VIEWER_HIT_TEST_H_

#include "kiln/viewer/render_list.h"

namespace kiln::viewer {

// The item containing (x, y) (x in [item.x, item.x + item.w), y in its
// row), or nullptr. The pointer is into |list| and valid until it changes.
const RenderItem* HitTest(const RenderList& list, double x, double y);

}  // namespace kiln::viewer

#endif  // KILN_VIEWER_HIT_TEST_H_
