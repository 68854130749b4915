#include "plugin-backend/src/storage_backend.h"

#include <limits>

#include "absl/status/status.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/base/hex.h"
#include "kiln/export/pprof_writer.h"
#include "kiln/model/label_matcher.h"
#include "kiln/storage/local_metastore.h"
#include "kiln/storage/local_object_store.h"

namespace kiln::plugin {
namespace {

constexpr int64_t kNanosPerMilli = 1000000;

struct NanoRange {
  int64_t start = 0;
  int64_t end = 0;
};

// Milliseconds (both ends inclusive) to nanoseconds: the whole last
// millisecond counts, as in kiln server.
absl::StatusOr<NanoRange> RangeOf(int64_t start_ms, int64_t end_ms) {
  constexpr int64_t kMaxMs = std::numeric_limits<int64_t>::max() / kNanosPerMilli - 1;
  if (start_ms < 0 || end_ms < 0 || start_ms > kMaxMs || end_ms > kMaxMs) {
    return absl::InvalidArgumentError(fmt::format("time range {}..{} ms is not a range of epoch milliseconds",
                                                  start_ms, end_ms));
  }
  if (end_ms < start_ms) {
    return absl::InvalidArgumentError(fmt::format("the time range is empty: it ends ({}) before it starts ({})",
                                                  end_ms, start_ms));
  }
  return NanoRange{start_ms * kNanosPerMilli, end_ms * kNanosPerMilli + kNanosPerMilli - 1};
}

class StorageBackend : public ProfileBackend {
 public:
  StorageBackend(StorageBackendOptions options, std::unique_ptr<storage::ObjectStore> store,
                 std::unique_ptr<storage::Metastore> metastore)
      : options_(std::move(options)),
        store_(std::move(store)),
        metastore_(std::move(metastore)),
        engine_(store_.get(), metastore_.get(), options_.limits) {}

  absl::StatusOr<std::vector<std::string>> ProfileTypes(int64_t start_ms, int64_t end_ms) override {
    auto range = RangeOf(start_ms, end_ms);
    if (!range.ok()) return range.status();
    auto types = engine_.ProfileTypes(options_.tenant, range->start, range->end);
    if (!types.ok()) return types.status();
    std::vector<std::string> out;
    for (const ProfileTypeInfo& t : *types) out.push_back(t.ToString());
    return out;
  }

  absl::StatusOr<std::vector<std::string>> LabelNames(const std::string& selector, int64_t start_ms,
                                                      int64_t end_ms) override {
    auto range = RangeOf(start_ms, end_ms);
    if (!range.ok()) return range.status();
    auto matchers = ParseSelectorMatchers(selector);
    if (!matchers.ok()) return matchers.status();
    return engine_.LabelNames(options_.tenant, *matchers, range->start, range->end);
  }

  absl::StatusOr<std::vector<std::string>> LabelValues(const std::string& name, const std::string& selector,
                                                       int64_t start_ms, int64_t end_ms) override {
    auto range = RangeOf(start_ms, end_ms);
    if (!range.ok()) return range.status();
    auto matchers = ParseSelectorMatchers(selector);
    if (!matchers.ok()) return matchers.status();
    return engine_.LabelValues(options_.tenant, name, *matchers, range->start, range->end);
  }

  absl::StatusOr<std::vector<LabelSet>> Series(const std::string& selector, const std::vector<std::string>& label_names,
                                               int64_t start_ms, int64_t end_ms) override {
    auto range = RangeOf(start_ms, end_ms);
    if (!range.ok()) return range.status();
    auto matchers = ParseSelectorMatchers(selector);
    if (!matchers.ok()) return matchers.status();
    return engine_.Series(options_.tenant, *matchers, label_names, range->start, range->end);
  }

  absl::StatusOr<Tree> MergeTree(const BackendSelection& selection, int64_t max_nodes) override {
    auto sel = Selection(selection);
    if (!sel.ok()) return sel.status();
    return engine_.SelectMergeTree(*sel);
  }

  absl::StatusOr<std::string> MergePprof(const BackendSelection& selection) override {
    auto sel = Selection(selection);
    if (!sel.ok()) return sel.status();
    auto profile = engine_.SelectMergeProfile(*sel);
    if (!profile.ok()) return profile.status();
    PprofWriteOptions options;
    options.gzip = false;
    return WritePprof(*profile, options);
  }

  absl::StatusOr<std::vector<TimeSeries>> SelectSeries(const BackendSelection& selection,
                                                       const SeriesOptions& options) override {
    auto sel = Selection(selection);
    if (!sel.ok()) return sel.status();
    return engine_.SelectSeries(*sel, options);
  }

  absl::StatusOr<std::vector<HeatmapSeries>> SelectHeatmap(const BackendSelection& selection,
                                                           const HeatmapOptions& options) override {
    auto sel = Selection(selection);
    if (!sel.ok()) return sel.status();
    return engine_.SelectHeatmap(*sel, options);
  }

  absl::StatusOr<std::vector<ProfileSummary>> SelectProfiles(const BackendSelection& selection,
                                                             uint64_t limit) override {
    auto sel = Selection(selection);
    if (!sel.ok()) return sel.status();
    return engine_.SelectProfiles(*sel, limit);
  }

  absl::StatusOr<DataStats> Stats() override { return engine_.GetDataStats(options_.tenant); }

  std::string Describe() const override { return fmt::format("data directory {}", options_.data_dir); }

 private:
  absl::StatusOr<ProfileSelection> Selection(const BackendSelection& in) const {
    ProfileSelection sel;
    sel.tenant = options_.tenant;
    sel.profile_type = in.profile_type;
    auto range = RangeOf(in.start_ms, in.end_ms);
    if (!range.ok()) return range.status();
    sel.start_nanos = range->start;
    sel.end_nanos = range->end;
    auto matchers = ParseSelectorMatchers(in.label_selector);
    if (!matchers.ok()) return matchers.status();
    sel.matchers = *std::move(matchers);
    for (const std::string& span : in.span_ids) {
      uint64_t id = 0;
      if (span.size() != 16 || !ParseHex64(span, &id)) {
        return absl::InvalidArgumentError(fmt::format("span id {:?} is not 16 hex digits", span));
      }
      sel.span_ids.push_back(id);
    }
    for (const std::string& text : in.profile_ids) {
      storage::ProfileId id;
      if (!storage::ParseProfileId(text, &id)) {
        return absl::InvalidArgumentError(fmt::format("profile id {:?} is not a UUID", text));
      }
      sel.profile_ids.push_back(id);
    }
    return sel;
  }

  const StorageBackendOptions options_;
  std::unique_ptr<storage::ObjectStore> store_;
  std::unique_ptr<storage::Metastore> metastore_;
  QueryEngine engine_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<ProfileBackend>> OpenStorageBackend(const StorageBackendOptions& options) {
  if (options.data_dir.empty()) return absl::InvalidArgumentError("storage mode needs a data directory path");
  storage::LocalObjectStoreOptions store_options;
  store_options.read_only = true;
  auto store = storage::OpenLocalObjectStore(options.data_dir + "/objects", store_options);
  if (!store.ok()) {
    return absl::NotFoundError(fmt::format("{} is not a kiln data directory: {}", options.data_dir, store.status()));
  }
  auto metastore = storage::OpenLocalMetastoreReader(options.data_dir + "/meta");
  if (!metastore.ok()) {
    return absl::NotFoundError(
        fmt::format("{} is not a kiln data directory: {}", options.data_dir, metastore.status()));
  }
  return std::make_unique<StorageBackend>(options, *std::move(store), *std::move(metastore));
}

}  // namespace kiln::plugin
