#include "core/ingest/chrome/heap_profile_reader.h"

#include <vector>

#include "absl/status/status.h"
#include "core/ingest/chrome/v8_call_tree.h"
#include "core/ingest/json/weighted_stacks.h"
#include "fmt/format.h"
#include "kiln/base/status_macros.h"

namespace kiln::chrome {

absl::StatusOr<Profile> ReadHeapProfile(const Json& doc, const JsonPath& path,
                                        const ImportOptions& options) {
  RETURN_IF_ERROR(ExpectObject(doc, path));
  ASSIGN_OR_RETURN(const Json* head, RequireField(doc, "head", path));
  std::vector<double> self_sizes;
  auto read_self_size = [&](size_t index, const Json& node,
                            const JsonPath& node_path) -> absl::Status {
    ASSIGN_OR_RETURN(const Json* field, RequireField(node, "selfSize", node_path));
    const JsonPath size_path = node_path.Field("selfSize");
    ASSIGN_OR_RETURN(double size, ReadNumber(*field, size_path));
    if (size < 0) {
      return absl::InvalidArgumentError(
          fmt::format("{}: negative size {}", size_path.ToString(), size));
    }
    if (self_sizes.size() <= index) self_sizes.resize(index + 1, 0);
    self_sizes[index] = size;
    return absl::OkStatus();
  };
  ASSIGN_OR_RETURN(const V8CallTree tree,
                   V8CallTree::FromHeadTree(*head, path.Field("head"), read_self_size));

  Profile out;
  out.sample_types = {{"space", "bytes"}};
  out.default_sample_type = "space";
  std::vector<bool> truncated;
  const std::vector<StackId> stacks = tree.InternStacks(options, &out, &truncated);
  WeightedStacks weighted(/*num_types=*/1, options.max_samples);
  for (size_t i = 0; i < self_sizes.size(); ++i) {
    if (self_sizes[i] == 0) continue;
    if (truncated[i]) out.stats.Bump(ImportStat::stacks_truncated);
    const StackId stack = stacks[i] != 0 ? stacks[i] : V8CallTree::RootStack(options, &out);
    const double weight[] = {self_sizes[i]};
    RETURN_IF_ERROR(weighted.Add(stack, weight));
  }
  const double scale[] = {1};
  RETURN_IF_ERROR(weighted.WriteTo(scale, &out));
  if (out.num_samples() == 0) {
    return absl::InvalidArgumentError(fmt::format(
        "{}: no samples: every node's selfSize is 0", path.Field("head").ToString()));
  }
  return out;
}

}  // namespace kiln::chrome
