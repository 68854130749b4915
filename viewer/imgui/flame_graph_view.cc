#include "viewer/imgui/flame_graph_view.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "fmt/format.h"
#include "kiln/viewer/hit_test.h"

namespace kiln::viewer::imgui {
namespace {

bool SameViewport(const Viewport& a, const Viewport& b) {
  return a.start == b.start && a.end == b.end && a.scroll_y == b.scroll_y && a.width_px == b.width_px &&
         a.height_px == b.height_px && a.row_height_px == b.row_height_px && a.orientation == b.orientation;
}

double Share(int64_t part, int64_t whole) {
  return whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

}  // namespace

FlameGraphView::FlameGraphView() { style_.background = IM_COL32(255, 255, 255, 255); }

void FlameGraphView::SetLayout(std::shared_ptr<const DepthLayout> layout) {
  layout_ = std::move(layout);
  search_.reset();
  history_.reset();
  dragging_ = false;
  hovered_ = nullptr;
  list_.Clear();
  if (layout_ != nullptr) {
    viewport_ = Viewport::Full(*layout_, viewport_.width_px, viewport_.height_px, viewport_.orientation,
                               viewport_.row_height_px);
    history_.emplace(*layout_);
  }
  dirty_ = true;
}

absl::Status FlameGraphView::SetSearch(const std::string& pattern, MatchMode mode) {
  if (layout_ == nullptr) return absl::OkStatus();
  if (pattern.empty()) {
    search_.reset();
  } else {
    SearchQuery query;
    query.pattern = pattern;
    query.mode = mode;
    absl::StatusOr<SearchResult> result = SearchResult::Run(*layout_, query);
    if (!result.ok()) return result.status();
    search_ = *std::move(result);
  }
  dirty_ = true;
  return absl::OkStatus();
}

void FlameGraphView::ApplyHistory() {
  history_->Apply(&viewport_);
  dirty_ = true;
}

void FlameGraphView::Reset() {
  if (layout_ == nullptr) return;
  history_->Reset();
  viewport_.scroll_y = 0;
  ApplyHistory();
}

void FlameGraphView::Back() {
  if (layout_ == nullptr) return;
  history_->Back();
  ApplyHistory();
}

void FlameGraphView::Forward() {
  if (layout_ == nullptr) return;
  history_->Forward();
  ApplyHistory();
}

void FlameGraphView::Focus(NodeId node) {
  if (layout_ == nullptr || node >= layout_->size()) return;
  history_->Focus(*layout_, node);
  ApplyHistory();
}

void FlameGraphView::SetOrientation(Orientation orientation) {
  viewport_.orientation = orientation;
  dirty_ = true;
}

void FlameGraphView::ClampScroll() {
  const double content = static_cast<double>(layout_->depth_count()) * viewport_.row_height_px;
  viewport_.scroll_y = std::clamp(viewport_.scroll_y, 0.0, std::max(0.0, content - viewport_.height_px));
}

void FlameGraphView::RebuildIfNeeded() {
  if (!dirty_ && SameViewport(viewport_, built_for_)) return;
  builder_.Build(*layout_, viewport_, options_, search(), &list_);
  built_for_ = viewport_;
  dirty_ = false;
}

void FlameGraphView::HandleInput() {
  const ImGuiIO& io = ImGui::GetIO();
  const bool pressed = ImGui::InvisibleButton("##flame_graph", ImVec2(static_cast<float>(viewport_.width_px),
                                                                     static_cast<float>(viewport_.height_px)));
  if (layout_ == nullptr) return;
  const bool item_hovered = ImGui::IsItemHovered();
  const double x = io.MousePos.x - origin_.x;
  const double y = io.MousePos.y - origin_.y;
  const int64_t total = std::max<int64_t>(layout_->total(), Viewport::kMinSpanTicks);

  if (item_hovered && io.MouseWheel != 0 && !dragging_) {
    if (io.KeyShift) {
      // Rows: wheel down moves away from the root.
      viewport_.scroll_y -= io.MouseWheel * 3 * viewport_.row_height_px;
      ClampScroll();
    } else {
      viewport_.ZoomAt(x, std::pow(kWheelZoomPerNotch, static_cast<double>(io.MouseWheel)), total);
      if (viewport_.end - viewport_.start > total) viewport_.ZoomTo(0, total);
      history_->Navigate({viewport_.start, viewport_.end, kNoNode});
    }
  }

  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
    if (!dragging_) {
      dragging_ = true;
      drag_origin_ = viewport_;
    }
    // From the drag's origin, so the content stays under the cursor.
    const ImVec2 delta = ImGui::GetMouseDragDelta(ImGuiMouseButton_Left, 0.0f);
    viewport_.start = drag_origin_.start;
    viewport_.end = drag_origin_.end;
    viewport_.PanBy(-delta.x, total);
    // Dragging towards the root's side reveals deeper rows.
    viewport_.scroll_y =
        drag_origin_.scroll_y + (viewport_.orientation == Orientation::kIcicle ? -delta.y : delta.y);
    ClampScroll();
  }

  if (pressed && !dragging_) {
    // A click: what the user saw is the list of the previous frame.
    if (const RenderItem* item = HitTest(list_, x, y)) {
      if (item->kind == RenderItemKind::kNode) {
        history_->Focus(*layout_, item->node);
      } else {
        history_->Navigate({item->start_tick, item->end_tick, kNoNode});
      }
      ApplyHistory();
    }
  }
  if (ImGui::IsItemDeactivated() && dragging_) {
    dragging_ = false;
    history_->Navigate({viewport_.start, viewport_.end, kNoNode});
  }
}

void FlameGraphView::Frame(ImVec2 size) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (size.x <= 0) size.x = avail.x;
  if (size.y <= 0) size.y = avail.y;
  size.x = std::max(size.x, 1.0f);
  size.y = std::max(size.y, 1.0f);
  origin_ = ImGui::GetCursorScreenPos();
  viewport_.width_px = size.x;
  viewport_.height_px = size.y;
  hovered_ = nullptr;

  // Labels get a character budget from the font's average advance.
  const ImFont* font = style_.font != nullptr ? style_.font : ImGui::GetFont();
  const float font_size = style_.font_size > 0 ? style_.font_size : ImGui::GetFontSize();
  const double advance = font->GetCharAdvance('x') * font_size / font->FontSize;
  if (advance > 0 && advance != options_.char_width_px) {
    options_.char_width_px = advance;
    dirty_ = true;
  }
  options_.label_padding_px = style_.label_padding_px;

  if (layout_ != nullptr) {
    ClampScroll();
    RebuildIfNeeded();  // the picture the input refers to
  }
  HandleInput();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  if (layout_ == nullptr) {
    draw->AddRectFilled(origin_, ImVec2(origin_.x + size.x, origin_.y + size.y), style_.background);
    draw->AddText(ImVec2(origin_.x + 10, origin_.y + 10), style_.label, "No profile: give a file on the command line or above.");
    return;
  }
  RebuildIfNeeded();
  PaintRenderList(list_, style_, origin_, draw);

  if (ImGui::IsItemHovered() && !dragging_) {
    const ImGuiIO& io = ImGui::GetIO();
    hovered_ = HitTest(list_, io.MousePos.x - origin_.x, io.MousePos.y - origin_.y);
    if (hovered_ != nullptr && tooltips_) Tooltip(*hovered_);
  }
}

void FlameGraphView::Tooltip(const RenderItem& item) const {
  const DepthLayout& l = *layout_;
  ImGui::BeginTooltip();
  if (item.kind == RenderItemKind::kFolded) {
    ImGui::TextUnformatted(fmt::format("{} functions folded", item.count).c_str());
    ImGui::TextUnformatted(fmt::format("total {} {} ({:.2f} %)", item.value, unit_, Share(item.value, l.total())).c_str());
  } else {
    const std::string_view name = l.name(item.node);
    ImGui::TextUnformatted(name.data(), name.data() + name.size());
    if (l.is_diff()) {
      const int64_t base = l.total(item.node, 0), next = l.total(item.node, 1);
      ImGui::TextUnformatted(fmt::format("base {} {} ({:.2f} %)", base, unit_, Share(base, l.side_total(0))).c_str());
      ImGui::TextUnformatted(fmt::format("new  {} {} ({:.2f} %)", next, unit_, Share(next, l.side_total(1))).c_str());
    } else {
      ImGui::TextUnformatted(
          fmt::format("total {} {} ({:.2f} %)", l.width(item.node), unit_, Share(l.width(item.node), l.total())).c_str());
      ImGui::TextUnformatted(
          fmt::format("self  {} {} ({:.2f} %)", l.self(item.node), unit_, Share(l.self(item.node), l.total())).c_str());
    }
  }
  ImGui::EndTooltip();
}

}  // namespace kiln::viewer::imgui
