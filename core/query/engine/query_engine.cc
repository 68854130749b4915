#include "kiln/query/query_engine.h"

#include <algorithm>
#include <limits>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "core/query/engine/dataset_cache.h"
#include "core/query/engine/dataset_selection.h"
#include "core/query/engine/dataset_tree.h"
#include "core/query/engine/parallel_for.h"
#include "kiln/storage/block.h"
#include "kiln/storage/stack_translator.h"

namespace kiln {

using query_engine::DatasetCache;
using storage::Dataset;

QueryEngine::QueryEngine(storage::ObjectStore* store, const storage::Metastore* metastore, QueryLimits limits)
    : store_(store), metastore_(metastore), limits_(limits), cache_(std::make_unique<DatasetCache>(limits.cache_bytes)) {}

QueryEngine::~QueryEngine() = default;

absl::Status QueryEngine::CheckRange(int64_t start_nanos, int64_t end_nanos) const {
  if (end_nanos < start_nanos) {
    return absl::InvalidArgumentError(absl::StrCat("query range ends (", end_nanos, ") before it starts (", start_nanos, ")"));
  }
  if (limits_.max_range_nanos > 0 && end_nanos - start_nanos > limits_.max_range_nanos) {
    return absl::ResourceExhaustedError(absl::StrCat("query range of ", (end_nanos - start_nanos) / 3600000000000,
                                                     " h exceeds the limit of ", limits_.max_range_nanos / 3600000000000,
                                                     " h; narrow the time range"));
  }
  return absl::OkStatus();
}

std::vector<QueryEngine::PlannedDataset> QueryEngine::Plan(const std::string& tenant, int64_t start_nanos,
                                                           int64_t end_nanos, const std::string& profile_type,
                                                           const std::vector<LabelMatcher>& matchers) const {
  std::vector<PlannedDataset> out;
  for (const storage::BlockMetaPtr& block : metastore_->QueryBlocks(tenant, start_nanos, end_nanos)) {
    for (int i = 0; i < block->datasets_size(); ++i) {
      const storage::v1::DatasetMeta& d = block->datasets(i);
      if (d.tenant() != tenant || d.max_time_nanos() < start_nanos || d.min_time_nanos() > end_nanos) continue;
      if (!profile_type.empty() &&
          std::find(d.profile_types().begin(), d.profile_types().end(), profile_type) == d.profile_types().end()) {
        continue;
      }
      bool service_ok = true;
      for (const LabelMatcher& m : matchers) {
        if (m.name() == "service_name" && !m.Matches(d.service())) service_ok = false;
      }
      if (service_ok) out.push_back({block, i});
    }
  }
  // Deterministic merge order (results must not depend on thread timing).
  std::sort(out.begin(), out.end(), [](const PlannedDataset& a, const PlannedDataset& b) {
    return std::tie(a.block->id(), a.index) < std::tie(b.block->id(), b.index);
  });
  return out;
}

absl::StatusOr<std::shared_ptr<const Dataset>> QueryEngine::Load(const PlannedDataset& planned,
                                                                 unsigned sections) const {
  // A superset of sections in the cache serves too.
  for (unsigned have : {sections, unsigned{storage::kAllSections}}) {
    if ((have & sections) != sections) continue;
    if (auto hit = cache_->Find(absl::StrCat(planned.block->id(), "#", planned.index, "#", have))) return hit;
  }
  const storage::BlockReader reader = storage::BlockReader::FromMeta(store_, *planned.block);
  auto dataset = reader.ReadDataset(planned.index, sections);
  if (!dataset.ok()) return dataset.status();
  auto shared = std::make_shared<const Dataset>(*std::move(dataset));
  cache_->Insert(absl::StrCat(planned.block->id(), "#", planned.index, "#", sections), shared);
  return shared;
}

absl::StatusOr<std::vector<ProfileTypeInfo>> QueryEngine::ProfileTypes(const std::string& tenant, int64_t start_nanos,
                                                                       int64_t end_nanos) const {
  if (auto s = CheckRange(start_nanos, end_nanos); !s.ok()) return s;
  std::set<std::string> ids;
  for (const PlannedDataset& p : Plan(tenant, start_nanos, end_nanos, "", {})) {
    for (const std::string& t : p.block->datasets(p.index).profile_types()) ids.insert(t);
  }
  std::vector<ProfileTypeInfo> out;
  for (const std::string& id : ids) {
    auto parsed = ProfileTypeId::Parse(id);
    if (parsed.ok()) out.push_back({*parsed});
  }
  return out;
}

absl::StatusOr<std::vector<LabelSet>> QueryEngine::Series(const std::string& tenant,
                                                          const std::vector<LabelMatcher>& matchers,
                                                          const std::vector<std::string>& label_names,
                                                          int64_t start_nanos, int64_t end_nanos) const {
  if (auto s = CheckRange(start_nanos, end_nanos); !s.ok()) return s;
  const std::vector<PlannedDataset> plan = Plan(tenant, start_nanos, end_nanos, "", matchers);
  std::vector<absl::StatusOr<std::shared_ptr<const Dataset>>> loaded(plan.size());
  query_engine::ParallelFor(plan.size(), limits_.parallelism,
                            [&](size_t i) { loaded[i] = Load(plan[i], storage::kSectionIndex); });
  std::set<LabelSet> out;
  for (const auto& d : loaded) {
    if (!d.ok()) return d.status();
    const std::vector<bool> match = query_engine::MatchSeries(**d, matchers, "");
    for (size_t s = 0; s < match.size(); ++s) {
      if (!match[s]) continue;
      if (label_names.empty()) {
        out.insert((*d)->series[s]);
      } else {
        std::vector<LabelSet::Pair> pairs;
        for (const std::string& name : label_names) pairs.emplace_back(name, std::string((*d)->series[s].Get(name)));
        out.insert(LabelSet(std::move(pairs)));
      }
      if (limits_.max_series && out.size() > limits_.max_series) {
        return absl::ResourceExhaustedError(absl::StrCat("more than ", limits_.max_series,
                                                         " series match; narrow the label selector"));
      }
    }
  }
  return std::vector<LabelSet>(out.begin(), out.end());
}

absl::StatusOr<std::vector<std::string>> QueryEngine::LabelNames(const std::string& tenant,
                                                                 const std::vector<LabelMatcher>& matchers,
                                                                 int64_t start_nanos, int64_t end_nanos) const {
  auto series = Series(tenant, matchers, {}, start_nanos, end_nanos);
  if (!series.ok()) return series.status();
  std::set<std::string> names;
  for (const LabelSet& s : *series) {
    for (const auto& [name, value] : s.pairs()) names.insert(name);
  }
  return std::vector<std::string>(names.begin(), names.end());
}

absl::StatusOr<std::vector<std::string>> QueryEngine::LabelValues(const std::string& tenant, const std::string& name,
                                                                  const std::vector<LabelMatcher>& matchers,
                                                                  int64_t start_nanos, int64_t end_nanos) const {
  auto series = Series(tenant, matchers, {name}, start_nanos, end_nanos);
  if (!series.ok()) return series.status();
  std::set<std::string> values;
  for (const LabelSet& s : *series) {
    const std::string_view v = s.Get(name);
    if (!v.empty()) values.insert(std::string(v));
  }
  return std::vector<std::string>(values.begin(), values.end());
}

absl::StatusOr<Tree> QueryEngine::SelectMergeTree(const ProfileSelection& sel, FrameNaming naming) const {
  if (auto s = CheckRange(sel.start_nanos, sel.end_nanos); !s.ok()) return s;
  if (sel.profile_type.empty()) return absl::InvalidArgumentError("a profile type is required");
  const std::vector<PlannedDataset> plan = Plan(sel.tenant, sel.start_nanos, sel.end_nanos, sel.profile_type, sel.matchers);
  std::vector<absl::StatusOr<Tree>> trees(plan.size());
  query_engine::ParallelFor(plan.size(), limits_.parallelism, [&](size_t i) {
    auto d = Load(plan[i], storage::kAllSections);
    if (!d.ok()) {
      trees[i] = d.status();
      return;
    }
    const Dataset& dataset = **d;
    const std::vector<bool> series = query_engine::MatchSeries(dataset, sel.matchers, sel.profile_type);
    const std::vector<bool> annotations = query_engine::SelectAnnotations(dataset, sel);
    const std::vector<bool> call_site = query_engine::MatchCallSite(dataset, sel.call_site);
    std::vector<int64_t> by_stack(dataset.stacks.size());
    for (uint32_t r : query_engine::SelectRows(dataset, series, sel)) {
      const storage::ProfileRow& row = dataset.profiles[r];
      for (uint64_t j = row.first_sample; j < row.first_sample + row.num_samples; ++j) {
        if (!annotations.empty() && !annotations[dataset.sample_annotations[j]]) continue;
        const StackId stack = dataset.sample_stacks[j];
        if (!call_site.empty() && !call_site[stack]) continue;
        by_stack[stack] += dataset.sample_values[j];
      }
    }
    trees[i] = query_engine::BuildDatasetTree(dataset, by_stack, naming, limits_.max_tree_nodes);
  });
  Tree merged;
  for (auto& tree : trees) {
    if (!tree.ok()) return tree.status();
    if (merged.size() == 1) {
      merged = *std::move(tree);
    } else {
      merged.Merge(*tree);
    }
    if (limits_.max_tree_nodes && merged.size() > limits_.max_tree_nodes) {
      return absl::ResourceExhaustedError(absl::StrCat("the merged call tree exceeds ", limits_.max_tree_nodes,
                                                       " nodes; narrow the time range or the label selector"));
    }
  }
  return merged;
}

absl::StatusOr<Profile> QueryEngine::SelectMergeProfile(const ProfileSelection& sel) const {
  if (auto s = CheckRange(sel.start_nanos, sel.end_nanos); !s.ok()) return s;
  auto type = ProfileTypeId::Parse(sel.profile_type);
  if (!type.ok()) return type.status();
  const std::vector<PlannedDataset> plan = Plan(sel.tenant, sel.start_nanos, sel.end_nanos, sel.profile_type, sel.matchers);
  Profile out;
  out.name = type->name;
  out.sample_types = {{type->sample_type, type->sample_unit}};
  out.period_type = {type->period_type, type->period_unit};
  out.time_nanos = sel.start_nanos;
  out.duration_nanos = sel.end_nanos - sel.start_nanos;
  absl::flat_hash_map<StackId, size_t> sample_of_stack;
  for (const PlannedDataset& p : plan) {
    auto d = Load(p, storage::kAllSections);
    if (!d.ok()) return d.status();
    const Dataset& dataset = **d;
    const std::vector<bool> series = query_engine::MatchSeries(dataset, sel.matchers, sel.profile_type);
    const std::vector<bool> annotations = query_engine::SelectAnnotations(dataset, sel);
    const std::vector<bool> call_site = query_engine::MatchCallSite(dataset, sel.call_site);
    storage::StackTranslator translate(dataset.symbols, dataset.stacks, &out.symbols, &out.stacks);
    for (uint32_t r : query_engine::SelectRows(dataset, series, sel)) {
      const storage::ProfileRow& row = dataset.profiles[r];
      if (out.period == 0) {
        // Period is not stored per row; the profile type's unit is what
        // pprof consumers need, and 1 keeps ratios exact.
        out.period = 1;
      }
      for (uint64_t j = row.first_sample; j < row.first_sample + row.num_samples; ++j) {
        if (!annotations.empty() && !annotations[dataset.sample_annotations[j]]) continue;
        if (!call_site.empty() && !call_site[dataset.sample_stacks[j]]) continue;
        const StackId stack = translate.Stack(dataset.sample_stacks[j]);
        auto [it, inserted] = sample_of_stack.try_emplace(stack, out.num_samples());
        if (inserted) {
          const int64_t value = dataset.sample_values[j];
          out.AddSample(stack, {&value, 1});
        } else {
          out.sample_values[it->second] += dataset.sample_values[j];
        }
      }
    }
  }
  return out;
}

DataStats QueryEngine::GetDataStats(const std::string& tenant) const {
  DataStats stats;
  stats.oldest_nanos = std::numeric_limits<int64_t>::max();
  stats.newest_nanos = std::numeric_limits<int64_t>::min();
  for (const storage::BlockMetaPtr& b : metastore_->QueryBlocks(tenant, std::numeric_limits<int64_t>::min(),
                                                                 std::numeric_limits<int64_t>::max())) {
    for (const auto& d : b->datasets()) {
      if (d.tenant() != tenant) continue;
      stats.data_ingested = true;
      stats.oldest_nanos = std::min(stats.oldest_nanos, d.min_time_nanos());
      stats.newest_nanos = std::max(stats.newest_nanos, d.max_time_nanos());
    }
  }
  if (!stats.data_ingested) stats.oldest_nanos = stats.newest_nanos = 0;
  return stats;
}

}  // namespace kiln
