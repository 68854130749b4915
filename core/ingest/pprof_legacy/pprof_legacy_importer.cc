#include "kiln/ingest/pprof_legacy_importer.h"

#include <re2/re2.h>

#include <string>
#include <vector>

#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/base/gzip.h"
#include "kiln/base/status_macros.h"
#include "core/ingest/pprof_legacy/contention_profile_parser.h"
#include "core/ingest/pprof_legacy/count_profile_parser.h"
#include "core/ingest/pprof_legacy/cpu_profile_parser.h"
#include "core/ingest/pprof_legacy/go_symbol_comments.h"
#include "core/ingest/pprof_legacy/heap_profile_parser.h"
#include "core/ingest/pprof_legacy/java_profile_parser.h"
#include "core/ingest/pprof_legacy/profile_builder.h"
#include "core/ingest/pprof_legacy/text_lines.h"
#include "core/ingest/pprof_legacy/thread_profile_parser.h"

namespace kiln {
namespace {

using pprof_legacy::LegacyProfile;

struct LegacyFormat {
  std::string_view name;
  absl::StatusOr<LegacyProfile> (*parse)(std::string_view);
  bool go_comments;  // may carry runtime/pprof's "#\t0x…" symbol comments
};

// google/pprof's order: the first parser that recognizes the data decides.
constexpr LegacyFormat kFormats[] = {
    {"binary CPU profile", pprof_legacy::ParseCpuProfile, false},
    {"heap profile", pprof_legacy::ParseHeapProfile, true},
    {"count profile", pprof_legacy::ParseCountProfile, true},
    {"thread profile", pprof_legacy::ParseThreadProfile, true},
    {"contention profile", pprof_legacy::ParseContentionProfile, true},
    {"Java profile", pprof_legacy::ParseJavaProfile, false},
};

// How much of the input Sniff looks at for the first meaningful line.
constexpr size_t kSniffBytes = 4096;

re2::StringPiece Piece(std::string_view s) { return re2::StringPiece(s.data(), s.size()); }

bool IsHeapHeader(std::string_view line) {
  static const RE2* re = new RE2(
      R"(heap profile: *\d+: *\d+ *\[ *\d+: *\d+ *\](?: *@ *heap| @ growth| @ fragmentation))");
  return RE2::PartialMatch(Piece(line), *re);
}

bool IsCountHeader(std::string_view line) {
  static const RE2* re = new RE2(R"(\A\S+ profile: total \d+\z)");
  return RE2::FullMatch(Piece(line), *re);
}

bool IsThreadHeader(std::string_view line) {
  static const RE2* re =
      new RE2(R"(--- threadz \d+ ---|--- Thread [[:xdigit:]]+ \(name: .*/\d+\) stack: ---)");
  return RE2::PartialMatch(Piece(line), *re);
}

int SniffText(std::string_view data) {
  std::string_view head = data.substr(0, kSniffBytes);
  pprof_legacy::TextLines lines(head);
  if (!lines.Next()) return 0;
  const std::string_view first = lines.line();
  // Headers that must be the very first line.
  if (IsHeapHeader(first)) return 95;
  if (first.starts_with("--- contentionz ") || first.starts_with("--- mutex:") ||
      first.starts_with("--- contention:")) {
    return 95;
  }
  const std::string_view trimmed = pprof_legacy::TrimSpace(first);
  if (trimmed == "--- heapz 1 ---" && data.find('\n') != std::string_view::npos) return 95;
  // Headers that may follow blank and '#' lines.
  std::string_view line = first;
  while (pprof_legacy::IsSpaceOrComment(line)) {
    if (!lines.Next()) return 0;
    line = lines.line();
  }
  if (IsCountHeader(line) || IsThreadHeader(line)) return 95;
  return 0;
}

class PprofLegacyImporter : public Importer {
 public:
  std::string_view format() const override { return "pprof-legacy"; }

  int Sniff(std::string_view data) const override {
    if (IsGzip(data)) return 0;  // the registry un-gzips before sniffing
    if (pprof_legacy::HasCpuProfileHeader(data)) return 100;
    return SniffText(data);
  }

  absl::StatusOr<std::vector<Profile>> Import(std::string_view data,
                                              const ImportOptions& options) const override {
    ASSIGN_OR_RETURN(Profile p, ParsePprofLegacy(data, options));
    std::vector<Profile> out;
    out.push_back(std::move(p));
    return out;
  }
};

}  // namespace

std::unique_ptr<Importer> NewPprofLegacyImporter() {
  return std::make_unique<PprofLegacyImporter>();
}

absl::StatusOr<Profile> ParsePprofLegacy(std::string_view data, const ImportOptions& options) {
  std::string inflated;
  if (IsGzip(data)) {
    ASSIGN_OR_RETURN(inflated, Gunzip(data, options.max_decompressed_bytes));
    data = inflated;
  }
  if (data.empty()) return absl::InvalidArgumentError("empty input");
  std::string tried;
  for (const LegacyFormat& format : kFormats) {
    absl::StatusOr<LegacyProfile> legacy = format.parse(data);
    if (!legacy.ok()) {
      if (!pprof_legacy::IsNotThisFormat(legacy.status())) {
        return absl::Status(legacy.status().code(),
                            fmt::format("{}: {}", format.name, legacy.status().message()));
      }
      tried += fmt::format("; {}: {}", format.name, legacy.status().message());
      continue;
    }
    if (format.go_comments) pprof_legacy::ApplyGoSymbolComments(data, &*legacy);
    return pprof_legacy::BuildProfile(*legacy, options);
  }
  return absl::InvalidArgumentError(
      fmt::format("not a legacy pprof profile ({} bytes){}", data.size(), tried));
}

}  // namespace kiln
