#include "kiln/storage/stack_translator.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace kiln::storage {
namespace {

// A stack as the names of its frames, leaf first: what must survive translation.
std::string Names(const SymbolTable& symbols, const StackTraceTree& tree, StackId id) {
  std::vector<LocationId> frames;
  tree.Unwind(id, &frames);
  std::string out;
  for (LocationId loc : frames) {
    for (const Line& l : symbols.lines(loc)) out += std::string(symbols.FunctionName(l.function_id)) + ";";
  }
  return out;
}

TEST(StackTranslatorTest, BatchTranslationEqualsOneByOneAndAddsOnlyUsedNodes) {
  std::mt19937 rng(7);
  SymbolTable from_symbols;
  StackTraceTree from_stacks;
  std::vector<StackId> samples;
  for (int i = 0; i < 3000; ++i) {
    std::vector<LocationId> stack;
    const int depth = 1 + static_cast<int>(rng() % 20);
    for (int d = 0; d < depth; ++d) stack.push_back(from_symbols.InternFrame("f" + std::to_string(rng() % 40)));
    samples.push_back(from_stacks.InternRootFirst(stack));
  }
  // A branch no sample uses: a batch must not copy it into the destination.
  const LocationId unused_frame = from_symbols.InternFrame("never-sampled");
  const StackId unused = from_stacks.Intern(samples[0], unused_frame);
  ASSERT_NE(unused, 0u);

  // Destinations that already hold other stacks, as a dataset does.
  auto seed = [](SymbolTable* s, StackTraceTree* t) {
    const LocationId a = s->InternFrame("f3"), b = s->InternFrame("other");
    const LocationId ab[] = {a, b};
    t->InternRootFirst(ab);
  };
  SymbolTable batch_symbols, single_symbols;
  StackTraceTree batch_stacks, single_stacks;
  seed(&batch_symbols, &batch_stacks);
  seed(&single_symbols, &single_stacks);

  StackTranslator batch(from_symbols, from_stacks, &batch_symbols, &batch_stacks);
  std::vector<StackId> batched(samples.size());
  batch.Stacks(samples, batched);
  StackTranslator single(from_symbols, from_stacks, &single_symbols, &single_stacks);
  for (size_t i = 0; i < samples.size(); ++i) {
    const StackId one = single.Stack(samples[i]);
    ASSERT_EQ(Names(batch_symbols, batch_stacks, batched[i]), Names(from_symbols, from_stacks, samples[i])) << i;
    ASSERT_EQ(Names(single_symbols, single_stacks, one), Names(from_symbols, from_stacks, samples[i])) << i;
    // Again: the memo answers, and batch and single calls agree on it.
    ASSERT_EQ(batch.Stack(samples[i]), batched[i]);
  }
  EXPECT_EQ(batch_stacks.size(), single_stacks.size());
  EXPECT_EQ(batch_stacks.size(), from_stacks.size() - 1 + 2 - 1)  // all but the unused node, plus "other"; f3 shared
      << "the destination holds exactly the used nodes and its own";
  EXPECT_EQ(batch_symbols.strings().Find("never-sampled"), -1);
}

}  // namespace
}  // namespace kiln::storage
