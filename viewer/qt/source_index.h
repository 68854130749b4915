// Where a flame graph frame comes from: frame name -> "file:line", built
// from the symbol tables of the profiles a view was made of, for tooltips.
// A frame named "fn:42" (FrameNaming::kFunctionAndLine) resolves to fn's
// file at line 42; a plain "fn" to fn's file at the function's start line
// (or the file alone when the start line is unknown). Formats that carry
// no file names (collapsed stacks, most perf output) give "".
// Thread safety: immutable once built.
#ifndef KILN_VIEWER_QT_SOURCE_INDEX_H_
#define KILN_VIEWER_QT_SOURCE_INDEX_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "kiln/model/profile.h"

namespace kiln::viewer::qt {

class SourceIndex {
 public:
  // Adds every function of |profile| that has a file name; a name already
  // present keeps its first location.
  void Add(const Profile& profile);

  // "path/file.go:42", or "" when unknown.
  std::string Lookup(std::string_view frame_name) const;
  size_t size() const { return files_.size(); }

 private:
  struct Source {
    std::string file;
    int64_t start_line = 0;
  };
  absl::flat_hash_map<std::string, Source> files_;
};

}  // namespace kiln::viewer::qt

#endif  // KILN_VIEWER_QT_SOURCE_INDEX_H_
