#include "kiln/query/tree_bytes.h"

#include <limits>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "fmt/format.h"
#include "kiln/query/flame_graph_layout.h"

namespace kiln {
namespace {

void PutUvarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// Reads the bytes front to back; every error names its offset.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}

  size_t offset() const { return pos_; }
  bool done() const { return pos_ == bytes_.size(); }

  absl::StatusOr<uint64_t> Uvarint(const char* what) {
    const size_t start = pos_;
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= bytes_.size()) {
        return absl::InvalidArgumentError(fmt::format("tree bytes: at offset {}: {} is truncated", start, what));
      }
      const auto byte = static_cast<uint8_t>(bytes_[pos_++]);
      if (shift == 63 && byte > 1) break;
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    return absl::InvalidArgumentError(
        fmt::format("tree bytes: at offset {}: {} is a varint longer than 64 bits", start, what));
  }

  absl::StatusOr<std::string_view> Bytes(uint64_t n) {
    if (n > bytes_.size() - pos_) {
      return absl::InvalidArgumentError(fmt::format(
          "tree bytes: at offset {}: a name of {} bytes runs past the end ({} bytes left)", pos_, n,
          bytes_.size() - pos_));
    }
    std::string_view out = bytes_.substr(pos_, n);
    pos_ += n;
    return out;
  }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

void PutNode(std::string* out, std::string_view name, int64_t self, size_t children) {
  PutUvarint(out, name.size());
  out->append(name);
  PutUvarint(out, static_cast<uint64_t>(self));
  PutUvarint(out, children);
}

// A node to write: a tree node, or the synthetic "other" of a parent.
struct Item {
  Tree::NodeId node = Tree::kNone;  // kNone: a synthetic "other"
  int64_t extra_self = 0;           // truncated siblings' totals added to the self
};

}  // namespace

std::string WriteTreeBytes(const Tree& tree, int64_t max_nodes) {
  std::string out;
  if (tree.total() == 0 && tree.node(Tree::kRoot).first_child == Tree::kNone) return out;
  const int64_t min_value = MinNodeValue(tree, max_nodes);
  // Explicit stack (deep recursion must not overflow the thread's stack);
  // children are pushed in reverse so they come out in name order.
  std::vector<Item> stack{{Tree::kRoot, 0}};
  std::vector<Tree::NodeId> kept;
  while (!stack.empty()) {
    const Item item = stack.back();
    stack.pop_back();
    if (item.node == Tree::kNone) {
      PutNode(&out, "other", item.extra_self, 0);
      continue;
    }
    kept.clear();
    int64_t other = 0;
    Tree::NodeId real_other = Tree::kNone;
    for (Tree::NodeId c : tree.SortedChildren(item.node)) {
      const Tree::Node& n = tree.node(c);
      if (tree.name(c) == "other") {
        real_other = c;
      } else if (n.total >= min_value) {
        kept.push_back(c);
      } else {
        other += n.total;
      }
    }
    const Tree::Node& node = tree.node(item.node);
    const std::string_view name = item.node == Tree::kRoot ? std::string_view() : tree.name(item.node);
    // A real child named "other" absorbs the truncated siblings into its
    // self, as Pyroscope's insert-by-name does.
    const bool synthetic_other = other > 0 && real_other == Tree::kNone;
    const size_t children = kept.size() + (real_other != Tree::kNone || synthetic_other ? 1 : 0);
    PutNode(&out, name, item.node == Tree::kRoot ? 0 : node.self + item.extra_self, children);
    if (real_other != Tree::kNone) {
      stack.push_back({real_other, other});
    } else if (synthetic_other) {
      stack.push_back({Tree::kNone, other});
    }
    for (auto it = kept.rbegin(); it != kept.rend(); ++it) stack.push_back({*it, 0});
  }
  return out;
}


absl::StatusOr<Tree> ReadTreeBytes(std::string_view bytes) {
  Tree tree;
  if (bytes.empty()) return tree;  // nothing selected
  Reader reader(bytes);
  // Open nodes: each one's tree node and how many of its children are still
  // to come. The virtual root is the tree's root.
  struct Open {
    Tree::NodeId node;
    uint64_t children_left;
  };
  std::vector<Open> open;
  int64_t total = 0;
  bool root = true;
  while (root || !open.empty()) {
    const size_t node_offset = reader.offset();
    auto name_len = reader.Uvarint("a name length");
    if (!name_len.ok()) return name_len.status();
    auto name = reader.Bytes(*name_len);
    if (!name.ok()) return name.status();
    auto self = reader.Uvarint("a self value");
    if (!self.ok()) return self.status();
    auto children = reader.Uvarint("a child count");
    if (!children.ok()) return children.status();
    if (*self > static_cast<uint64_t>(std::numeric_limits<int64_t>::max() - total)) {
      return absl::InvalidArgumentError(
          fmt::format("tree bytes: at offset {}: the selves add up past int64", node_offset));
    }
    if (*children > bytes.size()) {  // every child takes at least 3 bytes
      return absl::InvalidArgumentError(fmt::format("tree bytes: at offset {}: {} children cannot fit in {} bytes",
                                                    node_offset, *children, bytes.size()));
    }
    Tree::NodeId node = Tree::kRoot;
    if (root) {
      // The virtual root is not a frame; a self on it (which Pyroscope never
      // writes) counts as the root's own.
      root = false;
    } else {
      Open& parent = open.back();
      --parent.children_left;
      node = tree.Child(parent.node, *name);
    }
    if (*self > 0) {
      tree.AddSelf(node, static_cast<int64_t>(*self));
      total += static_cast<int64_t>(*self);
    }
    open.push_back({node, *children});
    while (!open.empty() && open.back().children_left == 0) open.pop_back();
  }
  if (!reader.done()) {
    return absl::InvalidArgumentError(
        fmt::format("tree bytes: at offset {}: bytes after the end of the tree", reader.offset()));
  }
  return tree;
}

}  // namespace kiln
