#include "kiln/storage/profile_appender.h"

#include <algorithm>
#include <iterator>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "kiln/base/hex.h"
#include "kiln/model/profile_type.h"
#include "kiln/storage/stack_translator.h"

namespace kiln::storage {
namespace {

bool ParseTraceId(std::string_view hex, SampleAnnotation* a) {
  if (hex.size() != 32) return false;
  return ParseHex64(hex.substr(0, 16), &a->trace_id_high) && ParseHex64(hex.substr(16), &a->trace_id_low);
}

bool IsAnnotationLabel(std::string_view key) {
  return key == "span_id" || key == "trace_id" || key == "profile_id";
}

}  // namespace

ProfileId NewProfileId() {
  static absl::Mutex mu;
  static std::mt19937_64* rng = new std::mt19937_64(std::random_device{}());
  uint64_t hi, lo;
  {
    absl::MutexLock lock(&mu);
    hi = (*rng)();
    lo = (*rng)();
  }
  ProfileId id;
  for (int i = 0; i < 8; ++i) {
    id[i] = static_cast<uint8_t>(hi >> (56 - 8 * i));
    id[8 + i] = static_cast<uint8_t>(lo >> (56 - 8 * i));
  }
  id[6] = static_cast<uint8_t>((id[6] & 0x0f) | 0x40);
  id[8] = static_cast<uint8_t>((id[8] & 0x3f) | 0x80);
  return id;
}

absl::Status ValidateSeriesLabels(const LabelSet& labels, const IngestLimits& limits) {
  if (limits.max_labels_per_series && labels.size() > limits.max_labels_per_series) {
    return absl::InvalidArgumentError(absl::StrCat("series ", labels.ToString(), " has ", labels.size(),
                                                   " labels; the limit is ", limits.max_labels_per_series));
  }
  for (const auto& [name, value] : labels.pairs()) {
    if (name.empty()) return absl::InvalidArgumentError(absl::StrCat("series ", labels.ToString(), ": empty label name"));
    if (limits.max_label_name_length && name.size() > limits.max_label_name_length) {
      return absl::InvalidArgumentError(absl::StrCat("label name \"", name.substr(0, 64), "…\" is ", name.size(),
                                                     " bytes long; the limit is ", limits.max_label_name_length));
    }
    if (limits.max_label_value_length && value.size() > limits.max_label_value_length) {
      return absl::InvalidArgumentError(absl::StrCat("label ", name, ": value is ", value.size(),
                                                     " bytes long; the limit is ", limits.max_label_value_length));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<AppendResult> AppendProfile(const IngestedProfile& in, const IngestLimits& limits,
                                           int64_t now_nanos, DatasetBuilder* builder,
                                           const SeriesAdmission& admit) {
  const Profile& p = *in.profile;
  const std::string_view service = in.labels.Get("service_name");
  if (service.empty()) return absl::InvalidArgumentError("profile has no service_name label");
  if (service != builder->dataset().service) {
    return absl::InternalError(absl::StrCat("profile of service ", std::string(service), " appended to dataset ",
                                            builder->dataset().service));
  }
  if (p.sample_types.empty()) return absl::InvalidArgumentError("profile has no sample types");
  // The client's own labels first, so errors name what the client sent.
  if (auto s = ValidateSeriesLabels(in.labels, limits); !s.ok()) return s;
  if (limits.max_samples_per_profile && p.num_samples() > limits.max_samples_per_profile) {
    return absl::InvalidArgumentError(absl::StrCat("profile has ", p.num_samples(),
                                                   " samples; the limit is ", limits.max_samples_per_profile));
  }

  // Per sample label set: its series labels (string labels) and annotation.
  struct LabelSetInfo {
    std::vector<LabelSet::Pair> series_pairs;
    SampleAnnotation annotation;
  };
  std::vector<LabelSetInfo> label_sets(p.label_sets.size());
  for (size_t i = 0; i < p.label_sets.size(); ++i) {
    for (const SampleLabel& l : p.label_sets[i]) {
      if (l.str == 0) continue;  // numeric labels (bytes, …) do not split series
      const std::string_view key = p.symbols.String(l.key), value = p.symbols.String(l.str);
      if (key == "span_id" || key == "profile_id") {
        ParseHex64(value, &label_sets[i].annotation.span_id);
      } else if (key == "trace_id") {
        ParseTraceId(value, &label_sets[i].annotation);
      } else if (!IsAnnotationLabel(key) && !key.empty()) {
        label_sets[i].series_pairs.emplace_back(std::string(key), std::string(value));
      }
    }
    std::stable_sort(label_sets[i].series_pairs.begin(), label_sets[i].series_pairs.end(),
                     [](const LabelSet::Pair& a, const LabelSet::Pair& b) { return a.first < b.first; });
  }

  // Series labels per (sample type, label set), validated before any write.
  // Most label sets add no series labels (only annotations, or nothing), so
  // they share their type's series: series[t][0] is the type's own labels
  // and series[t][series_index[i]] label set i's, for every type alike.
  std::vector<LabelSet::Pair> base = in.labels.pairs();
  for (const auto& [k, v] : p.labels) {
    if (!in.labels.Has(k)) base.emplace_back(k, v);
  }
  std::vector<uint32_t> series_index(label_sets.size(), 0);
  for (size_t i = 0, next = 1; i < label_sets.size(); ++i) {
    if (!label_sets[i].series_pairs.empty()) series_index[i] = static_cast<uint32_t>(next++);
  }
  std::vector<std::vector<LabelSet>> series(p.num_types());
  for (size_t t = 0; t < p.num_types(); ++t) {
    const ValueType& vt = p.sample_types[t];
    const std::string name = !p.name.empty() ? p.name : GuessProfileName(vt.type, p.period_type.type);
    // An unknown period stays empty, as Pyroscope keeps it
    // (`off_cpu:off_cpu:nanoseconds::`).
    ProfileTypeId type{name, vt.type, vt.unit, p.period_type.type, p.period_type.unit};
    // In name order, and before the client's (lower-case) names: LabelSet
    // then finds the pairs sorted and skips its sort.
    std::vector<LabelSet::Pair> pairs;
    pairs.reserve(base.size() + 6);
    pairs.emplace_back("__name__", name);
    if (!type.period_type.empty()) pairs.emplace_back("__period_type__", type.period_type);
    if (!type.period_unit.empty()) pairs.emplace_back("__period_unit__", type.period_unit);
    pairs.emplace_back("__profile_type__", type.ToString());
    pairs.emplace_back("__type__", vt.type);
    pairs.emplace_back("__unit__", vt.unit);
    pairs.insert(pairs.end(), base.begin(), base.end());
    LabelSet typed(std::move(pairs));
    if (auto s = ValidateSeriesLabels(typed, limits); !s.ok()) return s;
    series[t].push_back(typed);
    for (size_t i = 0; i < label_sets.size(); ++i) {
      const LabelSetInfo& info = label_sets[i];
      if (info.series_pairs.empty()) continue;
      // Both sorted: merged, a sample label overrides a same-named series label.
      std::vector<LabelSet::Pair> all;
      all.reserve(typed.size() + info.series_pairs.size());
      std::merge(typed.pairs().begin(), typed.pairs().end(), info.series_pairs.begin(), info.series_pairs.end(),
                 std::back_inserter(all), [](const LabelSet::Pair& a, const LabelSet::Pair& b) { return a.first < b.first; });
      LabelSet labels(std::move(all));
      if (auto s = ValidateSeriesLabels(labels, limits); !s.ok()) return s;
      series[t].push_back(std::move(labels));
    }
  }
  if (admit) {
    // Only the series that samples actually use, each once.
    for (size_t t = 0; t < p.num_types(); ++t) {
      std::vector<bool> used(series[t].size());
      for (uint32_t ls : p.sample_label_sets) used[series_index[ls]] = true;
      for (size_t j = 0; j < series[t].size(); ++j) {
        if (!used[j]) continue;
        if (auto s = admit(series[t][j]); !s.ok()) return s;
      }
    }
  }

  Dataset& d = builder->dataset();
  std::vector<uint32_t> annotation_ids(label_sets.size());
  for (size_t i = 0; i < label_sets.size(); ++i) annotation_ids[i] = builder->InternAnnotation(label_sets[i].annotation);
  std::vector<StackId> stacks(p.num_samples());
  if (in.pending_stacks != nullptr) {
    in.pending_stacks->InternInto(d.symbols, d.stacks, stacks);
  } else {
    StackTranslator translate(p.symbols, p.stacks, &d.symbols, &d.stacks);
    translate.Stacks(p.sample_stacks, stacks);
  }

  const ProfileId id = in.id == ProfileId{} ? NewProfileId() : in.id;
  const int64_t time = p.time_nanos > 0 ? p.time_nanos : now_nanos;
  AppendResult result;
  std::vector<StackId> row_stacks;
  std::vector<int64_t> row_values;
  std::vector<uint32_t> row_annotations;
  std::vector<uint32_t> local_series(p.num_samples()), by_series(p.num_samples()), ends, series_id, used;
  for (size_t t = 0; t < p.num_types(); ++t) {
    // Samples grouped by series (a counting sort on the type's local series
    // index), each series interned once, in the order samples first use it.
    const size_t n = series[t].size();
    series_id.assign(n, UINT32_MAX);
    ends.assign(n + 1, 0);
    used.clear();
    for (size_t i = 0; i < p.num_samples(); ++i) {
      const uint32_t j = series_index[p.sample_label_sets[i]];
      if (series_id[j] == UINT32_MAX) {
        series_id[j] = builder->InternSeries(series[t][j]);
        used.push_back(j);
      }
      local_series[i] = j;
      ++ends[j + 1];
    }
    for (size_t j = 0; j < n; ++j) ends[j + 1] += ends[j];
    std::vector<uint32_t> next(ends.begin(), ends.end() - 1);
    for (size_t i = 0; i < p.num_samples(); ++i) by_series[next[local_series[i]]++] = static_cast<uint32_t>(i);
    // Rows in series id order.
    std::sort(used.begin(), used.end(), [&](uint32_t a, uint32_t b) { return series_id[a] < series_id[b]; });
    for (uint32_t j : used) {
      row_stacks.clear();
      row_values.clear();
      row_annotations.clear();
      for (uint32_t k = ends[j]; k < ends[j + 1]; ++k) {
        const uint32_t i = by_series[k];
        row_stacks.push_back(stacks[i]);
        row_values.push_back(p.sample_values[size_t{i} * p.num_types() + t]);
        row_annotations.push_back(annotation_ids[p.sample_label_sets[i]]);
      }
      if (builder->AddProfile(series_id[j], time, p.duration_nanos, id, row_stacks, row_values, row_annotations)) {
        ++result.rows;
      } else {
        ++result.duplicates;
      }
    }
  }
  return result;
}

}  // namespace kiln::storage
