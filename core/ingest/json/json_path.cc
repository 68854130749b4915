#include "core/ingest/json/json_path.h"

#include <vector>

#include "fmt/format.h"

namespace kiln {

std::string JsonPath::ToString() const {
  std::vector<const JsonPath*> links;
  for (const JsonPath* p = this; p != nullptr && p->parent_ != nullptr; p = p->parent_) {
    links.push_back(p);
  }
  if (links.empty()) return "(top level)";
  std::string out;
  for (auto it = links.rbegin(); it != links.rend(); ++it) {
    const JsonPath& link = **it;
    if (link.index_ != kNoIndex) {
      out += fmt::format("[{}]", link.index_);
    } else {
      if (!out.empty()) out += '.';
      out += link.key_;
    }
  }
  return out;
}

}  // namespace kiln
