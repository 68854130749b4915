#include "server/cli/top_command.h"

#include <iostream>
#include <memory>

#include "fmt/format.h"
#include "kiln/query/top_table.h"
#include "kiln/query/tree_builder.h"
#include "kiln/query/value_format.h"
#include "server/cli/profile_input.h"

namespace kiln::cli {
namespace {

struct TopArgs {
  std::string input;
  std::string sample_type;
  std::string format;
  int nodecount = 20;
};

int RunTop(const TopArgs& args) {
  auto profiles = LoadProfiles(args.input, args.format);
  if (!profiles.ok()) {
    std::cerr << "kiln top: " << profiles.status().message() << "\n";
    return 1;
  }
  auto ref = SelectSampleType(*profiles, args.sample_type);
  if (!ref.ok()) {
    std::cerr << "kiln top: " << ref.status().message() << "\n";
    return 1;
  }
  const Profile& profile = (*profiles)[ref->profile];
  const ValueType& type = profile.sample_types[ref->type];
  TopTable table = ComputeTopTable(BuildTree(profile, ref->type));
  const size_t shown = args.nodecount <= 0 ? table.rows.size()
                                           : std::min<size_t>(args.nodecount, table.rows.size());
  int64_t shown_flat = 0;
  for (size_t i = 0; i < shown; ++i) shown_flat += table.rows[i].flat;
  auto pct = [&](int64_t v) {
    return table.total == 0 ? std::string("0%") : fmt::format("{:.2f}%", 100.0 * v / table.total);
  };
  std::cout << fmt::format("Type: {}\n", type.type);
  std::cout << fmt::format("Showing nodes accounting for {}, {} of {} total\n",
                           FormatValue(shown_flat, type.unit), pct(shown_flat),
                           FormatValue(table.total, type.unit));
  std::cout << fmt::format("Showing top {} nodes out of {}\n", shown, table.rows.size());
  std::cout << fmt::format("{:>10} {:>7} {:>7} {:>10} {:>7}  {}\n", "flat", "flat%", "sum%", "cum",
                           "cum%", "name");
  int64_t sum = 0;
  for (size_t i = 0; i < shown; ++i) {
    const TopRow& r = table.rows[i];
    sum += r.flat;
    std::cout << fmt::format("{:>10} {:>7} {:>7} {:>10} {:>7}  {}\n", FormatValue(r.flat, type.unit),
                             pct(r.flat), pct(sum), FormatValue(r.cum, type.unit), pct(r.cum), r.name);
  }
  return 0;
}

}  // namespace

void AddTopCommand(CLI::App* app, int* exit_code) {
  auto args = std::make_shared<TopArgs>();
  CLI::App* cmd = app->add_subcommand("top", "Print the functions with the most flat (self) value");
  cmd->add_option("input", args->input, "Profile file (any supported format; - for stdin)")->required();
  cmd->add_option("--sample-type", args->sample_type,
                  "Sample type: a name (cpu) or type/unit; default: the profile's default type");
  cmd->add_option("--nodecount", args->nodecount, "Rows to print (0 = all)")->capture_default_str();
  cmd->add_option("--format", args->format, "Input format, when detection should not decide");
  cmd->callback([args, exit_code] { *exit_code = RunTop(*args); });
}

}  // namespace kiln::cli
