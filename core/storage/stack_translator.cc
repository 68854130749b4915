#include "kiln/storage/stack_translator.h"

namespace kiln::storage {

StackTranslator::StackTranslator(const SymbolTable& from_symbols, const StackTraceTree& from_stacks,
                                 SymbolTable* to_symbols, StackTraceTree* to_stacks)
    : from_symbols_(from_symbols),
      from_stacks_(from_stacks),
      to_symbols_(to_symbols),
      to_stacks_(to_stacks),
      strings_(from_symbols.strings().size(), kUnset),
      functions_(from_symbols.num_functions(), kUnset),
      mappings_(from_symbols.num_mappings(), kUnset),
      locations_(from_symbols.num_locations(), kUnset),
      stacks_(from_stacks.size(), kUnset) {
  // The null entries map onto each other.
  if (!strings_.empty()) strings_[0] = 0;
  functions_[0] = mappings_[0] = locations_[0] = stacks_[0] = 0;
}

StringId StackTranslator::String(StringId id) {
  uint32_t& to = strings_[id];
  if (to == kUnset) to = to_symbols_->InternString(from_symbols_.String(id));
  return to;
}

FunctionId StackTranslator::Function(FunctionId id) {
  uint32_t& to = functions_[id];
  if (to == kUnset) {
    kiln::Function f = from_symbols_.function(id);
    f.name = String(f.name);
    f.system_name = String(f.system_name);
    f.filename = String(f.filename);
    to = to_symbols_->InternFunction(f);
  }
  return to;
}

MappingId StackTranslator::Mapping(MappingId id) {
  uint32_t& to = mappings_[id];
  if (to == kUnset) {
    kiln::Mapping m = from_symbols_.mapping(id);
    m.filename = String(m.filename);
    m.build_id = String(m.build_id);
    to = to_symbols_->InternMapping(m);
  }
  return to;
}

LocationId StackTranslator::Location(LocationId id) {
  if (locations_[id] != kUnset) return locations_[id];
  const kiln::Location& loc = from_symbols_.location(id);
  const std::span<const Line> from_lines = from_symbols_.lines(id);
  lines_.resize(from_lines.size());
  for (size_t i = 0; i < from_lines.size(); ++i) {
    lines_[i] = {Function(from_lines[i].function_id), from_lines[i].line, from_lines[i].column};
  }
  const LocationId to = to_symbols_->InternLocation(Mapping(loc.mapping_id), loc.address, lines_, loc.is_folded);
  locations_[id] = to;
  return to;
}

StackId StackTranslator::Stack(StackId id) {
  if (stacks_[id] != kUnset) return stacks_[id];
  // Walk up to the nearest translated ancestor, then intern downwards:
  // parents have smaller ids, so the walk ends at the root at the latest.
  pending_.clear();
  StackId node = id;
  while (stacks_[node] == kUnset) {
    pending_.push_back(node);
    node = from_stacks_.node(node).parent;
  }
  StackId to = stacks_[node];
  for (auto it = pending_.rbegin(); it != pending_.rend(); ++it) {
    to = to_stacks_->Intern(to, Location(from_stacks_.node(*it).location));
    stacks_[*it] = to;
  }
  return to;
}

void StackTranslator::Stacks(std::span<const StackId> from, std::span<StackId> to) {
  // Mark the nodes the batch needs and has not translated yet (its stacks
  // and their ancestors) as kNeeded in stacks_ itself, then translate them in
  // id order: a node's parent is always done before it.
  for (StackId s : from) {
    if (stacks_[s] == kUnset) stacks_[s] = kNeeded;
  }
  for (size_t id = stacks_.size(); id-- > 1;) {
    if (stacks_[id] != kNeeded) continue;
    uint32_t& parent = stacks_[from_stacks_.node(static_cast<StackId>(id)).parent];
    if (parent == kUnset) parent = kNeeded;
  }
  for (size_t id = 1; id < stacks_.size(); ++id) {
    if (stacks_[id] != kNeeded) continue;
    const StackTraceTree::Node& n = from_stacks_.node(static_cast<StackId>(id));
    stacks_[id] = to_stacks_->Intern(stacks_[n.parent], Location(n.location));
  }
  for (size_t i = 0; i < from.size(); ++i) to[i] = stacks_[from[i]];
}

}  // namespace kiln::storage
