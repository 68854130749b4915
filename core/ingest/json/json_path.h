// Where a value sits in a JSON document, for error messages:
// "profiles[0].events[12].at".
//
// A path is a chain of links that live on the stack: Field() and Index()
// return a child that points at its parent, so a child must not outlive the
// path it was made from (make it in the scope or statement that uses it).
// Making one costs nothing; only ToString allocates, and only errors call it.
#ifndef KILN_CORE_INGEST_JSON_JSON_PATH_H_
#define KILN_CORE_INGEST_JSON_JSON_PATH_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace kiln {

class JsonPath {
 public:
  // The document itself.
  JsonPath() = default;

  JsonPath Field(std::string_view key) const { return JsonPath(this, key, kNoIndex); }
  JsonPath Index(size_t index) const { return JsonPath(this, {}, index); }

  // "profiles[0].events[12]"; "(top level)" for the document itself.
  std::string ToString() const;

 private:
  static constexpr size_t kNoIndex = static_cast<size_t>(-1);
  JsonPath(const JsonPath* parent, std::string_view key, size_t index)
      : parent_(parent), key_(key), index_(index) {}

  const JsonPath* parent_ = nullptr;
  std::string_view key_;
  size_t index_ = kNoIndex;
};

}  // namespace kiln

#endif  // KILN_CORE_INGEST_JSON_JSON_PATH_H_
