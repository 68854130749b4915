#include "core/storage/high_word_sort.h"

#include <algorithm>
#include <random>

#include "gtest/gtest.h"

namespace kiln::storage {
namespace {

// Rows as the codec builds them: (stack << 32 | sample index), indexes ascending.
std::vector<uint64_t> Row(size_t n, uint32_t max_stack, std::mt19937& rng) {
  std::uniform_int_distribution<uint32_t> stack(0, max_stack);
  std::vector<uint64_t> keys(n);
  for (size_t j = 0; j < n; ++j) keys[j] = uint64_t{stack(rng)} << 32 | j;
  return keys;
}

TEST(HighWordSortTest, EqualsStdSortForEverySizeAndWidth) {
  std::mt19937 rng(7);
  std::vector<uint64_t> scratch;
  for (size_t n : {0, 1, 2, 63, 64, 65, 1000, 70000}) {
    for (uint32_t max_stack : {0u, 1u, 255u, 256u, 70000u, 0xffffffffu}) {
      std::vector<uint64_t> keys = Row(n, max_stack, rng);
      std::vector<uint64_t> expected = keys;
      std::sort(expected.begin(), expected.end());
      StableSortByHighWord(keys, max_stack, scratch);
      EXPECT_EQ(keys, expected) << "n=" << n << " max_stack=" << max_stack;
    }
  }
}

TEST(HighWordSortTest, KeepsInputOrderOfEqualHighWords) {
  // Low words descending: a plain sort would reverse them, a stable one must not.
  std::vector<uint64_t> keys;
  for (uint32_t j = 0; j < 300; ++j) keys.push_back(uint64_t{j % 3} << 32 | (1000 - j));
  std::vector<uint64_t> scratch;
  StableSortByHighWord(keys, 2, scratch);
  for (size_t i = 1; i < keys.size(); ++i) {
    ASSERT_LE(keys[i - 1] >> 32, keys[i] >> 32) << i;
    if (keys[i - 1] >> 32 == keys[i] >> 32) {
      ASSERT_GT(keys[i - 1] & 0xffffffff, keys[i] & 0xffffffff) << i;
    }
  }
}

}  // namespace
}  // namespace kiln::storage
