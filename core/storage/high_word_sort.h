// Sorting 64-bit keys by their high 32-bit word, stably: how a segment or
// block orders each row's samples by stack id (high word) while keeping
// their sample index (low word) as the tie-break. Rows hold thousands of
// samples and a flush sorts every row, so this is an LSD radix sort over
// only the bytes the largest high word uses: a few linear passes instead of
// std::sort's n log n compares (it was half of a flush's CPU).
#ifndef KILN_STORAGE_HIGH_WORD_SORT_H_
#define KILN_STORAGE_HIGH_WORD_SORT_H_

#include <cstdint>
#include <vector>

namespace kiln::storage {

// Sorts |keys| by (key >> 32); keys with equal high words keep their input
// order. |max_high| bounds every high word. |scratch| is reused between
// calls to avoid an allocation per row. When the low words ascend in the
// input (sample indexes), the result equals std::sort's.
void StableSortByHighWord(std::vector<uint64_t>& keys, uint32_t max_high, std::vector<uint64_t>& scratch);

}  // namespace kiln::storage

#endif  // KILN_STORAGE_HIGH_WORD_SORT_H_
