#include "kiln/storage/block.h"

#include <libdeflate.h>
#include <zstd.h>

#include <algorithm>
#include <limits>
#include <set>

#include "absl/strings/str_cat.h"
#include "core/storage/dataset_codec.h"

namespace kiln::storage {
namespace {

constexpr std::string_view kMagic = "KILNBLK1";
constexpr size_t kTrailerSize = 4 + 4 + 8;
constexpr int kZstdLevel = 3;
// Sections decompress into memory; a footer claiming more is corrupt.
constexpr uint64_t kMaxSectionRawBytes = uint64_t{4} << 30;

uint32_t Crc32(std::string_view data) {
  return libdeflate_crc32(0, data.data(), data.size());
}

void PutFixed32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

uint32_t GetFixed32(std::string_view s) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<uint8_t>(s[i])) << (8 * i);
  return v;
}

void AppendSection(const std::string& raw, std::string* object, v1::SectionRef* ref) {
  const size_t bound = ZSTD_compressBound(raw.size());
  const size_t offset = object->size();
  object->resize(offset + bound);
  const size_t n = ZSTD_compress(object->data() + offset, bound, raw.data(), raw.size(), kZstdLevel);
  // Compression into a buffer of compressBound bytes cannot fail.
  object->resize(offset + (ZSTD_isError(n) ? 0 : n));
  ref->set_offset(offset);
  ref->set_length(object->size() - offset);
  ref->set_raw_length(raw.size());
  ref->set_crc32(Crc32(std::string_view(*object).substr(offset)));
}

}  // namespace

std::string EncodeBlock(std::span<const Dataset* const> datasets, v1::BlockMeta* meta) {
  std::string object;
  meta->set_format_version(kBlockFormatVersion);
  meta->clear_datasets();
  int64_t min_time = std::numeric_limits<int64_t>::max(), max_time = std::numeric_limits<int64_t>::min();
  for (const Dataset* dataset : datasets) {
    if (dataset->profiles.empty()) continue;
    v1::DatasetMeta* dm = meta->add_datasets();
    dm->set_tenant(dataset->tenant);
    dm->set_service(dataset->service);
    dm->set_min_time_nanos(dataset->MinTime());
    dm->set_max_time_nanos(dataset->MaxTime());
    min_time = std::min(min_time, dm->min_time_nanos());
    max_time = std::max(max_time, dm->max_time_nanos());
    std::set<std::string> types;
    for (const LabelSet& series : dataset->series) types.insert(std::string(series.Get("__profile_type__")));
    types.erase("");
    for (const std::string& t : types) dm->add_profile_types(t);
    dm->set_num_series(dataset->series.size());
    dm->set_num_profiles(dataset->profiles.size());
    dm->set_num_samples(dataset->sample_stacks.size());
    const EncodedDataset encoded = EncodeDataset(*dataset);
    AppendSection(encoded.index, &object, dm->mutable_index());
    AppendSection(encoded.profiles, &object, dm->mutable_profiles());
    AppendSection(encoded.samples, &object, dm->mutable_samples());
    AppendSection(encoded.symbols, &object, dm->mutable_symbols());
  }
  meta->set_min_time_nanos(meta->datasets_size() ? min_time : 0);
  meta->set_max_time_nanos(meta->datasets_size() ? max_time : 0);
  // The size field is part of the footer, so fix it before serialising:
  // size = sections + footer + trailer, and the footer's own length depends
  // on the varint width of size; iterate until it is stable.
  uint64_t size = object.size();
  for (int i = 0; i < 4; ++i) {
    meta->set_size(size);
    size = object.size() + meta->ByteSizeLong() + kTrailerSize;
  }
  meta->set_size(size);
  const std::string footer = meta->SerializeAsString();
  object += footer;
  PutFixed32(&object, static_cast<uint32_t>(footer.size()));
  PutFixed32(&object, Crc32(footer));
  object += kMagic;
  return object;
}

namespace {

// Validates and parses the footer, given the object's last bytes (at least
// footer + trailer) and its total size.
absl::StatusOr<v1::BlockMeta> ParseFooter(std::string_view tail, uint64_t object_size, const std::string& key) {
  auto corrupt = [&](std::string_view why) {
    return absl::DataLossError(absl::StrCat("object ", key, ": ", std::string(why)));
  };
  if (tail.size() < kTrailerSize || tail.size() > object_size || tail.substr(tail.size() - kMagic.size()) != kMagic) {
    return corrupt("not a Kiln block (missing KILNBLK1 trailer)");
  }
  const std::string_view trailer = tail.substr(tail.size() - kTrailerSize);
  const uint32_t footer_size = GetFixed32(trailer), footer_crc = GetFixed32(trailer.substr(4));
  if (footer_size > tail.size() - kTrailerSize) return corrupt("footer size past the start of the object");
  const std::string_view footer = tail.substr(tail.size() - kTrailerSize - footer_size, footer_size);
  if (Crc32(footer) != footer_crc) return corrupt("footer checksum mismatch");
  v1::BlockMeta meta;
  if (!meta.ParseFromArray(footer.data(), static_cast<int>(footer.size()))) return corrupt("footer does not parse");
  if (meta.format_version() != kBlockFormatVersion) {
    return corrupt(absl::StrCat("unsupported format version ", meta.format_version()));
  }
  if (meta.size() != object_size) {
    return corrupt(absl::StrCat("footer says ", meta.size(), " bytes, object has ", object_size));
  }
  const uint64_t sections_end = object_size - kTrailerSize - footer_size;
  for (const v1::DatasetMeta& d : meta.datasets()) {
    for (const v1::SectionRef* ref : {&d.index(), &d.profiles(), &d.samples(), &d.symbols()}) {
      if (ref->offset() > sections_end || ref->length() > sections_end - ref->offset() ||
          ref->raw_length() > kMaxSectionRawBytes) {
        return corrupt(absl::StrCat("dataset ", d.tenant(), "/", d.service(), ": section out of bounds"));
      }
    }
  }
  return meta;
}

}  // namespace

absl::StatusOr<v1::BlockMeta> BlockReader::ReadMeta(std::string_view object, const std::string& key) {
  return ParseFooter(object, object.size(), key);
}

BlockReader BlockReader::FromMeta(ObjectStore* store, const v1::BlockMeta& meta) {
  BlockReader reader(store, meta.key());
  reader.meta_ = meta;
  return reader;
}

absl::StatusOr<BlockReader> BlockReader::Open(ObjectStore* store, const std::string& key, uint64_t size,
                                              uint64_t whole_object_bytes) {
  BlockReader reader(store, key);
  if (size == 0 || size <= whole_object_bytes) {
    auto whole = store->Get(key);
    if (!whole.ok()) return whole.status();
    reader.whole_ = *std::move(whole);
    auto meta = ReadMeta(reader.whole_, key);
    if (!meta.ok()) return meta.status();
    reader.meta_ = *std::move(meta);
    return reader;
  }
  if (size < kTrailerSize) return absl::DataLossError(absl::StrCat("object ", key, ": too small to be a block"));
  auto trailer = store->GetRange(key, size - kTrailerSize, kTrailerSize);
  if (!trailer.ok()) return trailer.status();
  const uint64_t footer_size = GetFixed32(*trailer);
  if (footer_size > size - kTrailerSize) {
    return absl::DataLossError(absl::StrCat("object ", key, ": footer size past the start of the object"));
  }
  auto footer = store->GetRange(key, size - kTrailerSize - footer_size, footer_size);
  if (!footer.ok()) return footer.status();
  auto meta = ParseFooter(*footer + *trailer, size, key);
  if (!meta.ok()) return meta.status();
  reader.meta_ = *std::move(meta);
  return reader;
}

absl::StatusOr<std::string> BlockReader::ReadSection(const v1::SectionRef& ref, std::string_view name,
                                                     const v1::DatasetMeta& dataset) const {
  auto corrupt = [&](std::string_view why) {
    return absl::DataLossError(absl::StrCat("object ", key_, " (block ", meta_.id(), "), dataset ", dataset.tenant(),
                                            "/", dataset.service(), ", ", std::string(name),
                                            " section: ", std::string(why)));
  };
  std::string stored;
  if (!whole_.empty()) {
    stored = whole_.substr(ref.offset(), ref.length());
  } else {
    auto range = store_->GetRange(key_, ref.offset(), ref.length());
    if (!range.ok()) return range.status();
    stored = *std::move(range);
  }
  if (Crc32(stored) != ref.crc32()) return corrupt("checksum mismatch");
  std::string raw(ref.raw_length(), '\0');
  const size_t n = ZSTD_decompress(raw.data(), raw.size(), stored.data(), stored.size());
  if (ZSTD_isError(n)) return corrupt(ZSTD_getErrorName(n));
  if (n != raw.size()) return corrupt("decompressed size mismatch");
  return raw;
}

absl::StatusOr<Dataset> BlockReader::ReadDataset(int index, unsigned sections) const {
  if (index < 0 || index >= meta_.datasets_size()) {
    return absl::InvalidArgumentError(absl::StrCat("object ", key_, ": no dataset #", index));
  }
  const v1::DatasetMeta& dm = meta_.datasets(index);
  Dataset d;
  d.tenant = dm.tenant();
  d.service = dm.service();
  auto decorate = [&](const absl::Status& s) {
    return absl::Status(s.code(), absl::StrCat("object ", key_, " (block ", meta_.id(), "), dataset ", dm.tenant(),
                                               "/", dm.service(), ": ", s.message()));
  };
  // Symbols first: samples validate stack ids against them.
  if (sections & kSectionSymbols) {
    auto raw = ReadSection(dm.symbols(), "symbols", dm);
    if (!raw.ok()) return raw.status();
    if (auto s = DecodeSymbols(*raw, &d); !s.ok()) return decorate(s);
  }
  if (sections & kSectionIndex) {
    auto raw = ReadSection(dm.index(), "index", dm);
    if (!raw.ok()) return raw.status();
    if (auto s = DecodeIndex(*raw, &d); !s.ok()) return decorate(s);
  }
  if (sections & (kSectionProfiles | kSectionSamples)) {
    auto raw = ReadSection(dm.profiles(), "profiles", dm);
    if (!raw.ok()) return raw.status();
    if (auto s = DecodeProfiles(*raw, &d); !s.ok()) return decorate(s);
  }
  if (sections & kSectionSamples) {
    auto raw = ReadSection(dm.samples(), "samples", dm);
    if (!raw.ok()) return raw.status();
    if (auto s = DecodeSamples(*raw, &d); !s.ok()) return decorate(s);
  }
  return d;
}

}  // namespace kiln::storage
