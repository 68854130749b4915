// Pyroscope's tree bytes (what SelectMergeStacktraces answers with format
// PROFILE_FORMAT_TREE) read back into a kiln::Profile, so a merged tree
// from `kiln server` goes through the viewer's usual pipeline (BuildView:
// flame graph, top table, sandwich).
//
// The format (server/daemon/tree_bytes_writer.h): nodes in pre-order from a
// virtual root, each `uvarint(len(name)) name uvarint(self) uvarint(children)`.
// Every node with a non-zero self becomes one sample whose stack is the
// path of names from the root's child down to it (the virtual root itself
// is not a frame), so the profile's total is the sum of the selves.
// Thread safety: a pure function.
#ifndef KILN_VIEWER_QT_TREE_BYTES_PROFILE_H_
#define KILN_VIEWER_QT_TREE_BYTES_PROFILE_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "kiln/model/profile.h"

namespace kiln::viewer::qt {

// InvalidArgument (with the byte offset) for a truncated or malformed tree,
// trailing bytes, or a value beyond int64.
absl::StatusOr<Profile> ProfileFromTreeBytes(std::string_view bytes, const ValueType& sample_type);

}  // namespace kiln::viewer::qt

#endif  // KILN_VIEWER_QT_TREE_BYTES_PROFILE_H_
