#include "core/ingest/jfr/jfr_chunk_constants.h"

#include <utility>

#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/base/status_macros.h"

namespace kiln::jfr {
namespace {

// Symbol -> Class -> Method is the deepest chain real files use.
constexpr int kMaxTextDepth = 6;

}  // namespace

uint32_t FrameNames::Intern(std::string_view name) {
  auto [it, inserted] = index_.try_emplace(std::string(name), static_cast<uint32_t>(names_.size()));
  if (inserted) names_.emplace_back(name);
  return it->second;
}

ChunkConstants::ChunkConstants(std::string_view file, const ChunkHeader& chunk, const Types& types,
                               const ConstantPools& pools, FrameNames* names, ImportStats* stats)
    : file_(file), chunk_(chunk), types_(types), pools_(pools), names_(*names), stats_(*stats) {
  stack_trace_class_ = types.IndexOfName("jdk.types.StackTrace");
  method_class_ = types.IndexOfName("jdk.types.Method");
  string_class_ = types.IndexOfName("java.lang.String");
}

void ChunkConstants::NoteMissing(std::string_view what, uint64_t key) {
  stats_.Note(ImportStat::invalid_references,
              fmt::format("chunk at byte {}: {} {} is not in the constant pool", chunk_.start, what,
                          key));
}

absl::StatusOr<std::string_view> ChunkConstants::Text(uint32_t class_index, uint64_t key) {
  return TextAt(class_index, key, 0);
}

absl::StatusOr<std::string_view> ChunkConstants::TextAt(uint32_t class_index, uint64_t key,
                                                        int depth) {
  const auto cache_key = std::make_pair(class_index, key);
  if (auto it = texts_.find(cache_key); it != texts_.end()) return std::string_view(it->second);
  std::string text;
  const Class& c = types_.at(class_index);
  std::optional<size_t> offset = pools_.Find(class_index, key);
  if (!offset.has_value()) {
    // Key 0 is how writers encode a null reference.
    if (key != 0) NoteMissing(c.name, key);
  } else if (depth < kMaxTextDepth) {
    ByteReader r(file_, *offset, chunk_.end(), chunk_.compressed_integers());
    ValueReader v(types_, &r);
    if (c.kind == ValueKind::kString) {
      StringValue s;
      ReadString(r, &s);
      if (s.is_pool_key) {
        ASSIGN_OR_RETURN(std::string_view pooled, TextAt(class_index, s.pool_key, depth + 1));
        text = pooled;
      } else {
        text = std::move(s.text);
      }
    } else if (c.kind == ValueKind::kStruct) {
      int field = c.FieldIndex("string");
      if (field < 0) field = c.FieldIndex("name");
      for (int i = 0; i < field && r.ok(); ++i) v.SkipField(c.fields[i]);
      if (field >= 0 && r.ok()) {
        ASSIGN_OR_RETURN(text, FieldText(v, c.fields[field], depth + 1));
      }
    }
    if (!r.ok()) {
      return absl::InvalidArgumentError(
          fmt::format("{} constant {}: {}", c.name, key, r.status().message()));
    }
  }
  auto [it, inserted] = texts_.try_emplace(cache_key, std::move(text));
  return std::string_view(it->second);
}

absl::StatusOr<std::string> ChunkConstants::FieldText(ValueReader& v, const Field& f, int depth) {
  if (f.kind == ValueKind::kString) {
    StringValue s;
    v.ReadStringField(f, &s);
    if (!s.is_pool_key) return std::move(s.text);
    if (string_class_ < 0) return std::string();
    ASSIGN_OR_RETURN(std::string_view pooled,
                     TextAt(static_cast<uint32_t>(string_class_), s.pool_key, depth));
    return std::string(pooled);
  }
  if (f.constant_pool && !f.array) {
    const uint64_t key = v.bytes().Long();
    if (!v.bytes().ok()) return std::string();
    ASSIGN_OR_RETURN(std::string_view pooled, TextAt(f.class_index, key, depth));
    return std::string(pooled);
  }
  v.SkipField(f);
  return std::string();
}

absl::StatusOr<std::optional<uint32_t>> ChunkConstants::MethodName(uint64_t key) {
  if (auto it = methods_.find(key); it != methods_.end()) return it->second;
  std::optional<uint32_t> result;
  std::optional<size_t> offset =
      method_class_ < 0 ? std::nullopt : pools_.Find(static_cast<uint32_t>(method_class_), key);
  if (!offset.has_value()) {
    NoteMissing("jdk.types.Method", key);
  } else {
    const Class& c = types_.at(static_cast<uint32_t>(method_class_));
    ByteReader r(file_, *offset, chunk_.end(), chunk_.compressed_integers());
    ValueReader v(types_, &r);
    std::string class_name, method_name;
    for (const Field& f : c.fields) {
      if (!r.ok()) break;
      if (f.name == "type") {
        ASSIGN_OR_RETURN(class_name, FieldText(v, f, 0));
      } else if (f.name == "name") {
        ASSIGN_OR_RETURN(method_name, FieldText(v, f, 0));
      } else {
        v.SkipField(f);
      }
    }
    if (!r.ok()) {
      return absl::InvalidArgumentError(
          fmt::format("jdk.types.Method constant {}: {}", key, r.status().message()));
    }
    result = names_.Intern(class_name.empty() ? method_name
                                              : fmt::format("{}.{}", class_name, method_name));
  }
  methods_.emplace(key, result);
  return result;
}

absl::Status ChunkConstants::DecodeFrame(ValueReader& v, uint32_t frame_class,
                                         std::vector<ResolvedFrame>* out) {
  const Class& c = types_.at(frame_class);
  uint64_t method = 0;
  bool have_method = false;
  int64_t line = 0;
  for (const Field& f : c.fields) {
    if (!v.bytes().ok()) break;
    if (f.name == "method") {
      bool ok = false;
      method = static_cast<uint64_t>(v.ReadInteger(f, &ok));
      have_method = ok && f.constant_pool;
    } else if (f.name == "lineNumber") {
      line = v.ReadInteger(f);
    } else {
      v.SkipField(f);
    }
  }
  if (!v.bytes().ok()) return v.bytes().status();
  if (!have_method) {
    stats_.Note(ImportStat::invalid_references,
                fmt::format("chunk at byte {}: a stack frame has no method reference",
                            chunk_.start));
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(std::optional<uint32_t> name, MethodName(method));
  if (!name.has_value()) return absl::OkStatus();  // counted; the frame is dropped
  out->push_back({*name, line > 0 && line <= INT32_MAX ? static_cast<int32_t>(line) : 0});
  return absl::OkStatus();
}

absl::Status ChunkConstants::DecodeFrames(ValueReader& v, const Field& frames_field,
                                          std::vector<ResolvedFrame>* out) {
  ByteReader& r = v.bytes();
  const uint32_t n = frames_field.array ? r.Count("stack frame") : 1;
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    if (!frames_field.constant_pool) {
      RETURN_IF_ERROR(DecodeFrame(v, frames_field.class_index, out));
      continue;
    }
    const uint64_t key = r.Long();
    std::optional<size_t> offset = pools_.Find(frames_field.class_index, key);
    if (!offset.has_value()) {
      NoteMissing("jdk.types.StackFrame", key);
      continue;
    }
    ByteReader fr(file_, *offset, chunk_.end(), chunk_.compressed_integers());
    ValueReader fv(types_, &fr);
    RETURN_IF_ERROR(DecodeFrame(fv, frames_field.class_index, out));
  }
  return r.status();
}

absl::StatusOr<std::optional<std::span<const ResolvedFrame>>> ChunkConstants::StackTrace(
    uint64_t key) {
  using Result = std::optional<std::span<const ResolvedFrame>>;
  if (auto it = stacks_.find(key); it != stacks_.end()) {
    if (!it->second.has_value()) return Result();
    return Result(std::span<const ResolvedFrame>(*it->second));
  }
  std::optional<size_t> offset =
      stack_trace_class_ < 0 ? std::nullopt
                             : pools_.Find(static_cast<uint32_t>(stack_trace_class_), key);
  std::optional<std::vector<ResolvedFrame>> frames;
  if (!offset.has_value()) {
    // Key 0: no stack trace recorded for the event. Other missing keys are
    // counted by the caller, per event.
    if (key == 0) frames.emplace();
  } else {
    frames.emplace();
    const Class& c = types_.at(static_cast<uint32_t>(stack_trace_class_));
    ByteReader r(file_, *offset, chunk_.end(), chunk_.compressed_integers());
    ValueReader v(types_, &r);
    for (const Field& f : c.fields) {
      if (!r.ok()) break;
      if (f.name == "frames" && f.kind == ValueKind::kStruct) {
        absl::Status s = DecodeFrames(v, f, &*frames);
        if (!s.ok() && r.ok()) return s;
      } else {
        v.SkipField(f);
      }
    }
    if (!r.ok()) {
      return absl::InvalidArgumentError(
          fmt::format("jdk.types.StackTrace constant {}: {}", key, r.status().message()));
    }
  }
  auto [it, inserted] = stacks_.try_emplace(key, std::move(frames));
  if (!it->second.has_value()) return Result();
  return Result(std::span<const ResolvedFrame>(*it->second));
}

}  // namespace kiln::jfr
