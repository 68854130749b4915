#include "kiln/ingest/importer_registry.h"

#include <string>

#include "absl/status/status.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/base/gzip.h"
#include "kiln/base/status_macros.h"
#include "core/ingest/builtin_importers.h"

namespace kiln {
namespace {

// Extensions that hint at a format, used only to break sniffing ties.
bool HintMatches(std::string_view format, std::string_view hint) {
  struct Ext {
    std::string_view ext, format;
  };
  static constexpr Ext kExts[] = {
      {".pb", "pprof"},          {".pprof", "pprof"},           {".prof", "pprof"},
      {".txt", "collapsed"},     {".folded", "collapsed"},      {".collapsed", "collapsed"},
      {".perf", "perf-script"},  {".cpuprofile", "chrome"},
      {".heapprofile", "chrome"},    {".speedscope.json", "speedscope"}, {".jfr", "jfr"},
  };
  std::string_view name = hint;
  if (name.ends_with(".gz")) name.remove_suffix(3);
  for (const Ext& e : kExts) {
    if (e.format == format && name.ends_with(e.ext)) return true;
  }
  return false;
}

}  // namespace

const ImporterRegistry& ImporterRegistry::Default() {
  static const ImporterRegistry* registry = [] {
    auto* r = new ImporterRegistry();
    RegisterBuiltinImporters(r);
    return r;
  }();
  return *registry;
}

void ImporterRegistry::Register(std::unique_ptr<Importer> importer) {
  importers_.push_back(std::move(importer));
}

const Importer* ImporterRegistry::Find(std::string_view format) const {
  for (const auto& imp : importers_) {
    if (imp->format() == format) return imp.get();
  }
  return nullptr;
}

const Importer* ImporterRegistry::Detect(std::string_view plain_data,
                                         std::string_view filename_hint) const {
  const Importer* best = nullptr;
  int best_score = 0;
  for (const auto& imp : importers_) {
    int score = imp->Sniff(plain_data) * 2;
    if (score > 0 && HintMatches(imp->format(), filename_hint)) score += 1;
    if (score > best_score) {
      best = imp.get();
      best_score = score;
    }
  }
  return best;
}

absl::StatusOr<std::vector<Profile>> ImporterRegistry::Import(std::string_view data,
                                                              std::string_view filename_hint,
                                                              std::string_view format,
                                                              const ImportOptions& options) const {
  std::string inflated;
  if (IsGzip(data)) {
    ASSIGN_OR_RETURN(inflated, Gunzip(data, options.max_decompressed_bytes));
    data = inflated;
  }
  const Importer* importer = nullptr;
  if (!format.empty()) {
    importer = Find(format);
    if (importer == nullptr) {
      std::string known;
      for (const auto& imp : importers_) known += fmt::format(" {}", imp->format());
      return absl::InvalidArgumentError(
          fmt::format("unknown format '{}'; known formats:{}", format, known));
    }
  } else {
    importer = Detect(data, filename_hint);
    if (importer == nullptr) {
      std::string tried;
      for (const auto& imp : importers_) tried += fmt::format(" {}", imp->format());
      return absl::InvalidArgumentError(fmt::format(
          "unrecognized profile format ({} bytes); tried:{}", data.size(), tried));
    }
  }
  auto result = importer->Import(data, options);
  if (!result.ok()) {
    return absl::Status(result.status().code(),
                        fmt::format("{}: {}", importer->format(), result.status().message()));
  }
  return result;
}

}  // namespace kiln
