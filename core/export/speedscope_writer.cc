#include "kiln/export/speedscope_writer.h"

#include <vector>

#include "nlohmann/json.hpp"

namespace kiln {

std::string WriteSpeedscope(const Tree& tree, std::string_view name, std::string_view unit) {
  using nlohmann::json;
  std::string su = "none";
  for (std::string_view u : {"nanoseconds", "microseconds", "milliseconds", "seconds", "bytes"}) {
    if (unit == u) su = std::string(u);
  }
  // Frame index per tree name id, assigned in first-use order.
  std::vector<int64_t> frame_of(tree.names().size(), -1);
  json frames = json::array();
  json samples = json::array();
  json weights = json::array();
  std::vector<int64_t> stack;
  for (Tree::NodeId i = 1; i < tree.size(); ++i) {
    if (tree.node(i).self == 0) continue;
    stack.clear();
    for (Tree::NodeId n = i; n != Tree::kRoot; n = tree.node(n).parent) {
      int64_t& f = frame_of[tree.node(n).name];
      if (f < 0) {
        f = static_cast<int64_t>(frames.size());
        frames.push_back({{"name", std::string(tree.name(n))}});
      }
      stack.push_back(f);
    }
    samples.push_back(json(std::vector<int64_t>(stack.rbegin(), stack.rend())));
    weights.push_back(tree.node(i).self);
  }
  json profile = {{"type", "sampled"},   {"name", std::string(name)}, {"unit", su},
                  {"startValue", 0},     {"endValue", tree.total()},  {"samples", samples},
                  {"weights", weights}};
  json doc = {{"$schema", "https://www.speedscope.app/file-format-schema.json"},
              {"shared", {{"frames", frames}}},
              {"profiles", json::array({profile})},
              {"name", std::string(name)},
              {"activeProfileIndex", 0},
              {"exporter", "kiln@0.1.0"}};
  // Names may hold invalid UTF-8 (raw bytes from symbol tables): replace, never throw.
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace kiln
