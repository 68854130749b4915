#include "viewer/qt/view_builder.h"

#include <algorithm>
#include <fstream>
#include <utility>

#include "absl/status/status.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/base/status_macros.h"
#include "kiln/ingest/importer_registry.h"
#include "kiln/viewer/recursion_collapse.h"

namespace kiln::viewer::qt {
namespace {

constexpr size_t kReadChunk = size_t{4} << 20;

absl::Status CheckCanceled(WorkControl* control) {
  if (control != nullptr && control->Canceled()) return absl::CancelledError("cancelled");
  return absl::OkStatus();
}

void Report(WorkControl* control, int percent, const std::string& what) {
  if (control != nullptr) control->Progress(std::clamp(percent, 0, 100), what);
}

// Linear progress inside [from, 100) of the job.
int Scaled(int from, int fraction_percent) { return from + (100 - from) * fraction_percent / 100; }

std::string TypeName(const ValueType& t) { return fmt::format("{}/{}", t.type, t.unit); }

// The tree as the view shows it: recursion collapsed on request.
Tree Shape(Tree tree, const ViewOptions& options) {
  return options.collapse_recursion ? CollapseRecursion(tree) : std::move(tree);
}

// Layout and top table of |tree|, into |view|.
absl::Status Finish(Tree tree, const ViewOptions& options, WorkControl* control, int from, FlameView* view) {
  RETURN_IF_ERROR(CheckCanceled(control));
  auto shown = std::make_shared<const Tree>(Shape(std::move(tree), options));
  Report(control, Scaled(from, 40), "laying out the flame graph");
  RETURN_IF_ERROR(CheckCanceled(control));
  view->layout = std::make_shared<const DepthLayout>(DepthLayout::Build(*shown));
  Report(control, Scaled(from, 85), "computing the top table");
  RETURN_IF_ERROR(CheckCanceled(control));
  view->top = std::make_shared<TopTableModel>(*shown);
  view->tree = std::move(shown);
  Report(control, 100, "done");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::shared_ptr<const ProfileDocument>> LoadDocument(const std::string& path,
                                                                    WorkControl* control,
                                                                    int progress_from, int progress_to) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return absl::NotFoundError(fmt::format("{}: cannot open file", path));
  const std::streamoff size = in.tellg();
  in.seekg(0);
  std::string data;
  data.reserve(size > 0 ? static_cast<size_t>(size) : 0);
  const int read_to = progress_from + (progress_to - progress_from) / 3;
  std::string chunk(kReadChunk, '\0');
  while (in) {
    RETURN_IF_ERROR(CheckCanceled(control));
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    data.append(chunk.data(), static_cast<size_t>(in.gcount()));
    const int done = size > 0 ? static_cast<int>(static_cast<double>(data.size()) / size * 100) : 100;
    Report(control, progress_from + (read_to - progress_from) * std::min(done, 100) / 100,
           fmt::format("reading {} ({:.1f} MB)", path, data.size() / 1e6));
  }
  if (in.bad()) return absl::DataLossError(fmt::format("{}: read error", path));
  RETURN_IF_ERROR(CheckCanceled(control));
  Report(control, read_to, fmt::format("importing {}", path));
  auto profiles = ImporterRegistry::Default().Import(data, path);
  if (!profiles.ok()) {
    return absl::Status(profiles.status().code(), fmt::format("{}: {}", path, profiles.status().message()));
  }
  RETURN_IF_ERROR(CheckCanceled(control));
  Report(control, progress_to, fmt::format("imported {}", path));
  return std::make_shared<const ProfileDocument>(path, *std::move(profiles));
}

absl::StatusOr<FlameView> BuildView(const ProfileDocument& document, SampleTypeChoice choice,
                                    const ViewOptions& options, WorkControl* control, int progress_from) {
  if (choice.profile >= document.profiles().size() ||
      choice.type >= document.profiles()[choice.profile].sample_types.size()) {
    return absl::InvalidArgumentError(fmt::format("{}: no sample type #{} in profile #{}", document.path(),
                                                  choice.type, choice.profile));
  }
  RETURN_IF_ERROR(CheckCanceled(control));
  Report(control, progress_from, "building the call tree");
  const Profile& profile = document.profiles()[choice.profile];
  FlameView view;
  view.sample_type = profile.sample_types[choice.type];
  view.title = fmt::format("{} — {}", document.file_name(), document.Describe(choice));
  auto sources = std::make_shared<SourceIndex>();
  sources->Add(profile);
  view.sources = std::move(sources);
  TreeOptions tree_options;
  tree_options.naming = options.naming;
  Tree tree = BuildTree(profile, choice.type, tree_options);
  RETURN_IF_ERROR(Finish(std::move(tree), options, control, progress_from, &view));
  return view;
}

absl::StatusOr<FlameView> BuildDiffView(const ProfileDocument& base, const ProfileDocument& next,
                                        const std::string& type_spec, const ViewOptions& options,
                                        WorkControl* control, int progress_from) {
  ASSIGN_OR_RETURN(SampleTypeChoice base_choice, base.Find(type_spec));
  const ValueType& type = base.TypeOf(base_choice);
  // Without a spec, the new side takes the base's type by name and unit
  // (then by name alone), so a diff never compares cpu with allocations.
  absl::StatusOr<SampleTypeChoice> next_choice =
      next.Find(type_spec.empty() ? TypeName(type) : type_spec);
  if (!next_choice.ok() && type_spec.empty()) next_choice = next.Find(type.type);
  if (!next_choice.ok()) return next_choice.status();
  RETURN_IF_ERROR(CheckCanceled(control));
  Report(control, progress_from, "building both call trees");
  TreeOptions tree_options;
  tree_options.naming = options.naming;
  auto base_tree = std::make_shared<const Tree>(
      Shape(BuildTree(base.profiles()[base_choice.profile], base_choice.type, tree_options), options));
  RETURN_IF_ERROR(CheckCanceled(control));
  auto next_tree = std::make_shared<const Tree>(
      Shape(BuildTree(next.profiles()[next_choice->profile], next_choice->type, tree_options), options));
  RETURN_IF_ERROR(CheckCanceled(control));
  Report(control, Scaled(progress_from, 40), "laying out the diff");

  FlameView view;
  view.is_diff = true;
  view.sample_type = type;
  view.title = fmt::format("{} → {} — {}", base.file_name(), next.file_name(), TypeName(type));
  auto sources = std::make_shared<SourceIndex>();
  sources->Add(next.profiles()[next_choice->profile]);
  sources->Add(base.profiles()[base_choice.profile]);
  view.sources = std::move(sources);
  view.layout = std::make_shared<const DepthLayout>(DepthLayout::BuildDiff(*base_tree, *next_tree));
  RETURN_IF_ERROR(CheckCanceled(control));
  Report(control, Scaled(progress_from, 85), "comparing the top tables");
  view.top = std::make_shared<TopTableModel>(*next_tree);
  view.share_changes = CompareShares(ComputeTopTable(*base_tree), ComputeTopTable(*next_tree));
  view.tree = std::move(next_tree);
  view.base_tree = std::move(base_tree);
  Report(control, 100, "done");
  return view;
}

absl::StatusOr<std::shared_ptr<const ProfileCollection>> CollectProfiles(
    std::vector<std::shared_ptr<const ProfileDocument>> documents, const std::string& type_spec) {
  if (documents.empty()) return absl::InvalidArgumentError("no files to collect profiles from");
  ASSIGN_OR_RETURN(SampleTypeChoice first, documents[0]->Find(type_spec));
  auto out = std::make_shared<ProfileCollection>();
  out->sample_type = documents[0]->TypeOf(first);
  for (size_t d = 0; d < documents.size(); ++d) {
    const auto& profiles = documents[d]->profiles();
    for (size_t p = 0; p < profiles.size(); ++p) {
      const auto& types = profiles[p].sample_types;
      for (size_t t = 0; t < types.size(); ++t) {
        if (types[t] == out->sample_type) {
          out->refs.push_back({d, p, t});
          break;
        }
      }
    }
  }
  if (out->refs.empty()) {
    return absl::NotFoundError(fmt::format("no profile has sample type {}", TypeName(out->sample_type)));
  }
  out->synthetic_time = std::all_of(out->refs.begin(), out->refs.end(), [&](const ProfileCollection::Ref& r) {
    return documents[r.document]->profiles()[r.profile].time_nanos == 0;
  });
  for (size_t i = 0; i < out->refs.size(); ++i) {
    const ProfileCollection::Ref& r = out->refs[i];
    const Profile& p = documents[r.document]->profiles()[r.profile];
    out->points.push_back({out->synthetic_time ? static_cast<int64_t>(i) : p.time_nanos, p.Total(r.type), i});
  }
  out->documents = std::move(documents);
  return std::shared_ptr<const ProfileCollection>(std::move(out));
}

absl::StatusOr<FlameView> BuildMergedView(const ProfileCollection& collection, const std::vector<uint64_t>& ids,
                                          const ViewOptions& options, WorkControl* control, int progress_from) {
  if (ids.empty()) return absl::InvalidArgumentError("the selection holds no profiles");
  Report(control, progress_from, fmt::format("merging {} profiles", ids.size()));
  TreeOptions tree_options;
  tree_options.naming = options.naming;
  Tree tree;
  auto sources = std::make_shared<SourceIndex>();
  for (size_t i = 0; i < ids.size(); ++i) {
    RETURN_IF_ERROR(CheckCanceled(control));
    if (ids[i] >= collection.refs.size()) {
      return absl::InvalidArgumentError(fmt::format("no profile #{} in the collection", ids[i]));
    }
    const ProfileCollection::Ref& r = collection.refs[ids[i]];
    const Profile& p = collection.documents[r.document]->profiles()[r.profile];
    AddProfileToTree(p, r.type, tree_options, &tree);
    sources->Add(p);
    Report(control, progress_from + (Scaled(progress_from, 40) - progress_from) * static_cast<int>(i + 1) /
                                        static_cast<int>(ids.size()),
           fmt::format("merged {} of {} profiles", i + 1, ids.size()));
  }
  FlameView view;
  view.sample_type = collection.sample_type;
  view.title = fmt::format("{} of {} profiles — {}", ids.size(), collection.refs.size(),
                           TypeName(collection.sample_type));
  view.sources = std::move(sources);
  RETURN_IF_ERROR(Finish(std::move(tree), options, control, progress_from, &view));
  return view;
}

}  // namespace kiln::viewer::qt
