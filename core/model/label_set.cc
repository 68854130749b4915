#include "kiln/model/label_set.h"

#include <algorithm>

#include "kiln/base/fingerprint.h"

namespace kiln {

LabelSet::LabelSet(std::vector<Pair> pairs) {
  auto by_name = [](const Pair& a, const Pair& b) { return a.first < b.first; };
  if (!std::is_sorted(pairs.begin(), pairs.end(), by_name)) std::stable_sort(pairs.begin(), pairs.end(), by_name);
  // In place: for a repeated name the last value wins.
  size_t kept = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (kept > 0 && pairs[kept - 1].first == pairs[i].first) {
      pairs[kept - 1].second = std::move(pairs[i].second);
    } else {
      if (kept != i) pairs[kept] = std::move(pairs[i]);
      ++kept;
    }
  }
  pairs.resize(kept);
  std::erase_if(pairs, [](const Pair& p) { return p.second.empty(); });
  pairs_ = std::move(pairs);
}

std::string_view LabelSet::Get(std::string_view name) const {
  auto it = std::lower_bound(pairs_.begin(), pairs_.end(), name,
                             [](const Pair& p, std::string_view n) { return p.first < n; });
  if (it == pairs_.end() || it->first != name) return {};
  return it->second;
}

void LabelSet::Set(std::string_view name, std::string_view value) {
  auto it = std::lower_bound(pairs_.begin(), pairs_.end(), name,
                             [](const Pair& p, std::string_view n) { return p.first < n; });
  const bool found = it != pairs_.end() && it->first == name;
  if (value.empty()) {
    if (found) pairs_.erase(it);
  } else if (found) {
    it->second = value;
  } else {
    pairs_.insert(it, Pair(name, value));
  }
}

uint64_t LabelSet::Fingerprint() const {
  uint64_t h = kFingerprintSeed;
  for (const auto& [name, value] : pairs_) {
    h = FingerprintBytes(name, h);
    h = FingerprintBytes(std::string_view("\xff", 1), h);
    h = FingerprintBytes(value, h);
    h = FingerprintBytes(std::string_view("\xff", 1), h);
  }
  return FingerprintMix(h);
}

std::string LabelSet::ToString() const {
  std::string out = "{";
  for (size_t i = 0; i < pairs_.size(); ++i) {
    if (i > 0) out += ", ";
    out += pairs_[i].first;
    out += "=\"";
    for (char c : pairs_[i].second) {
      if (c == '"' || c == '\\') out += '\\';
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

}  // namespace kiln
