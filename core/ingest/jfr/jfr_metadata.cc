#include "core/ingest/jfr/jfr_metadata.h"

#include <charconv>
#include <utility>

#include "core/ingest/jfr/jfr_byte_reader.h"
#include "core/ingest/jfr/jfr_string.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"

namespace kiln::jfr {
namespace {

// Real metadata nests root > metadata > class > field > annotation; the
// limit only stops hostile input from recursing without bound.
constexpr int kMaxElementDepth = 16;

struct Element {
  uint32_t name = 0;
  std::vector<std::pair<uint32_t, uint32_t>> attributes;
  std::vector<Element> children;
};

class ElementReader {
 public:
  ElementReader(ByteReader* r, const std::vector<std::string>* strings)
      : r_(*r), strings_(*strings) {}

  void Read(Element* e, int depth) {
    if (depth > kMaxElementDepth) {
      r_.Fail(fmt::format("metadata elements nest deeper than {}", kMaxElementDepth));
      return;
    }
    e->name = StringIndex();
    // An attribute is two indexes, a child at least three integers.
    const uint32_t num_attributes = r_.Count("metadata attribute", 2);
    e->attributes.reserve(num_attributes);
    for (uint32_t i = 0; i < num_attributes && r_.ok(); ++i) {
      const uint32_t key = StringIndex();
      const uint32_t value = StringIndex();
      e->attributes.emplace_back(key, value);
    }
    const uint32_t num_children = r_.Count("metadata child element", 3);
    e->children.resize(num_children);
    for (uint32_t i = 0; i < num_children && r_.ok(); ++i) Read(&e->children[i], depth + 1);
  }

 private:
  uint32_t StringIndex() {
    const size_t at = r_.pos();
    const uint64_t index = r_.Int();
    if (r_.ok() && index >= strings_.size()) {
      r_.Seek(at);
      r_.Fail(fmt::format("metadata string index {} out of range (the table has {})", index,
                          strings_.size()));
      return 0;
    }
    return static_cast<uint32_t>(index);
  }

  ByteReader& r_;
  const std::vector<std::string>& strings_;
};

ValueKind KindOfName(std::string_view name) {
  static constexpr std::pair<std::string_view, ValueKind> kKinds[] = {
      {"boolean", ValueKind::kBoolean}, {"byte", ValueKind::kByte},
      {"char", ValueKind::kChar},       {"short", ValueKind::kShort},
      {"int", ValueKind::kInt},         {"long", ValueKind::kLong},
      {"float", ValueKind::kFloat},     {"double", ValueKind::kDouble},
      {"java.lang.String", ValueKind::kString},
  };
  for (const auto& [n, k] : kKinds) {
    if (n == name) return k;
  }
  return ValueKind::kStruct;
}

absl::StatusOr<int64_t> ParseId(std::string_view text, std::string_view what) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return absl::InvalidArgumentError(
        fmt::format("metadata: {} \"{}\" is not an integer", what, text.substr(0, 40)));
  }
  return v;
}

// Marks zero-width classes. A class that contains itself inline can never
// be encoded; it is treated as one byte wide and fails on the data.
void ComputeWidths(std::vector<Class>* classes) {
  enum State : uint8_t { kUnknown, kVisiting, kDone };
  std::vector<State> state(classes->size(), kUnknown);
  // Iterative DFS: (class, next field) frames.
  std::vector<std::pair<uint32_t, size_t>> stack;
  for (uint32_t root = 0; root < classes->size(); ++root) {
    if (state[root] != kUnknown) continue;
    stack.emplace_back(root, 0);
    state[root] = kVisiting;
    while (!stack.empty()) {
      auto& [ci, next] = stack.back();
      Class& c = (*classes)[ci];
      if (c.kind != ValueKind::kStruct) {
        c.zero_width = false;
        state[ci] = kDone;
        stack.pop_back();
        continue;
      }
      if (next == 0) c.zero_width = true;
      bool descended = false;
      while (next < c.fields.size()) {
        const Field& f = c.fields[next++];
        if (f.constant_pool || f.array || f.kind != ValueKind::kStruct) {
          c.zero_width = false;
          continue;
        }
        const uint32_t fi = f.class_index;
        if (state[fi] == kUnknown) {
          state[fi] = kVisiting;
          stack.emplace_back(fi, 0);
          descended = true;
          break;
        }
        if (state[fi] == kVisiting || !(*classes)[fi].zero_width) c.zero_width = false;
      }
      if (descended) continue;
      state[ci] = kDone;
      stack.pop_back();
      // Parent frames re-check this child when they resume: its field was
      // already consumed, so fold its width in now.
      if (!stack.empty()) {
        Class& parent = (*classes)[stack.back().first];
        if (!c.zero_width) parent.zero_width = false;
      }
    }
  }
}

}  // namespace

int Class::FieldIndex(std::string_view field_name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == field_name) return static_cast<int>(i);
  }
  return -1;
}

int Types::IndexOfId(int64_t id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? -1 : static_cast<int>(it->second);
}

int Types::IndexOfName(std::string_view name) const {
  auto it = by_name_.find(std::string(name));
  return it == by_name_.end() ? -1 : static_cast<int>(it->second);
}

absl::StatusOr<Types> ReadMetadata(std::string_view file, const ChunkHeader& chunk) {
  const size_t start = chunk.start + chunk.metadata_offset;
  ByteReader r(file, start, chunk.end(), chunk.compressed_integers());
  auto fail = [&](const absl::Status& s) {
    return absl::InvalidArgumentError(fmt::format("metadata event: {}", s.message()));
  };
  const uint64_t size = r.Int();
  const uint64_t type = r.Long();
  if (!r.ok()) return fail(r.status());
  if (type != 0) {
    return absl::InvalidArgumentError(fmt::format(
        "metadata event at byte {}: type id is {}, expected 0 (bad metadata offset?)", start,
        type));
  }
  if (size > chunk.end() - start) {
    return absl::InvalidArgumentError(fmt::format(
        "metadata event at byte {}: size {} runs past the end of the chunk", start, size));
  }
  (void)r.Long();  // start time
  (void)r.Long();  // duration
  (void)r.Long();  // metadata id

  std::vector<std::string> strings(r.Count("metadata string"));
  StringValue sv;
  for (size_t i = 0; i < strings.size() && r.ok(); ++i) {
    const size_t at = r.pos();
    ReadString(r, &sv);
    if (sv.is_pool_key) {
      r.Seek(at);
      r.Fail("metadata strings cannot refer to a constant pool");
    }
    strings[i] = std::move(sv.text);
  }
  Element root;
  ElementReader(&r, &strings).Read(&root, 0);
  if (!r.ok()) return fail(r.status());
  if (strings[root.name] != "root") {
    return absl::InvalidArgumentError(fmt::format(
        "metadata event at byte {}: top element is \"{}\", expected \"root\"", start,
        strings[root.name].substr(0, 40)));
  }

  auto attribute = [&](const Element& e, std::string_view key) -> const std::string* {
    for (const auto& [k, v] : e.attributes) {
      if (strings[k] == key) return &strings[v];
    }
    return nullptr;
  };

  Types types;
  // Classes first, so fields can refer to classes declared after them.
  std::vector<const Element*> class_elements;
  for (const Element& section : root.children) {
    if (strings[section.name] != "metadata") continue;
    for (const Element& e : section.children) {
      if (strings[e.name] == "class") class_elements.push_back(&e);
    }
  }
  types.classes_.reserve(class_elements.size());
  for (const Element* e : class_elements) {
    const std::string* id = attribute(*e, "id");
    const std::string* name = attribute(*e, "name");
    if (id == nullptr || name == nullptr) {
      return absl::InvalidArgumentError("metadata: a class element lacks its id or name");
    }
    Class c;
    auto parsed = ParseId(*id, "class id");
    if (!parsed.ok()) return parsed.status();
    c.id = *parsed;
    c.name = *name;
    if (const std::string* super = attribute(*e, "superType")) c.super_type = *super;
    c.kind = KindOfName(c.name);
    const uint32_t index = static_cast<uint32_t>(types.classes_.size());
    if (!types.by_id_.emplace(c.id, index).second) {
      return absl::InvalidArgumentError(
          fmt::format("metadata: class id {} is declared twice ({})", c.id, c.name));
    }
    types.by_name_.emplace(c.name, index);
    types.classes_.push_back(std::move(c));
  }
  for (size_t ci = 0; ci < class_elements.size(); ++ci) {
    Class& c = types.classes_[ci];
    for (const Element& fe : class_elements[ci]->children) {
      if (strings[fe.name] != "field") continue;
      const std::string* name = attribute(fe, "name");
      const std::string* type_id = attribute(fe, "class");
      if (name == nullptr || type_id == nullptr) {
        return absl::InvalidArgumentError(
            fmt::format("metadata: a field of class {} lacks its name or class", c.name));
      }
      auto tid = ParseId(*type_id, "field class");
      if (!tid.ok()) return tid.status();
      auto it = types.by_id_.find(*tid);
      if (it == types.by_id_.end()) {
        return absl::InvalidArgumentError(fmt::format(
            "metadata: field {}.{} has type id {}, which no class declares", c.name, *name, *tid));
      }
      Field f;
      f.name = *name;
      f.class_index = it->second;
      f.kind = types.classes_[it->second].kind;
      const std::string* cp = attribute(fe, "constantPool");
      f.constant_pool = cp != nullptr && *cp != "false";
      if (const std::string* dim = attribute(fe, "dimension")) {
        if (*dim == "1") {
          f.array = true;
        } else if (*dim != "0") {
          return absl::InvalidArgumentError(fmt::format(
              "metadata: field {}.{} has dimension {} (only 0 and 1 exist)", c.name, *name,
              dim->substr(0, 20)));
        }
      }
      c.fields.push_back(std::move(f));
    }
  }
  ComputeWidths(&types.classes_);
  return types;
}

}  // namespace kiln::jfr
