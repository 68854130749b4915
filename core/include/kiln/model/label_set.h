// A series' labels: name/value pairs sorted by name, names unique, with a
// stable fingerprint that identifies the series in storage.
//
// Invariants:
//  1. pairs() is sorted by name with no duplicate names and no empty values
//     (as in Prometheus, an empty value means the label is absent).
//  2. Fingerprint() depends only on the pairs and never changes across runs.
#ifndef KILN_MODEL_LABEL_SET_H_
#define KILN_MODEL_LABEL_SET_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiln {

class LabelSet {
 public:
  using Pair = std::pair<std::string, std::string>;

  LabelSet() = default;
  // Sorts |pairs|; for a repeated name the last value wins; empty values are dropped.
  explicit LabelSet(std::vector<Pair> pairs);
  LabelSet(std::initializer_list<Pair> pairs) : LabelSet(std::vector<Pair>(pairs)) {}

  const std::vector<Pair>& pairs() const { return pairs_; }
  size_t size() const { return pairs_.size(); }
  bool empty() const { return pairs_.empty(); }
  // The value of |name|, or "" when absent.
  std::string_view Get(std::string_view name) const;
  bool Has(std::string_view name) const { return !Get(name).empty(); }
  // Sets (or, with an empty value, removes) one label.
  void Set(std::string_view name, std::string_view value);
  uint64_t Fingerprint() const;
  // `{a="1", b="2"}` with Go-style quoting.
  std::string ToString() const;

  friend bool operator==(const LabelSet&, const LabelSet&) = default;
  friend bool operator<(const LabelSet& a, const LabelSet& b) { return a.pairs_ < b.pairs_; }

 private:
  std::vector<Pair> pairs_;
};

}  // namespace kiln

#endif  // KILN_MODEL_LABEL_SET_H_
