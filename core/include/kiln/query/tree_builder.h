// Turns a Profile's samples of one sample type into a Tree of frame names.
// Inlined lines become frames of their own (innermost is the leaf-most).
#ifndef KILN_QUERY_TREE_BUILDER_H_
#define KILN_QUERY_TREE_BUILDER_H_

#include <string>

#include "kiln/model/profile.h"
#include "kiln/query/tree.h"

namespace kiln {

enum class FrameNaming {
  kFunction,          // "main.fib"
  kFunctionAndLine,   // "main.fib:42" (the line of the call site inside the function)
};

struct TreeOptions {
  FrameNaming naming = FrameNaming::kFunction;
};

// The frame name of a location line; unsymbolized locations are named by
// address ("0x4a3f10", with the mapping's file name when known).
std::string FrameName(const SymbolTable& symbols, const Line& line, FrameNaming naming);
std::string UnsymbolizedFrameName(const SymbolTable& symbols, const Location& location);

// Adds the samples of |type_index| into |tree| (which may hold other data).
void AddProfileToTree(const Profile& profile, size_t type_index, const TreeOptions& options,
                      Tree* tree);
Tree BuildTree(const Profile& profile, size_t type_index, const TreeOptions& options = {});

}  // namespace kiln

#endif  // KILN_QUERY_TREE_BUILDER_H_
