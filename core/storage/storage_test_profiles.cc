#include "core/storage/storage_test_profiles.h"

namespace kiln::storage::testing {

Profile SmallCpuProfile(int64_t scale, int64_t time_nanos) {
  Profile p;
  p.sample_types = {{"samples", "count"}, {"cpu", "nanoseconds"}};
  p.period_type = {"cpu", "nanoseconds"};
  p.period = 10000000;
  p.time_nanos = time_nanos;
  p.duration_nanos = 10000000000;
  const LocationId main = p.symbols.InternFrame("main", "main.go", 10);
  const LocationId work = p.symbols.InternFrame("work", "work.go", 20);
  const LocationId hash = p.symbols.InternFrame("hash", "hash.go", 30);
  const int64_t v1[] = {3 * scale, 30000000 * scale}, v2[] = {5 * scale, 50000000 * scale};
  p.AddSample(p.stacks.InternRootFirst(std::vector<LocationId>{main, work}), v1);
  p.AddSample(p.stacks.InternRootFirst(std::vector<LocationId>{main, work, hash}), v2);
  return p;
}

std::map<std::string, int64_t> CollapseDataset(const Dataset& d, std::string_view type) {
  std::map<std::string, int64_t> out;
  std::vector<LocationId> locations;
  for (const ProfileRow& row : d.profiles) {
    if (!type.empty() && d.series[row.series].Get("__type__") != type) continue;
    for (uint64_t i = row.first_sample; i < row.first_sample + row.num_samples; ++i) {
      d.stacks.Unwind(d.sample_stacks[i], &locations);
      std::string key;
      for (auto it = locations.rbegin(); it != locations.rend(); ++it) {
        auto lines = d.symbols.lines(*it);
        for (auto line = lines.rbegin(); line != lines.rend(); ++line) {
          key += std::string(d.symbols.FunctionName(line->function_id)) + ";";
        }
      }
      out[key] += d.sample_values[i];
    }
  }
  return out;
}

absl::StatusOr<std::map<std::string, int64_t>> CollapseVisible(ObjectStore* store, const Metastore& metastore,
                                                               std::string_view tenant, std::string_view type,
                                                               uint64_t* rows) {
  std::map<std::string, int64_t> out;
  if (rows) *rows = 0;
  for (const BlockMetaPtr& meta : metastore.ListBlocks()) {
    auto reader = BlockReader::Open(store, meta->key(), meta->size());
    if (!reader.ok()) return reader.status();
    for (int i = 0; i < reader->meta().datasets_size(); ++i) {
      if (reader->meta().datasets(i).tenant() != tenant) continue;
      auto d = reader->ReadDataset(i);
      if (!d.ok()) return d.status();
      for (const ProfileRow& row : d->profiles) {
        if (rows && (type.empty() || d->series[row.series].Get("__type__") == type)) ++*rows;
      }
      for (const auto& [k, v] : CollapseDataset(*d, type)) out[k] += v;
    }
  }
  return out;
}

}  // namespace kiln::storage::testing
