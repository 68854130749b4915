// V8's call tree, as CPU and heap profiles carry it: nodes with an id, a
// call frame {functionName, url, lineNumber, columnNumber, scriptId} and a
// parent, either as a flat "nodes" array linked by ids (the DevTools
// protocol's Profile, Chrome >= 60 / Node >= 8) or as a nested "head" tree
// (Chrome < 60 CPU profiles, v8-profiler dumps, heap sampling profiles).
//
// Frames: an empty functionName is "(anonymous)"; lineNumber and
// columnNumber are 0-based in V8 and become 1-based lines and columns
// (negative, i.e. unknown, becomes 0). Call frames may also sit directly on
// the node (old dumps have no "callFrame" object).
//
// Invariants of a built tree:
//  1. Every parent index is < size() or kNoParent; following parents from
//     any node ends at a root (no cycles).
//  2. Node ids are distinct.
#ifndef KILN_CORE_INGEST_CHROME_V8_CALL_TREE_H_
#define KILN_CORE_INGEST_CHROME_V8_CALL_TREE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "core/ingest/json/json_document.h"
#include "core/ingest/json/source_frame.h"
#include "kiln/ingest/importer.h"
#include "kiln/model/profile.h"

namespace kiln::chrome {

class V8CallTree {
 public:
  static constexpr size_t kNoParent = static_cast<size_t>(-1);

  struct Node {
    int64_t id = 0;
    SourceFrame frame;  // views into the JSON document, which must outlive the tree
    size_t parent = kNoParent;
  };

  // Called once per node with its index, its JSON object and path, so the
  // caller can read fields of its own (hitCount, selfSize).
  using NodeVisitor = std::function<absl::Status(size_t index, const Json& node,
                                                 const JsonPath& path)>;

  // |nodes| (at |path|) is the flat array. Parents come from each node's
  // "children" ids and/or its "parent" id. Errors name the node: an id that
  // is missing, duplicated or unknown, a node with two parents, a cycle.
  static absl::StatusOr<V8CallTree> FromNodeArray(const Json& nodes, const JsonPath& path,
                                                  const NodeVisitor& visit);
  // |head| (at |path|) is the root of a nested tree whose nodes hold their
  // children as objects. Ids are optional here (heap profiles need none);
  // a node without one gets -1 - its index. Walked with an explicit stack,
  // so depth is not limited by the C++ stack.
  static absl::StatusOr<V8CallTree> FromHeadTree(const Json& head, const JsonPath& path,
                                                 const NodeVisitor& visit);

  size_t size() const { return nodes_.size(); }
  const Node& node(size_t index) const { return nodes_[index]; }
  // The index of the node with |id|, or nullopt.
  std::optional<size_t> Find(int64_t id) const;

  // The stack of every node in |profile|, root first. V8's synthetic root
  // frame "(root)" is left out of stacks, so the root itself gets stack 0;
  // use RootStack() for samples taken there. Stacks deeper than
  // options.max_stack_depth keep their root-most frames; |truncated| (one
  // flag per node) tells which were cut.
  std::vector<StackId> InternStacks(const ImportOptions& options, Profile* profile,
                                    std::vector<bool>* truncated) const;
  // A stack of the one frame "(root)", for samples on the root node.
  static StackId RootStack(const ImportOptions& options, Profile* profile);

 private:
  // Parent links set, ids indexed: checks invariant 1.
  absl::Status CheckAcyclic(const JsonPath& path) const;

  std::vector<Node> nodes_;
  absl::flat_hash_map<int64_t, size_t> index_of_id_;
};

// The call frame of |node| (at |path|): its "callFrame" object, or the node
// itself when it has none.
absl::StatusOr<SourceFrame> ReadCallFrame(const Json& node, const JsonPath& path);

}  // namespace kiln::chrome

#endif  // KILN_CORE_INGEST_CHROME_V8_CALL_TREE_H_
