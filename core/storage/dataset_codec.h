// The byte layout of a dataset's four sections (before zstd), described
// field by field in docs/formats/block.md:
//   symbols   strings, mappings, functions, lines, locations, stack tree
//   index     the series' label sets (own string table)
//   profiles  one row per profile, column by column (series, time, …, total)
//   samples   per row its (stack id, value, annotation) triples + span table
// Splitting them lets a query read only what it needs: series and label
// queries read the index, time series read index + profiles, flame graphs
// all four.
// Decoders validate every count and reference and fail with DataLoss naming
// the section and the item; they never trust the input.
#ifndef KILN_STORAGE_DATASET_CODEC_H_
#define KILN_STORAGE_DATASET_CODEC_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "kiln/storage/dataset.h"

namespace kiln::storage {

struct EncodedDataset {
  std::string symbols;
  std::string index;
  std::string profiles;
  std::string samples;
};

// Rows are written sorted by (series, time, id); |dataset| is not changed.
EncodedDataset EncodeDataset(const Dataset& dataset);

// Each fills its part of |out| (which must be fresh for DecodeSymbols).
absl::Status DecodeSymbols(std::string_view data, Dataset* out);
absl::Status DecodeIndex(std::string_view data, Dataset* out);
absl::Status DecodeProfiles(std::string_view data, Dataset* out);
// Needs the profiles decoded first (rows say which samples are theirs).
absl::Status DecodeSamples(std::string_view data, Dataset* out);

}  // namespace kiln::storage

#endif  // KILN_STORAGE_DATASET_CODEC_H_
