#include "server/cli/diff_command.h"

#include <iostream>
#include <memory>

#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/query/top_table.h"
#include "kiln/query/tree_builder.h"
#include "kiln/query/value_format.h"
#include "server/cli/profile_input.h"

namespace kiln::cli {
namespace {

struct DiffArgs {
  std::string base;
  std::string next;
  std::string sample_type;
  int nodecount = 20;
};

struct Side {
  TopTable table;
  ValueType type;
};

absl::StatusOr<Side> LoadSide(const std::string& path, const std::string& sample_type) {
  auto profiles = LoadProfiles(path);
  if (!profiles.ok()) return profiles.status();
  auto ref = SelectSampleType(*profiles, sample_type);
  if (!ref.ok()) return absl::Status(ref.status().code(), fmt::format("{}: {}", path, ref.status().message()));
  const Profile& p = (*profiles)[ref->profile];
  return Side{ComputeTopTable(BuildTree(p, ref->type)), p.sample_types[ref->type]};
}

int RunDiff(const DiffArgs& args) {
  auto base = LoadSide(args.base, args.sample_type);
  if (!base.ok()) {
    std::cerr << "kiln diff: " << base.status().message() << "\n";
    return 1;
  }
  // Without --sample-type, compare the same type on both sides.
  auto next = LoadSide(args.next, args.sample_type.empty() ? base->type.type : args.sample_type);
  if (!next.ok()) {
    std::cerr << "kiln diff: " << next.status().message() << "\n";
    return 1;
  }
  if (base->type.unit != next->type.unit) {
    std::cerr << fmt::format("kiln diff: units differ: {} is {}, {} is {}\n", args.base,
                             base->type.unit, args.next, next->type.unit);
    return 1;
  }
  auto changes = CompareShares(base->table, next->table);
  const std::string& unit = base->type.unit;
  std::cout << fmt::format("Type: {}\n", base->type.type);
  std::cout << fmt::format("Total: base {}, new {}\n", FormatValue(base->table.total, unit),
                           FormatValue(next->table.total, unit));
  std::cout << fmt::format("{:>10} {:>10} {:>10} {:>10} {:>10}  {}\n", "base flat%", "new flat%",
                           "delta", "base cum%", "new cum%", "name");
  const size_t shown = args.nodecount <= 0 ? changes.size()
                                           : std::min<size_t>(args.nodecount, changes.size());
  for (size_t i = 0; i < shown; ++i) {
    const ShareChange& c = changes[i];
    std::cout << fmt::format("{:>9.2f}% {:>9.2f}% {:>+8.2f}pp {:>9.2f}% {:>9.2f}%  {}\n",
                             c.base_flat_pct, c.new_flat_pct, c.delta_flat_pct(), c.base_cum_pct,
                             c.new_cum_pct, c.name);
  }
  return 0;
}

}  // namespace

void AddDiffCommand(CLI::App* app, int* exit_code) {
  auto args = std::make_shared<DiffArgs>();
  CLI::App* cmd =
      app->add_subcommand("diff", "Show the functions whose share of the total changed most");
  cmd->add_option("base", args->base, "Baseline profile file")->required();
  cmd->add_option("new", args->next, "New profile file")->required();
  cmd->add_option("--sample-type", args->sample_type,
                  "Sample type on both sides; default: the base profile's default type");
  cmd->add_option("--nodecount", args->nodecount, "Rows to print (0 = all)")->capture_default_str();
  cmd->callback([args, exit_code] { *exit_code = RunDiff(*args); });
}

}  // namespace kiln::cli
