#include "viewer/qt/tree_bytes_profile.h"

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "absl/status/status.h"
#include "fmt/format.h"

namespace kiln::viewer::qt {
namespace {

// Reads the tree's bytes front to back; every error names its offset.
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
        return absl::InvalidArgumentError(
            fmt::format("tree bytes: at offset {}: {} is truncated", start, what));
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

}  // namespace

absl::StatusOr<Profile> ProfileFromTreeBytes(std::string_view bytes, const ValueType& sample_type) {
  Profile profile;
  profile.sample_types.push_back(sample_type);
  if (bytes.empty()) return profile;  // nothing selected

  Reader reader(bytes);
  // Open nodes: the stack id of each and how many of its children are
  // still to come. The virtual root is the root sentinel (node 0).
  struct Open {
    StackId stack;
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
      return absl::InvalidArgumentError(fmt::format(
          "tree bytes: at offset {}: {} children cannot fit in {} bytes", node_offset, *children, bytes.size()));
    }
    StackId stack = 0;
    if (root) {
      root = false;
      // The virtual root carries no frame; a self on it (which the server
      // never writes) would be a sample with an empty stack.
    } else {
      Open& parent = open.back();
      --parent.children_left;
      stack = profile.stacks.Intern(parent.stack, profile.symbols.InternFrame(*name));
    }
    if (*self > 0) {
      const std::array<int64_t, 1> value = {static_cast<int64_t>(*self)};
      profile.AddSample(stack, value);
      total += static_cast<int64_t>(*self);
    }
    open.push_back({stack, *children});
    while (!open.empty() && open.back().children_left == 0) open.pop_back();
  }
  if (!reader.done()) {
    return absl::InvalidArgumentError(
        fmt::format("tree bytes: at offset {}: bytes after the end of the tree", reader.offset()));
  }
  return profile;
}

}  // namespace kiln::viewer::qt
