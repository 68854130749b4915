// A storage object: datasets, each as four zstd-compressed sections, then a
// BlockMeta footer (proto/kiln/storage/v1/block_meta.proto):
//
//   section* | BlockMeta | u32le meta_size | u32le crc32(meta) | "KILNBLK1"
//
// A reader fetches the 16-byte trailer and the footer, then only the
// sections a query needs, with range reads; every section carries a CRC-32
// that is verified before its bytes are used. docs/formats/block.md has the
// full layout.
#ifndef KILN_STORAGE_BLOCK_H_
#define KILN_STORAGE_BLOCK_H_

#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "kiln/storage/dataset.h"
#include "kiln/storage/object_store.h"
#include "kiln/storage/v1/block_meta.pb.h"

namespace kiln::storage {

inline constexpr uint32_t kBlockFormatVersion = 1;

// Which sections of a dataset to read.
enum DatasetSections : unsigned {
  kSectionIndex = 1,
  kSectionProfiles = 2,
  kSectionSamples = 4,
  kSectionSymbols = 8,
  kAllSections = 15,
};

// Encodes |datasets| into one object. |meta| comes in with id, key, shard,
// level, created_at, tenant and compacted_from set; its datasets, times and
// size are filled in.
std::string EncodeBlock(std::span<const Dataset* const> datasets, v1::BlockMeta* meta);

// Reads one object; the reader is cheap to keep while a query runs.
class BlockReader {
 public:
  // Opens the object of |size| bytes (as the metastore knows it; 0 when
  // unknown). Objects up to |whole_object_bytes| (or of unknown size) are
  // fetched in one request, larger ones footer first, then section by
  // section. |store| must outlive the reader.
  static absl::StatusOr<BlockReader> Open(ObjectStore* store, const std::string& key, uint64_t size = 0,
                                          uint64_t whole_object_bytes = 1 << 20);
  // A reader for an object whose footer the metastore already holds: no
  // request until a section is read.
  static BlockReader FromMeta(ObjectStore* store, const v1::BlockMeta& meta);
  // Decodes the footer of a complete object held in memory.
  static absl::StatusOr<v1::BlockMeta> ReadMeta(std::string_view object, const std::string& key);

  const v1::BlockMeta& meta() const { return meta_; }
  // Reads the chosen sections of dataset |index| (an index into
  // meta().datasets()); DataLoss names the object and section when a
  // checksum or decode fails.
  absl::StatusOr<Dataset> ReadDataset(int index, unsigned sections = kAllSections) const;

 private:
  BlockReader(ObjectStore* store, std::string key) : store_(store), key_(std::move(key)) {}
  absl::StatusOr<std::string> ReadSection(const v1::SectionRef& ref, std::string_view name,
                                          const v1::DatasetMeta& dataset) const;

  ObjectStore* store_;
  std::string key_;
  std::string whole_;  // the object, when fetched whole
  v1::BlockMeta meta_;
};

}  // namespace kiln::storage

#endif  // KILN_STORAGE_BLOCK_H_
