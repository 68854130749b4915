// Walks values in events and constant pools by their metadata: skips what
// the caller does not need and reads the integers, pool keys and strings it
// does. Nesting depth is bounded (kMaxValueDepth) and every array count is
// checked against the bytes left, so hostile metadata cannot make a walk
// recurse or loop without consuming input.
#ifndef KILN_INGEST_JFR_JFR_VALUE_READER_H_
#define KILN_INGEST_JFR_JFR_VALUE_READER_H_

#include <cstdint>

#include "core/ingest/jfr/jfr_byte_reader.h"
#include "core/ingest/jfr/jfr_metadata.h"
#include "core/ingest/jfr/jfr_string.h"

namespace kiln::jfr {

inline constexpr int kMaxValueDepth = 32;

class ValueReader {
 public:
  ValueReader(const Types& types, ByteReader* r) : types_(types), r_(*r) {}

  ByteReader& bytes() { return r_; }

  // Skips one value of |class_index| (not a pool key, not an array).
  void SkipValue(uint32_t class_index, int depth = 0);
  // Skips a whole field: its array count and elements, or its pool key.
  void SkipField(const Field& f, int depth = 0);

  // Reads a scalar field as an integer: a pool key for constant-pool
  // fields, the value for integer/boolean/byte/char fields, the truncated
  // value for float/double. Arrays, strings and inline structs are skipped
  // and read as 0 (|*ok| false when given).
  int64_t ReadInteger(const Field& f, bool* ok = nullptr);
  // Reads a string field (inline, or a key into the java.lang.String pool
  // when the field or the string encoding says so).
  void ReadStringField(const Field& f, StringValue* out);

 private:
  void SkipScalar(ValueKind kind);

  const Types& types_;
  ByteReader& r_;
};

}  // namespace kiln::jfr

#endif  // KILN_INGEST_JFR_JFR_VALUE_READER_H_
