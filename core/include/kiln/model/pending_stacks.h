// Stacks a decoder has read but not yet interned. The storage engine asks
// for them to be interned straight into a dataset's symbol table and stack
// tree: interning them into the profile's own tables first and translating
// those into the dataset's afterwards interns every stack twice, which was
// a third of ingest's CPU on large profiles.
#ifndef KILN_MODEL_PENDING_STACKS_H_
#define KILN_MODEL_PENDING_STACKS_H_

#include <span>

#include "kiln/symbols/stack_trace_tree.h"
#include "kiln/symbols/symbol_table.h"

namespace kiln {

class PendingStacks {
 public:
  virtual ~PendingStacks() = default;
  // Interns the stacks of the profile's samples, and the symbols they use,
  // into |symbols| and |stacks|; out[i] is sample i's stack (|out| has one
  // entry per sample). Cannot fail: decoding checked everything. Call once.
  virtual void InternInto(SymbolTable& symbols, StackTraceTree& stacks, std::span<StackId> out) = 0;
};

}  // namespace kiln

#endif  // KILN_MODEL_PENDING_STACKS_H_
