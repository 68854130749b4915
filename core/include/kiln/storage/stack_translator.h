// Copies stacks (and the symbols they use) from one symbol table and stack
// tree into another, interning each symbol once: how a profile's symbols
// enter a dataset at ingest, and how datasets merge at compaction. Results
// are cached per source id, so translating a million samples that share
// stacks costs one lookup each.
// Lifetime: the source and destination must outlive the translator, and the
// destination may only be changed through translators while one is in use.
#ifndef KILN_STORAGE_STACK_TRANSLATOR_H_
#define KILN_STORAGE_STACK_TRANSLATOR_H_

#include <span>
#include <vector>

#include "kiln/symbols/stack_trace_tree.h"
#include "kiln/symbols/symbol_table.h"

namespace kiln::storage {

class StackTranslator {
 public:
  StackTranslator(const SymbolTable& from_symbols, const StackTraceTree& from_stacks,
                  SymbolTable* to_symbols, StackTraceTree* to_stacks);

  StackId Stack(StackId id);
  // Translates a batch: to[i] = Stack(from[i]). One pass over the source
  // tree in id order (parents first) instead of a walk per stack, which
  // also visits the destination in about the order it was built; for whole
  // profiles and datasets, which share most of their frames, it is cheaper.
  void Stacks(std::span<const StackId> from, std::span<StackId> to);
  LocationId Location(LocationId id);

 private:
  StringId String(StringId id);
  FunctionId Function(FunctionId id);
  MappingId Mapping(MappingId id);

  const SymbolTable& from_symbols_;
  const StackTraceTree& from_stacks_;
  SymbolTable* to_symbols_;
  StackTraceTree* to_stacks_;
  static constexpr uint32_t kUnset = 0xffffffffu;
  // In stacks_ during Stacks(): to be translated in this batch. Destination
  // trees never reach 2^32 - 2 nodes (StackTraceTree caps ids below 2^31).
  static constexpr uint32_t kNeeded = 0xfffffffeu;
  std::vector<uint32_t> strings_, functions_, mappings_, locations_, stacks_;
  std::vector<StackId> pending_;
  std::vector<Line> lines_;
};

}  // namespace kiln::storage

#endif  // KILN_STORAGE_STACK_TRANSLATOR_H_
