#include "kiln/viewer/depth_layout.h"

#include <algorithm>
#include <atomic>

#include "kiln/query/flame_graph_layout.h"
#include "kiln/viewer/package_color.h"

namespace kiln::viewer {
namespace {

std::atomic<uint64_t> next_layout_id{1};

template <typename T>
size_t CapacityBytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

}  // namespace

DepthLayout::DepthLayout() : id_(next_layout_id.fetch_add(1, std::memory_order_relaxed)) {
  levels_.resize(1);
  Level& root = levels_[0];
  root.start.push_back(0);
  root.width.push_back(0);
  root.node.push_back(kRootNode);
  root.prefix = {0, 0};
  depth_ = {0};
  parent_ = {kNoNode};
  index_in_level_ = {0};
  name_ = {0};
  self_ = {0};
  names_ = {"total"};
  package_color_ = {PackagePaletteIndex("total")};
}

DepthLayout DepthLayout::Build(const Tree& tree) {
  // max_nodes 0: no truncation into "other"; the viewer shows every node.
  return FromCore(LayoutFlameGraph(tree, /*max_nodes=*/0));
}

DepthLayout DepthLayout::BuildDiff(const Tree& base, const Tree& next) {
  return FromCore(LayoutFlameGraphDiff(base, next, /*max_nodes=*/0));
}

DepthLayout DepthLayout::FromCore(const ::kiln::FlameGraphLayout& core) {
  DepthLayout out;
  if (core.nodes.empty()) return out;
  out.is_diff_ = core.sides == 2;
  const size_t n = core.nodes.size();
  uint32_t max_level = 0;
  for (const auto& node : core.nodes) max_level = std::max(max_level, node.level);
  std::vector<size_t> per_level(max_level + 1, 0);
  for (const auto& node : core.nodes) ++per_level[node.level];

  out.levels_.assign(max_level + 1, Level{});
  for (uint32_t d = 0; d <= max_level; ++d) {
    Level& level = out.levels_[d];
    level.start.reserve(per_level[d]);
    level.width.reserve(per_level[d]);
    level.node.reserve(per_level[d]);
    level.prefix.reserve(per_level[d] + 1);
    level.prefix.push_back(0);
  }
  out.depth_.resize(n);
  out.parent_.resize(n);
  out.index_in_level_.resize(n);
  out.name_.resize(n);
  out.self_.resize(n);
  if (out.is_diff_) {
    out.base_total_.resize(n);
    out.base_self_.resize(n);
  }
  // Pre-order: a node's parent is the last node seen one level up, and the
  // nodes of one level arrive left to right.
  std::vector<NodeId> last_at_level(max_level + 1, kNoNode);
  for (NodeId id = 0; id < n; ++id) {
    const auto& c = core.nodes[id];
    const int64_t start = c.x[0] + c.x[1];
    const int64_t width = c.total[0] + c.total[1];
    Level& level = out.levels_[c.level];
    out.depth_[id] = c.level;
    out.parent_[id] = c.level == 0 ? kNoNode : last_at_level[c.level - 1];
    out.index_in_level_[id] = static_cast<uint32_t>(level.node.size());
    out.name_[id] = c.name;
    out.self_[id] = c.self[0] + c.self[1];
    if (out.is_diff_) {
      out.base_total_[id] = c.total[0];
      out.base_self_[id] = c.self[0];
    }
    level.start.push_back(start);
    level.width.push_back(width);
    level.node.push_back(id);
    level.prefix.push_back(level.prefix.back() + width);
    last_at_level[c.level] = id;
  }
  out.names_ = core.names;
  out.package_color_.resize(out.names_.size());
  for (size_t i = 0; i < out.names_.size(); ++i) {
    out.package_color_[i] = PackagePaletteIndex(out.names_[i]);
  }
  return out;
}

int64_t DepthLayout::total(NodeId n, int side) const {
  if (!is_diff_) return side == 0 ? width(n) : 0;
  return side == 0 ? base_total_[n] : width(n) - base_total_[n];
}

int64_t DepthLayout::self(NodeId n, int side) const {
  if (!is_diff_) return side == 0 ? self_[n] : 0;
  return side == 0 ? base_self_[n] : self_[n] - base_self_[n];
}

NodeId DepthLayout::NodeAt(size_t depth, int64_t tick) const {
  if (depth >= levels_.size()) return kNoNode;
  const Level& level = levels_[depth];
  // The last node starting at or before |tick|.
  auto it = std::upper_bound(level.start.begin(), level.start.end(), tick);
  if (it == level.start.begin()) return kNoNode;
  const size_t i = static_cast<size_t>(it - level.start.begin()) - 1;
  return tick < level.end(i) ? level.node[i] : kNoNode;
}

size_t DepthLayout::MemoryBytes() const {
  size_t bytes = sizeof(*this) + CapacityBytes(levels_);
  for (const Level& level : levels_) {
    bytes += CapacityBytes(level.start) + CapacityBytes(level.width) + CapacityBytes(level.node) +
             CapacityBytes(level.prefix);
  }
  bytes += CapacityBytes(depth_) + CapacityBytes(parent_) + CapacityBytes(index_in_level_) +
           CapacityBytes(name_) + CapacityBytes(self_) + CapacityBytes(base_total_) +
           CapacityBytes(base_self_) + CapacityBytes(names_) + CapacityBytes(package_color_);
  for (const std::string& s : names_) {
    if (s.capacity() > 15) bytes += s.capacity() + 1;  // beyond libstdc++'s inline buffer
  }
  return bytes;
}

}  // namespace kiln::viewer
