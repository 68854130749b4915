#include "kiln/storage/compactor.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "kiln/storage/block.h"
#include "kiln/storage/block_id.h"
#include "kiln/storage/dataset_builder.h"
#include "kiln/storage/stack_translator.h"

namespace kiln::storage {
namespace {

// Tenants become key components: keep [A-Za-z0-9_.-], %-escape the rest.
std::string EscapeKeyComponent(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                       c == '-' || (c == '.' && !out.empty());
    if (plain) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[static_cast<uint8_t>(c) >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out.empty() ? "%00" : out;
}

// The block id in an object key ".../<id>.kb".
std::string IdOfKey(std::string_view key) {
  const size_t slash = key.rfind('/');
  std::string_view name = slash == std::string_view::npos ? key : key.substr(slash + 1);
  if (name.ends_with(".kb")) name.remove_suffix(3);
  return std::string(name);
}

// Appends every profile of |from| to |to|, translating symbols, series and
// annotations; returns the number of duplicate rows dropped.
uint64_t MergeDataset(const Dataset& from, DatasetBuilder* to) {
  Dataset& d = to->dataset();
  StackTranslator translate(from.symbols, from.stacks, &d.symbols, &d.stacks);
  std::vector<uint32_t> series(from.series.size());
  for (size_t i = 0; i < from.series.size(); ++i) series[i] = to->InternSeries(from.series[i]);
  std::vector<uint32_t> annotations(from.annotations.size());
  for (size_t i = 0; i < from.annotations.size(); ++i) annotations[i] = to->InternAnnotation(from.annotations[i]);
  uint64_t duplicates = 0;
  std::vector<StackId> translated(from.sample_stacks.size());
  translate.Stacks(from.sample_stacks, translated);
  std::vector<StackId> stacks;
  std::vector<uint32_t> row_annotations;
  for (const ProfileRow& row : from.profiles) {
    stacks.clear();
    row_annotations.clear();
    for (uint64_t i = row.first_sample; i < row.first_sample + row.num_samples; ++i) {
      stacks.push_back(translated[i]);
      row_annotations.push_back(annotations[from.sample_annotations[i]]);
    }
    const std::span<const int64_t> values(from.sample_values.data() + row.first_sample, row.num_samples);
    if (!to->AddProfile(series[row.series], row.time_nanos, row.duration_nanos, row.id, stacks, values,
                        row_annotations)) {
      ++duplicates;
    }
  }
  return duplicates;
}

}  // namespace

Compactor::Compactor(ObjectStore* store, Metastore* metastore, CompactorOptions options)
    : store_(store), metastore_(metastore), options_(std::move(options)) {}

absl::Status Compactor::Compact(const std::vector<BlockMetaPtr>& inputs, uint32_t level, absl::Time now,
                                CompactionStats* stats) {
  if (inputs.empty()) return absl::OkStatus();
  std::map<std::pair<std::string, std::string>, std::unique_ptr<DatasetBuilder>> merged;
  uint64_t duplicates = 0, input_bytes = 0;
  for (const BlockMetaPtr& input : inputs) {
    auto reader = BlockReader::Open(store_, input->key(), input->size());
    if (!reader.ok()) return reader.status();
    input_bytes += input->size();
    for (int i = 0; i < reader->meta().datasets_size(); ++i) {
      auto dataset = reader->ReadDataset(i);
      if (!dataset.ok()) return dataset.status();
      auto& builder = merged[{dataset->tenant, dataset->service}];
      if (!builder) builder = std::make_unique<DatasetBuilder>(dataset->tenant, dataset->service);
      duplicates += MergeDataset(*dataset, builder.get());
    }
  }
  // One output per tenant; all ids known up front so each output can name
  // its siblings.
  std::map<std::string, std::vector<const Dataset*>> by_tenant;
  for (const auto& [key, builder] : merged) by_tenant[key.first].push_back(&builder->dataset());
  std::vector<v1::BlockMeta> outputs;
  for (const auto& [tenant, datasets] : by_tenant) {
    v1::BlockMeta& meta = outputs.emplace_back();
    meta.set_id(NewBlockId(absl::ToUnixMillis(now)));
    meta.set_shard(inputs.front()->shard());
    meta.set_level(level);
    meta.set_tenant(tenant);
    meta.set_created_at_nanos(absl::ToUnixNanos(now));
    meta.set_key(absl::StrCat("blocks/", meta.shard(), "/", EscapeKeyComponent(tenant), "/", meta.id(), ".kb"));
    for (const BlockMetaPtr& input : inputs) meta.add_compacted_from(input->id());
  }
  uint64_t output_bytes = 0;
  size_t next = 0;
  for (const auto& [tenant, datasets] : by_tenant) {
    v1::BlockMeta& meta = outputs[next++];
    for (const v1::BlockMeta& sibling : outputs) meta.add_compaction_outputs(sibling.id());
    const std::string object = EncodeBlock(datasets, &meta);
    if (auto s = store_->Put(meta.key(), object); !s.ok()) return s;
    output_bytes += object.size();
  }
  std::vector<std::string> input_ids;
  for (const BlockMetaPtr& input : inputs) input_ids.push_back(input->id());
  if (auto s = metastore_->ReplaceBlocks(outputs, input_ids, absl::ToUnixNanos(now + options_.delete_delay));
      !s.ok()) {
    return s;
  }
  if (stats) {
    ++stats->jobs;
    stats->input_blocks += inputs.size();
    stats->output_blocks += outputs.size();
    stats->input_bytes += input_bytes;
    stats->output_bytes += output_bytes;
    stats->duplicate_profiles += duplicates;
  }
  return absl::OkStatus();
}

absl::Status Compactor::RunOnce(absl::Time now, CompactionStats* stats) {
  // (level, shard, tenant, window) -> blocks, oldest first.
  std::map<std::tuple<uint32_t, uint32_t, std::string, int64_t>, std::vector<BlockMetaPtr>> queues;
  const int64_t window = std::max<int64_t>(absl::ToInt64Nanoseconds(options_.window), 1);
  for (const BlockMetaPtr& b : metastore_->ListBlocks()) {
    if (b->level() >= options_.levels.size()) continue;
    queues[{b->level(), b->shard(), b->tenant(), b->min_time_nanos() / window}].push_back(b);
  }
  absl::Status first_error;
  for (auto& [key, blocks] : queues) {
    const CompactionLevel& rule = options_.levels[std::get<0>(key)];
    std::sort(blocks.begin(), blocks.end(), [](const BlockMetaPtr& a, const BlockMetaPtr& b) { return a->id() < b->id(); });
    for (size_t start = 0; start < blocks.size();) {
      const size_t n = std::min<size_t>(blocks.size() - start, std::max<uint32_t>(rule.max_blocks, 1));
      const absl::Time oldest = absl::FromUnixNanos(blocks[start]->created_at_nanos());
      if (n < rule.max_blocks && now - oldest < rule.max_wait) break;
      std::vector<BlockMetaPtr> job(blocks.begin() + start, blocks.begin() + start + n);
      // A failed job (say, a corrupt input) must not stop the others.
      if (auto s = Compact(job, std::get<0>(key) + 1, now, stats); !s.ok() && first_error.ok()) first_error = s;
      start += n;
    }
  }
  return first_error;
}

absl::Status Compactor::CollectGarbage(absl::Time now, CompactionStats* stats) {
  absl::Status first_error;
  std::vector<std::string> forgotten;
  std::set<std::string> referenced;
  for (const Tombstone& t : metastore_->ListTombstones()) {
    referenced.insert(t.key);
    if (absl::FromUnixNanos(t.delete_after_nanos) > now) continue;
    absl::Status s = store_->Delete(t.key);
    if (s.ok()) {
      forgotten.push_back(t.id);
      if (stats) ++stats->deleted_objects;
    } else if (first_error.ok()) {
      first_error = s;
    }
  }
  if (!forgotten.empty()) {
    if (auto s = metastore_->ForgetTombstones(forgotten); !s.ok() && first_error.ok()) first_error = s;
  }
  for (const BlockMetaPtr& b : metastore_->ListBlocks()) referenced.insert(b->key());
  for (const char* prefix : {"segments/", "blocks/"}) {
    auto objects = store_->List(prefix);
    if (!objects.ok()) return objects.status();
    for (const ObjectInfo& object : *objects) {
      if (referenced.count(object.key)) continue;
      const int64_t millis = BlockIdMillis(IdOfKey(object.key));
      // Unknown names are not ours to delete.
      if (millis < 0 || now - absl::FromUnixMillis(millis) < options_.orphan_grace) continue;
      if (store_->Delete(object.key).ok() && stats) ++stats->deleted_objects;
    }
  }
  return first_error;
}

absl::Status Compactor::EnforceRetention(absl::Time now, CompactionStats* stats) {
  std::vector<std::string> expired;
  for (const BlockMetaPtr& b : metastore_->ListBlocks()) {
    bool all_expired = b->datasets_size() > 0;
    for (const v1::DatasetMeta& d : b->datasets()) {
      auto it = options_.tenant_retention.find(d.tenant());
      const absl::Duration retention = it != options_.tenant_retention.end() ? it->second : options_.retention;
      if (retention <= absl::ZeroDuration() || absl::FromUnixNanos(d.max_time_nanos()) >= now - retention) {
        all_expired = false;
      }
    }
    if (all_expired) expired.push_back(b->id());
  }
  if (expired.empty()) return absl::OkStatus();
  if (stats) stats->expired_blocks += expired.size();
  return metastore_->ReplaceBlocks({}, expired, absl::ToUnixNanos(now + options_.delete_delay));
}

}  // namespace kiln::storage
