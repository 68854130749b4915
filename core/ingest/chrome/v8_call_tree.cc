#include "core/ingest/chrome/v8_call_tree.h"

#include <deque>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "fmt/format.h"
#include "kiln/base/status_macros.h"

namespace kiln::chrome {
namespace {

constexpr std::string_view kRootName = "(root)";

int64_t OneBased(int64_t zero_based) { return zero_based >= 0 ? zero_based + 1 : 0; }

}  // namespace

absl::StatusOr<SourceFrame> ReadCallFrame(const Json& node, const JsonPath& path) {
  RETURN_IF_ERROR(ExpectObject(node, path));
  const Json* call_frame = FindField(node, "callFrame");
  const JsonPath frame_path = path.Field("callFrame");
  const JsonPath& where = call_frame != nullptr ? frame_path : path;
  const Json& object = call_frame != nullptr ? *call_frame : node;
  RETURN_IF_ERROR(ExpectObject(object, where));
  SourceFrame frame;
  ASSIGN_OR_RETURN(frame.name, OptionalStringField(object, "functionName", where));
  if (frame.name.empty()) frame.name = "(anonymous)";
  ASSIGN_OR_RETURN(frame.file, OptionalStringField(object, "url", where));
  ASSIGN_OR_RETURN(int64_t line, OptionalIntegerField(object, "lineNumber", where, -1));
  ASSIGN_OR_RETURN(int64_t column, OptionalIntegerField(object, "columnNumber", where, -1));
  frame.line = OneBased(line);
  frame.column = OneBased(column);
  // V8's call frame position is where the function starts: it tells apart
  // functions that share a name and a script, such as "(anonymous)".
  frame.function_line = frame.line;
  return frame;
}

absl::StatusOr<V8CallTree> V8CallTree::FromNodeArray(const Json& nodes, const JsonPath& path,
                                                     const NodeVisitor& visit) {
  RETURN_IF_ERROR(ExpectArray(nodes, path));
  V8CallTree tree;
  tree.nodes_.resize(nodes.size());
  tree.index_of_id_.reserve(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    const JsonPath node_path = path.Index(i);
    const Json& n = nodes[i];
    ASSIGN_OR_RETURN(tree.nodes_[i].frame, ReadCallFrame(n, node_path));
    ASSIGN_OR_RETURN(const Json* id_field, RequireField(n, "id", node_path));
    ASSIGN_OR_RETURN(tree.nodes_[i].id, ReadInteger(*id_field, node_path.Field("id")));
    auto [it, inserted] = tree.index_of_id_.try_emplace(tree.nodes_[i].id, i);
    if (!inserted) {
      return absl::InvalidArgumentError(fmt::format("{}: id {} is also the id of {}",
                                                    node_path.ToString(), tree.nodes_[i].id,
                                                    path.Index(it->second).ToString()));
    }
    if (visit) RETURN_IF_ERROR(visit(i, n, node_path));
  }
  // Links, once every id is known. A child may name its parent, a parent
  // its children, or both; they must agree.
  auto link = [&](size_t child, size_t parent, const JsonPath& where) -> absl::Status {
    size_t& p = tree.nodes_[child].parent;
    if (p != kNoParent && p != parent) {
      return absl::InvalidArgumentError(fmt::format(
          "{}: node id {} has two parents, ids {} and {}", where.ToString(),
          tree.nodes_[child].id, tree.nodes_[p].id, tree.nodes_[parent].id));
    }
    p = parent;
    return absl::OkStatus();
  };
  for (size_t i = 0; i < nodes.size(); ++i) {
    const JsonPath node_path = path.Index(i);
    const Json& n = nodes[i];
    if (const Json* parent = FindField(n, "parent"); parent != nullptr && !parent->is_null()) {
      const JsonPath parent_path = node_path.Field("parent");
      ASSIGN_OR_RETURN(int64_t parent_id, ReadInteger(*parent, parent_path));
      const std::optional<size_t> p = tree.Find(parent_id);
      if (!p) {
        return absl::InvalidArgumentError(
            fmt::format("{}: node id {} names parent id {}, which no node has",
                        parent_path.ToString(), tree.nodes_[i].id, parent_id));
      }
      RETURN_IF_ERROR(link(i, *p, parent_path));
    }
    const Json* children = FindField(n, "children");
    if (children == nullptr || children->is_null()) continue;
    const JsonPath children_path = node_path.Field("children");
    RETURN_IF_ERROR(ExpectArray(*children, children_path));
    for (size_t c = 0; c < children->size(); ++c) {
      const JsonPath child_path = children_path.Index(c);
      ASSIGN_OR_RETURN(int64_t child_id, ReadInteger((*children)[c], child_path));
      const std::optional<size_t> child = tree.Find(child_id);
      if (!child) {
        return absl::InvalidArgumentError(
            fmt::format("{}: node id {} names child id {}, which no node has",
                        child_path.ToString(), tree.nodes_[i].id, child_id));
      }
      RETURN_IF_ERROR(link(*child, i, child_path));
    }
  }
  RETURN_IF_ERROR(tree.CheckAcyclic(path));
  return tree;
}

absl::StatusOr<V8CallTree> V8CallTree::FromHeadTree(const Json& head, const JsonPath& path,
                                                    const NodeVisitor& visit) {
  V8CallTree tree;
  // Paths of pending nodes live in a deque: its elements never move, so a
  // child's path may point at its parent's.
  std::deque<JsonPath> paths;
  struct Pending {
    const Json* json;
    const JsonPath* path;
    size_t parent;
  };
  std::vector<Pending> pending = {{&head, &path, kNoParent}};
  while (!pending.empty()) {
    const Pending p = pending.back();
    pending.pop_back();
    const size_t index = tree.nodes_.size();
    Node node;
    ASSIGN_OR_RETURN(node.frame, ReadCallFrame(*p.json, *p.path));
    ASSIGN_OR_RETURN(node.id, OptionalIntegerField(*p.json, "id", *p.path,
                                                   -1 - static_cast<int64_t>(index)));
    node.parent = p.parent;
    auto [it, inserted] = tree.index_of_id_.try_emplace(node.id, index);
    if (!inserted) {
      return absl::InvalidArgumentError(fmt::format("{}: id {} is used by two nodes",
                                                    p.path->ToString(), node.id));
    }
    tree.nodes_.push_back(node);
    if (visit) RETURN_IF_ERROR(visit(index, *p.json, *p.path));
    const Json* children = FindField(*p.json, "children");
    if (children == nullptr || children->is_null()) continue;
    const JsonPath& children_path = paths.emplace_back(p.path->Field("children"));
    RETURN_IF_ERROR(ExpectArray(*children, children_path));
    // Pushed in reverse so children are visited (and numbered) in order.
    for (size_t c = children->size(); c-- > 0;) {
      const JsonPath& child_path = paths.emplace_back(children_path.Index(c));
      pending.push_back({&(*children)[c], &child_path, index});
    }
  }
  return tree;
}

std::optional<size_t> V8CallTree::Find(int64_t id) const {
  auto it = index_of_id_.find(id);
  if (it == index_of_id_.end()) return std::nullopt;
  return it->second;
}

absl::Status V8CallTree::CheckAcyclic(const JsonPath& path) const {
  enum : uint8_t { kNew, kOnWalk, kDone };
  std::vector<uint8_t> state(nodes_.size(), kNew);
  std::vector<size_t> walk;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    walk.clear();
    for (size_t j = i; j != kNoParent && state[j] != kDone; j = nodes_[j].parent) {
      if (state[j] == kOnWalk) {
        return absl::InvalidArgumentError(fmt::format(
            "{}: node id {} is its own ancestor (the parent links form a cycle)",
            path.Index(j).ToString(), nodes_[j].id));
      }
      state[j] = kOnWalk;
      walk.push_back(j);
    }
    for (size_t j : walk) state[j] = kDone;
  }
  return absl::OkStatus();
}

std::vector<StackId> V8CallTree::InternStacks(const ImportOptions& options, Profile* profile,
                                              std::vector<bool>* truncated) const {
  std::vector<StackId> stack(nodes_.size(), 0);
  std::vector<uint32_t> depth(nodes_.size(), 0);
  std::vector<bool> done(nodes_.size(), false);
  truncated->assign(nodes_.size(), false);
  std::vector<size_t> walk;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    // Climb to the nearest node whose stack is known (or a root), then
    // come back down: parents are resolved before their children.
    walk.clear();
    for (size_t j = i; j != kNoParent && !done[j]; j = nodes_[j].parent) walk.push_back(j);
    for (auto it = walk.rbegin(); it != walk.rend(); ++it) {
      const size_t n = *it;
      const size_t parent = nodes_[n].parent;
      const StackId parent_stack = parent == kNoParent ? 0 : stack[parent];
      const uint32_t parent_depth = parent == kNoParent ? 0 : depth[parent];
      done[n] = true;
      if (parent == kNoParent && nodes_[n].frame.name == kRootName) continue;  // stack 0
      // A truncated parent is at the depth limit, so its children are too.
      if (parent_depth >= options.max_stack_depth) {
        (*truncated)[n] = true;
        stack[n] = parent_stack;
        depth[n] = parent_depth;
      } else {
        stack[n] = profile->stacks.Intern(
            parent_stack, InternSourceFrame(nodes_[n].frame, options.max_name_length, profile));
        depth[n] = parent_depth + 1;
      }
    }
  }
  return stack;
}

StackId V8CallTree::RootStack(const ImportOptions& options, Profile* profile) {
  SourceFrame root;
  root.name = kRootName;
  return profile->stacks.Intern(0, InternSourceFrame(root, options.max_name_length, profile));
}

}  // namespace kiln::chrome
