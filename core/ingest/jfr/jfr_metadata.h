// A chunk's type system, read from its metadata event: every class (event
// types, constant-pool types such as jdk.types.StackTrace, primitives) with
// its id, name and fields in wire order. Values in events and constant pools
// are not self-describing; this is the only way to walk them.
//
// Metadata event layout (integers in the chunk's encoding): size, type id 0,
// start, duration, metadata id, then a string table (count + strings), then
// an element tree: name index, attribute count, (key index, value index)*,
// child count, children. The root's "metadata" child holds "class" elements
// (attributes id, name, superType) whose "field" children carry name, class
// (the field's type id), constantPool and dimension.
//
// Invariants after ReadMetadata succeeds: every field's class_index is a
// valid index into classes(); kind is derived from the field type's name.
#ifndef KILN_INGEST_JFR_JFR_METADATA_H_
#define KILN_INGEST_JFR_JFR_METADATA_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "core/ingest/jfr/jfr_chunk_header.h"

namespace kiln::jfr {

// How one value of a class is encoded.
enum class ValueKind : uint8_t {
  kBoolean,  // 1 byte
  kByte,     // 1 byte
  kChar,     // integer encoding
  kShort,    // integer encoding
  kInt,      // integer encoding
  kLong,     // integer encoding
  kFloat,    // 4 raw bytes
  kDouble,   // 8 raw bytes
  kString,   // encoding byte + payload (see jfr_value_reader.h)
  kStruct,   // its fields in order
};

struct Field {
  std::string name;
  uint32_t class_index = 0;  // index of the field's type in Types::classes()
  ValueKind kind = ValueKind::kStruct;
  bool constant_pool = false;  // the value is a key into the type's pool
  bool array = false;          // a count, then that many values
};

struct Class {
  int64_t id = 0;
  std::string name;
  std::string super_type;
  ValueKind kind = ValueKind::kStruct;
  std::vector<Field> fields;
  // True when a value of this class occupies no bytes (a struct whose fields
  // are all such structs, e.g. annotation types): skipping it is a no-op.
  bool zero_width = false;

  // Index of the field named |name|, or -1.
  int FieldIndex(std::string_view name) const;
};

class Types {
 public:
  const std::vector<Class>& classes() const { return classes_; }
  const Class& at(uint32_t index) const { return classes_[index]; }
  // Index of the class with type id |id| / name |name|, or -1.
  int IndexOfId(int64_t id) const;
  int IndexOfName(std::string_view name) const;

 private:
  friend absl::StatusOr<Types> ReadMetadata(std::string_view file, const ChunkHeader& chunk);
  std::vector<Class> classes_;
  absl::flat_hash_map<int64_t, uint32_t> by_id_;
  absl::flat_hash_map<std::string, uint32_t> by_name_;
};

// Reads the metadata event the chunk header points at.
absl::StatusOr<Types> ReadMetadata(std::string_view file, const ChunkHeader& chunk);

}  // namespace kiln::jfr

#endif  // KILN_INGEST_JFR_JFR_METADATA_H_
