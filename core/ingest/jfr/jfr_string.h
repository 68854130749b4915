// JFR's string encoding: one encoding byte, then
//   0 null | 1 empty | 2 constant-pool key (integer) into java.lang.String
//   3 UTF-8 bytes (count + bytes) | 4 UTF-16 code units (count + one integer
//   per unit) | 5 Latin-1 bytes (count + bytes).
// Text is returned as UTF-8; lone surrogates become U+FFFD.
#ifndef KILN_INGEST_JFR_JFR_STRING_H_
#define KILN_INGEST_JFR_JFR_STRING_H_

#include <cstdint>
#include <string>

#include "core/ingest/jfr/jfr_byte_reader.h"

namespace kiln::jfr {

struct StringValue {
  bool is_null = false;
  bool is_pool_key = false;  // |pool_key| names an entry of the java.lang.String pool
  uint64_t pool_key = 0;
  std::string text;
};

// Reads one string at the reader's position; failures are recorded in |r|.
void ReadString(ByteReader& r, StringValue* out);
// Skips one string without building its text.
void SkipString(ByteReader& r);

}  // namespace kiln::jfr

#endif  // KILN_INGEST_JFR_JFR_STRING_H_
