#include "kiln/ingest/firefox_importer.h"

#include <deque>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "core/ingest/firefox/gecko_thread_reader.h"
#include "core/ingest/json/json_document.h"
#include "core/ingest/json/json_sniff.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/base/status_macros.h"

namespace kiln {
namespace {

class FirefoxImporter final : public Importer {
 public:
  std::string_view format() const override { return "firefox"; }

  int Sniff(std::string_view data) const override {
    const std::string_view json = SkipJsonPreamble(data);
    if (!json.starts_with('{')) return 0;
    return ContainsJsonKey(json, "meta") && ContainsJsonKey(json, "threads") ? 90 : 0;
  }

  absl::StatusOr<std::vector<Profile>> Import(std::string_view data,
                                              const ImportOptions& options) const override {
    return ParseFirefoxProfile(data, options);
  }
};

// Old Gecko versions wrote threads and sub-process profiles as JSON
// strings inside the JSON; |storage| keeps their parsed documents alive.
absl::StatusOr<const Json*> Unwrap(const Json& value, const JsonPath& path,
                                   std::deque<Json>* storage) {
  if (!value.is_string()) return &value;
  auto parsed = ParseJsonDocument(value.get_ref<const std::string&>());
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        fmt::format("{} (a JSON string): {}", path.ToString(), parsed.status().message()));
  }
  return &storage->emplace_back(*std::move(parsed));
}

}  // namespace

absl::StatusOr<std::vector<Profile>> ParseFirefoxProfile(std::string_view data,
                                                         const ImportOptions& options) {
  ASSIGN_OR_RETURN(const Json doc, ParseJsonInput(data, options.max_decompressed_bytes));
  const JsonPath root;
  RETURN_IF_ERROR(ExpectObject(doc, root));
  // Paths and parsed JSON strings live in deques: their elements never move.
  std::deque<JsonPath> paths;
  std::deque<Json> storage;
  const Json* top = &doc;
  const JsonPath* top_path = &root;
  // Firefox DevTools' export wraps the Gecko profile: {"profile": {...}}.
  if (const Json* inner = FindField(doc, "profile");
      inner != nullptr && FindField(doc, "meta") == nullptr) {
    top_path = &paths.emplace_back(root.Field("profile"));
    ASSIGN_OR_RETURN(top, Unwrap(*inner, *top_path, &storage));
  }
  std::vector<std::pair<const Json*, const JsonPath*>> pending = {{top, top_path}};
  std::vector<Profile> out;
  size_t threads_seen = 0;
  while (!pending.empty()) {
    const auto [gecko, path] = pending.back();
    pending.pop_back();
    RETURN_IF_ERROR(ExpectObject(*gecko, *path));
    ASSIGN_OR_RETURN(const Json* meta, RequireField(*gecko, "meta", *path));
    const JsonPath& meta_path = paths.emplace_back(path->Field("meta"));
    RETURN_IF_ERROR(ExpectObject(*meta, meta_path));
    if (FindField(*meta, "preprocessedProfileVersion") != nullptr) {
      return absl::UnimplementedError(fmt::format(
          "{}: a profile processed by profiler.firefox.com (preprocessedProfileVersion); Kiln "
          "reads the Gecko profiler's raw format only",
          meta_path.Field("preprocessedProfileVersion").ToString()));
    }
    ASSIGN_OR_RETURN(double interval, OptionalNumberField(*meta, "interval", meta_path, 0));
    ASSIGN_OR_RETURN(const Json* threads, RequireArrayField(*gecko, "threads", *path));
    const JsonPath& threads_path = paths.emplace_back(path->Field("threads"));
    for (size_t i = 0; i < threads->size(); ++i) {
      const JsonPath& thread_path = paths.emplace_back(threads_path.Index(i));
      ASSIGN_OR_RETURN(const Json* thread, Unwrap((*threads)[i], thread_path, &storage));
      ++threads_seen;
      ASSIGN_OR_RETURN(std::optional<Profile> p,
                       firefox::ReadGeckoThread(*thread, thread_path, interval, options));
      if (p) out.push_back(*std::move(p));
    }
    const Json* processes = FindField(*gecko, "processes");
    if (processes == nullptr || processes->is_null()) continue;
    const JsonPath& processes_path = paths.emplace_back(path->Field("processes"));
    RETURN_IF_ERROR(ExpectArray(*processes, processes_path));
    // Reversed, so processes come out in file order.
    for (size_t i = processes->size(); i-- > 0;) {
      const JsonPath& process_path = paths.emplace_back(processes_path.Index(i));
      ASSIGN_OR_RETURN(const Json* process, Unwrap((*processes)[i], process_path, &storage));
      pending.emplace_back(process, &process_path);
    }
  }
  if (out.empty()) {
    return absl::InvalidArgumentError(
        fmt::format("no samples: none of the {} thread(s) has a sample with a stack",
                    threads_seen));
  }
  return out;
}

std::unique_ptr<Importer> NewFirefoxImporter() { return std::make_unique<FirefoxImporter>(); }

}  // namespace kiln
