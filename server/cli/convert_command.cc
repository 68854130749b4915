#include "server/cli/convert_command.h"

#include <fstream>
#include <iostream>
#include <memory>

#include "fmt/format.h"
#include "kiln/export/collapsed_writer.h"
#include "kiln/export/pprof_writer.h"
#include "kiln/export/speedscope_writer.h"
#include "kiln/query/tree_builder.h"
#include "server/cli/profile_input.h"

namespace kiln::cli {
namespace {

struct ConvertArgs {
  std::string input;
  std::string to;
  std::string sample_type;
  std::string output = "-";
  std::string format;
};

int WriteOutput(const std::string& path, const std::string& bytes) {
  if (path == "-") {
    std::cout.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    std::cout.flush();
    return std::cout ? 0 : 1;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    std::cerr << fmt::format("kiln convert: cannot write {}\n", path);
    return 1;
  }
  return 0;
}

int RunConvert(const ConvertArgs& args) {
  auto profiles = LoadProfiles(args.input, args.format);
  if (!profiles.ok()) {
    std::cerr << "kiln convert: " << profiles.status().message() << "\n";
    return 1;
  }
  auto ref = SelectSampleType(*profiles, args.sample_type);
  if (!ref.ok()) {
    std::cerr << "kiln convert: " << ref.status().message() << "\n";
    return 1;
  }
  const Profile& profile = (*profiles)[ref->profile];
  const ValueType& type = profile.sample_types[ref->type];
  std::string bytes;
  if (args.to == "pprof") {
    PprofWriteOptions options;
    // Without --sample-type a pprof keeps every sample type it had.
    options.sample_type_index = args.sample_type.empty() ? -1 : static_cast<int>(ref->type);
    auto written = WritePprof(profile, options);
    if (!written.ok()) {
      std::cerr << "kiln convert: " << written.status().message() << "\n";
      return 1;
    }
    bytes = *std::move(written);
  } else {
    Tree tree = BuildTree(profile, ref->type);
    bytes = args.to == "collapsed" ? WriteCollapsed(tree)
                                   : WriteSpeedscope(tree, fmt::format("{} {}", args.input, type.type),
                                                     type.unit);
  }
  return WriteOutput(args.output, bytes);
}

}  // namespace

void AddConvertCommand(CLI::App* app, int* exit_code) {
  auto args = std::make_shared<ConvertArgs>();
  CLI::App* cmd = app->add_subcommand("convert", "Convert a profile file to another format");
  cmd->add_option("input", args->input, "Profile file (any supported format, gzip ok; - for stdin)")
      ->required();
  cmd->add_option("--to", args->to, "Output format")
      ->required()
      ->check(CLI::IsMember({"collapsed", "pprof", "speedscope"}));
  cmd->add_option("--sample-type", args->sample_type,
                  "Sample type to keep: a name (cpu) or type/unit (alloc_space/bytes); "
                  "default: the profile's default type (pprof output keeps all types)");
  cmd->add_option("-o,--output", args->output, "Output file (default: stdout)");
  cmd->add_option("--format", args->format, "Input format, when detection should not decide");
  cmd->callback([args, exit_code] { *exit_code = RunConvert(*args); });
}

}  // namespace kiln::cli
