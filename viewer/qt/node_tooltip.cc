#include "viewer/qt/node_tooltip.h"

#include "fmt/format.h"
#include "kiln/query/value_format.h"

namespace kiln::viewer::qt {
namespace {

double Percent(int64_t value, int64_t total) {
  return total == 0 ? 0.0 : 100.0 * static_cast<double>(value) / static_cast<double>(total);
}

std::string ValueAndShare(int64_t value, int64_t total, std::string_view unit) {
  return fmt::format("{} ({:.2f}%)", FormatValue(value, unit), Percent(value, total));
}

}  // namespace

std::string NodeTooltip(const DepthLayout& layout, const RenderItem& item, std::string_view unit,
                        const SourceIndex* sources) {
  if (item.kind == RenderItemKind::kFolded) {
    return fmt::format("{} functions too small to display\nTotal: {}", item.count,
                       ValueAndShare(item.value, layout.total(), unit));
  }
  const NodeId n = item.node;
  std::string text(layout.name(n));
  if (!layout.is_diff()) {
    text += fmt::format("\nTotal: {}", ValueAndShare(layout.width(n), layout.total(), unit));
    text += fmt::format("\nSelf: {}", ValueAndShare(layout.self(n), layout.total(), unit));
  } else {
    const int64_t base_total = layout.side_total(0), new_total = layout.side_total(1);
    text += fmt::format("\nBase: total {}, self {}", ValueAndShare(layout.total(n, 0), base_total, unit),
                        FormatValue(layout.self(n, 0), unit));
    text += fmt::format("\nNew: total {}, self {}", ValueAndShare(layout.total(n, 1), new_total, unit),
                        FormatValue(layout.self(n, 1), unit));
    const int64_t before = layout.total(n, 0), after = layout.total(n, 1);
    if (base_total == 0 || new_total == 0) {
      text += "\nChange: not comparable (one side is empty)";
    } else if (before == 0) {
      text += "\nChange: only in the new profile";
    } else if (after == 0) {
      text += "\nChange: only in the base profile";
    } else {
      // Unclamped here; the colour scale stops at ±100 % (DiffChangePercent).
      const double share_before = Percent(before, base_total), share_after = Percent(after, new_total);
      text += fmt::format("\nChange of share: {:+.1f}% ({:.2f}% → {:.2f}% of the total)",
                          (share_after - share_before) / share_before * 100.0, share_before, share_after);
    }
  }
  if (sources != nullptr && n != kRootNode) {
    std::string where = sources->Lookup(layout.name(n));
    if (!where.empty()) text += "\n" + where;
  }
  return text;
}

}  // namespace kiln::viewer::qt
