#include "core/ingest/pprof_legacy/heap_profile_parser.h"

#include <re2/re2.h>

#include <optional>
#include <string>

#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/base/status_macros.h"
#include "core/ingest/pprof_legacy/go_integer_syntax.h"
#include "core/ingest/pprof_legacy/heap_sample_scaling.h"
#include "core/ingest/pprof_legacy/hex_addresses.h"
#include "core/ingest/pprof_legacy/memory_map.h"
#include "core/ingest/pprof_legacy/text_lines.h"

namespace kiln::pprof_legacy {
namespace {

// google/pprof's header and sample expressions; unanchored, as there.
const RE2& HeapHeaderRe() {
  static const RE2* re = new RE2(
      R"(heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] *@ *(heap[_a-z0-9]*)/?(\d*))");
  return *re;
}
const RE2& GrowthHeaderRe() {
  static const RE2* re =
      new RE2(R"(heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] @ growthz?)");
  return *re;
}
const RE2& FragmentationHeaderRe() {
  static const RE2* re =
      new RE2(R"(heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] @ fragmentationz?)");
  return *re;
}
const RE2& HeapSampleRe() {
  static const RE2* re =
      new RE2(R"((-?\d+): *(-?\d+) *\[ *(\d+): *(\d+) *] @([ x0-9a-f]*))");
  return *re;
}

std::string Excerpt(std::string_view line) {
  if (line.size() <= 80) return std::string(line);
  return std::string(line.substr(0, 80)) + "…";
}

struct HeapHeader {
  bool scaled = false;  // Poisson-sampled ("v2"): values get unsampled
  int64_t period = 0;
  bool has_alloc = false;
};

absl::Status ParseHeapHeader(std::string_view line, HeapHeader* out) {
  std::string in[4], kind, rate;
  RE2::PartialMatch(re2::StringPiece(line.data(), line.size()), HeapHeaderRe(), &in[0], &in[1],
                    &in[2], &in[3], &kind, &rate);
  if (!rate.empty() && ParseGoInt(rate, 10, &out->period) != GoIntResult::kOk) {
    return absl::InvalidArgumentError(
        fmt::format("line 1: heap sampling rate {} is out of range", Excerpt(rate)));
  }
  // Alloc columns carry information only when they differ from the in-use
  // ones (the strings are compared, as pprof does).
  out->has_alloc = (in[2] != in[0] && in[2] != "0") || (in[3] != in[1] && in[3] != "0");
  if (kind == "heapz_v2" || kind == "heap_v2") {
    out->scaled = true;
  } else if (kind == "heapprofile") {
    out->period = 1;
  } else if (kind == "heap") {
    // Go writes 2*MemProfileRate here.
    out->scaled = true;
    out->period /= 2;
  } else {
    return absl::InvalidArgumentError(fmt::format(
        "line 1: unknown heap profile kind '{}' (known: heapprofile, heap, heap_v2, heapz_v2)",
        Excerpt(kind)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<LegacyProfile> ParseHeapProfile(std::string_view data) {
  TextLines lines(data);
  if (!lines.Next()) return NotThisFormat("empty input");
  const std::string_view first = lines.line();
  const re2::StringPiece first_piece(first.data(), first.size());
  LegacyProfile p;
  p.period_type = {"space", "bytes"};
  HeapHeader header;
  if (RE2::PartialMatch(first_piece, HeapHeaderRe())) {
    RETURN_IF_ERROR(ParseHeapHeader(first, &header));
    p.period = header.period;
  } else if (RE2::PartialMatch(first_piece, GrowthHeaderRe()) ||
             RE2::PartialMatch(first_piece, FragmentationHeaderRe())) {
    p.period = 1;
  } else {
    return NotThisFormat("first line is not a 'heap profile: … @ …' header");
  }
  if (header.has_alloc) {
    // alloc first, so that pprof's default (the last type) is inuse_space.
    p.sample_types = {{"alloc_objects", "count"},
                      {"alloc_space", "bytes"},
                      {"inuse_objects", "count"},
                      {"inuse_space", "bytes"}};
  } else {
    p.sample_types = {{"objects", "count"}, {"space", "bytes"}};
  }

  std::vector<uint64_t> addresses;
  while (lines.Next()) {
    const std::string_view line = TrimSpace(lines.line());
    if (IsSpaceOrComment(line)) continue;
    if (IsMemoryMapSentinel(line)) break;
    const size_t n = lines.number();
    std::string in_count, in_size, alloc_count, alloc_size, stack;
    if (!RE2::PartialMatch(re2::StringPiece(line.data(), line.size()), HeapSampleRe(), &in_count,
                           &in_size, &alloc_count, &alloc_size, &stack)) {
      return absl::InvalidArgumentError(fmt::format(
          "line {}: not a heap sample (want 'count: bytes [count: bytes] @ 0x… …'): {}", n,
          Excerpt(line)));
    }
    LegacySample sample;
    int64_t block_bytes = 0;
    // pprof's addValues: one count/size pair, scaled when sampled.
    auto add_values = [&](const std::string& count_text, const std::string& size_text,
                          std::string_view what) -> absl::Status {
      int64_t count, size;
      GoIntResult r;
      if ((r = ParseGoInt(count_text, 10, &count)) != GoIntResult::kOk ||
          (r = ParseGoInt(size_text, 10, &size)) != GoIntResult::kOk) {
        return absl::InvalidArgumentError(fmt::format("line {}: malformed sample: {}: {}", n,
                                                      GoIntResultText(r), Excerpt(line)));
      }
      if (count == 0 && size != 0) {
        return absl::InvalidArgumentError(fmt::format(
            "line {}: {} count was 0 but {} bytes was {}", n, what, what, size));
      }
      if (count != 0) {
        if (count == -1 && size == INT64_MIN) {
          return absl::InvalidArgumentError(fmt::format("line {}: {} bytes out of range", n, what));
        }
        block_bytes = size / count;
        if (header.scaled) {
          ScaledHeapValues scaled;
          if (!ScaleHeapSample(count, size, p.period, &scaled)) {
            return absl::InvalidArgumentError(fmt::format(
                "line {}: unsampling {} count {} bytes {} at rate {} overflows int64", n, what,
                count, size, p.period));
          }
          count = scaled.count;
          size = scaled.size;
        }
      }
      sample.values.push_back(count);
      sample.values.push_back(size);
      return absl::OkStatus();
    };
    if (header.has_alloc) RETURN_IF_ERROR(add_values(alloc_count, alloc_size, "allocation"));
    RETURN_IF_ERROR(add_values(in_count, in_size, "inuse"));
    addresses.clear();
    if (absl::Status s = ParseHexAddresses(stack, &addresses); !s.ok()) {
      return absl::InvalidArgumentError(fmt::format("line {}: malformed sample: {}", n, s.message()));
    }
    for (uint64_t a : addresses) {
      // Return addresses point after the call; step back onto it.
      sample.locations.push_back(p.LocationAt(a - 1));
    }
    sample.block_bytes = block_bytes;
    p.samples.push_back(std::move(sample));
  }
  ReadMemoryMapSection(&lines, &p);
  return p;
}

}  // namespace kiln::pprof_legacy
