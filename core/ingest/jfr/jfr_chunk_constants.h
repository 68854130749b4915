// Resolves what events refer to in one chunk's constant pools: a stack trace
// key to its frames ("pkg/Class.method" names and line numbers, leaf first),
// a thread-state key to its name, any pooled value to its text. Results are
// cached for the life of the chunk.
//
// Frame names follow Pyroscope's JFR conversion (grafana/jfr-parser): the
// class name as the recording stores it (JVM internal form, slashes between
// packages), ".", the method name; frames whose class has no name are named
// by the method alone. A reference to a missing constant drops that frame
// (or, for a stack trace, the sample) and is counted as invalid_references.
#ifndef KILN_INGEST_JFR_JFR_CHUNK_CONSTANTS_H_
#define KILN_INGEST_JFR_JFR_CHUNK_CONSTANTS_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/node_hash_map.h"
#include "absl/status/statusor.h"
#include "core/ingest/jfr/jfr_chunk_header.h"
#include "core/ingest/jfr/jfr_constant_pools.h"
#include "core/ingest/jfr/jfr_metadata.h"
#include "core/ingest/jfr/jfr_value_reader.h"
#include "kiln/base/import_stats.h"

namespace kiln::jfr {

// Frame names shared by every chunk of a file, so that chunks (and the
// profiles built from them) agree on name ids.
class FrameNames {
 public:
  uint32_t Intern(std::string_view name);
  const std::string& at(uint32_t id) const { return names_[id]; }

 private:
  std::vector<std::string> names_;
  absl::flat_hash_map<std::string, uint32_t> index_;
};

struct ResolvedFrame {
  uint32_t name = 0;  // FrameNames id
  int32_t line = 0;   // 0 when unknown
};

class ChunkConstants {
 public:
  ChunkConstants(std::string_view file, const ChunkHeader& chunk, const Types& types,
                 const ConstantPools& pools, FrameNames* names, ImportStats* stats);

  // Frames of stack trace |key|, leaf first; empty for key 0 (no stack);
  // nullopt when the key is not in the pool (not counted here). The span is valid
  // until the next call.
  absl::StatusOr<std::optional<std::span<const ResolvedFrame>>> StackTrace(uint64_t key);
  // The text of pooled value |key| of class |class_index|: the string itself
  // for java.lang.String, else its "string" or "name" field, followed through
  // further pool references (jdk.types.Symbol, java.lang.Class, ThreadState).
  // Empty when missing.
  absl::StatusOr<std::string_view> Text(uint32_t class_index, uint64_t key);

 private:
  absl::StatusOr<std::string_view> TextAt(uint32_t class_index, uint64_t key, int depth);
  absl::StatusOr<std::string> FieldText(ValueReader& v, const Field& f, int depth);
  absl::StatusOr<std::optional<uint32_t>> MethodName(uint64_t key);
  absl::Status DecodeFrames(ValueReader& v, const Field& frames_field,
                            std::vector<ResolvedFrame>* out);
  absl::Status DecodeFrame(ValueReader& v, uint32_t frame_class,
                           std::vector<ResolvedFrame>* out);
  void NoteMissing(std::string_view what, uint64_t key);

  std::string_view file_;
  const ChunkHeader& chunk_;
  const Types& types_;
  const ConstantPools& pools_;
  FrameNames& names_;
  ImportStats& stats_;

  int stack_trace_class_ = -1;
  int method_class_ = -1;
  int string_class_ = -1;

  // nullopt: the key is missing (already counted).
  absl::flat_hash_map<uint64_t, std::optional<std::vector<ResolvedFrame>>> stacks_;
  absl::flat_hash_map<uint64_t, std::optional<uint32_t>> methods_;
  // Node map: Text() hands out views of the cached strings.
  absl::node_hash_map<std::pair<uint32_t, uint64_t>, std::string> texts_;
};

}  // namespace kiln::jfr

#endif  // KILN_INGEST_JFR_JFR_CHUNK_CONSTANTS_H_
