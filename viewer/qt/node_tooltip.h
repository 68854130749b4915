// The tooltip text of a flame graph item: name, total and self with units
// and percentages of the whole graph, the source location when the
// profile has one; for a diff both sides and the relative change of the
// share (the number the colour shows); for a folded run how many nodes it
// stands for. Plain text, one fact per line.
// Thread safety: pure function.
#ifndef KILN_VIEWER_QT_NODE_TOOLTIP_H_
#define KILN_VIEWER_QT_NODE_TOOLTIP_H_

#include <string>
#include <string_view>

#include "kiln/viewer/depth_layout.h"
#include "kiln/viewer/render_list.h"
#include "viewer/qt/source_index.h"

namespace kiln::viewer::qt {

// |unit| is the pprof unit of the values; |sources| may be null.
std::string NodeTooltip(const DepthLayout& layout, const RenderItem& item, std::string_view unit,
                        const SourceIndex* sources);

}  // namespace kiln::viewer::qt

#endif  // KILN_VIEWER_QT_NODE_TOOLTIP_H_
