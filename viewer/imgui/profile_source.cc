#include "viewer/imgui/profile_source.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <utility>

#include "absl/status/status.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/base/status_macros.h"
#include "kiln/ingest/importer_registry.h"
#include "kiln/model/profile_type.h"
#include "kiln/query/tree_builder.h"
#include "kiln/query/tree_bytes.h"
#include "querier/v1/querier.pb.h"
#include "server/client/connect_client.h"

namespace kiln::viewer::imgui {
namespace {

std::string TypeName(const ValueType& t) { return fmt::format("{}/{}", t.type, t.unit); }

std::string FileName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

absl::StatusOr<Profile> FirstProfile(const std::string& path) {
  ASSIGN_OR_RETURN(std::vector<Profile> profiles, ImportFile(path));
  if (profiles.empty() || profiles[0].sample_types.empty()) {
    return absl::InvalidArgumentError(fmt::format("{}: the file has no sample types", path));
  }
  return std::move(profiles[0]);
}

}  // namespace

absl::StatusOr<std::vector<Profile>> ImportFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(fmt::format("{}: cannot open file", path));
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return absl::DataLossError(fmt::format("{}: read error", path));
  auto profiles = ImporterRegistry::Default().Import(data, path);
  if (!profiles.ok()) {
    return absl::Status(profiles.status().code(), fmt::format("{}: {}", path, profiles.status().message()));
  }
  return profiles;
}

absl::StatusOr<size_t> FindSampleType(const Profile& profile, const std::string& spec) {
  if (profile.sample_types.empty()) return absl::InvalidArgumentError("the profile has no sample types");
  if (spec.empty()) return profile.DefaultTypeIndex();
  std::string known;
  for (size_t i = 0; i < profile.sample_types.size(); ++i) {
    const ValueType& t = profile.sample_types[i];
    if (t.type == spec || TypeName(t) == spec) return i;
    if (!known.empty()) known += ", ";
    known += TypeName(t);
  }
  return absl::NotFoundError(fmt::format("no sample type '{}'; the profile has: {}", spec, known));
}

absl::StatusOr<LoadedGraph> LoadGraph(const std::string& path, const std::string& type_spec) {
  ASSIGN_OR_RETURN(Profile profile, FirstProfile(path));
  absl::StatusOr<size_t> type = FindSampleType(profile, type_spec);
  if (!type.ok()) return absl::Status(type.status().code(), fmt::format("{}: {}", path, type.status().message()));
  LoadedGraph out;
  out.sample_type = profile.sample_types[*type];
  out.title = fmt::format("{} — {}", FileName(path), TypeName(out.sample_type));
  const Tree tree = BuildTree(profile, *type);
  out.layout = std::make_shared<const DepthLayout>(DepthLayout::Build(tree));
  return out;
}

absl::StatusOr<LoadedGraph> LoadServerGraph(const ServerSelection& selection) {
  client::ConnectClientOptions options;
  options.url = selection.url;
  options.tenant = selection.tenant;
  options.bearer_token = selection.token;
  options.timeout = absl::Minutes(5);
  auto client = client::ConnectClient::Open(options);
  if (!client.ok()) return client.status();
  auto type = ProfileTypeId::Parse(selection.profile_type);
  if (!type.ok()) return type.status();
  querier::v1::SelectMergeStacktracesRequest request;
  request.set_profile_typeid(selection.profile_type);
  request.set_label_selector(selection.selector);
  request.set_start(selection.start_ms);
  request.set_end(selection.end_ms);
  request.set_max_nodes(1 << 20);
  request.set_format(querier::v1::PROFILE_FORMAT_TREE);
  querier::v1::SelectMergeStacktracesResponse response;
  RETURN_IF_ERROR((*client)->Call("/querier.v1.QuerierService/SelectMergeStacktraces", request, &response));
  absl::StatusOr<Tree> tree = ReadTreeBytes(response.tree());
  if (!tree.ok()) return absl::DataLossError(fmt::format("{}: {}", (*client)->Describe(), tree.status().message()));
  LoadedGraph out;
  out.sample_type = {type->sample_type, type->sample_unit};
  out.title = fmt::format("{} {} — {}", selection.url, selection.selector, TypeName(out.sample_type));
  out.layout = std::make_shared<const DepthLayout>(DepthLayout::Build(*tree));
  return out;
}

absl::StatusOr<LoadedGraph> LoadDiffGraph(const std::string& base, const std::string& next,
                                          const std::string& type_spec) {
  ASSIGN_OR_RETURN(Profile base_profile, FirstProfile(base));
  ASSIGN_OR_RETURN(Profile next_profile, FirstProfile(next));
  absl::StatusOr<size_t> base_type = FindSampleType(base_profile, type_spec);
  if (!base_type.ok()) {
    return absl::Status(base_type.status().code(), fmt::format("{}: {}", base, base_type.status().message()));
  }
  const ValueType& type = base_profile.sample_types[*base_type];
  absl::StatusOr<size_t> next_type = FindSampleType(next_profile, type_spec.empty() ? TypeName(type) : type_spec);
  if (!next_type.ok() && type_spec.empty()) next_type = FindSampleType(next_profile, type.type);
  if (!next_type.ok()) {
    return absl::Status(next_type.status().code(), fmt::format("{}: {}", next, next_type.status().message()));
  }
  LoadedGraph out;
  out.sample_type = type;
  out.title = fmt::format("{} → {} — {}", FileName(base), FileName(next), TypeName(type));
  const Tree base_tree = BuildTree(base_profile, *base_type);
  const Tree next_tree = BuildTree(next_profile, *next_type);
  out.layout = std::make_shared<const DepthLayout>(DepthLayout::BuildDiff(base_tree, next_tree));
  return out;
}

absl::StatusOr<ProfileSet> LoadProfileSet(const std::vector<std::string>& paths, const std::string& type_spec) {
  if (paths.empty()) return absl::InvalidArgumentError("no files to open");
  ProfileSet set;
  bool have_type = false;
  for (const std::string& path : paths) {
    ASSIGN_OR_RETURN(std::vector<Profile> profiles, ImportFile(path));
    for (Profile& p : profiles) {
      if (!have_type) {
        absl::StatusOr<size_t> first = FindSampleType(p, type_spec);
        if (!first.ok()) {
          return absl::Status(first.status().code(), fmt::format("{}: {}", path, first.status().message()));
        }
        set.sample_type = p.sample_types[*first];
        have_type = true;
      }
      const auto it = std::find(p.sample_types.begin(), p.sample_types.end(), set.sample_type);
      if (it == p.sample_types.end()) continue;
      set.type_index.push_back(static_cast<size_t>(it - p.sample_types.begin()));
      set.profiles.push_back(std::move(p));
    }
  }
  if (set.profiles.empty()) return absl::NotFoundError("no profile has the sample type asked for");
  set.synthetic_time = std::all_of(set.profiles.begin(), set.profiles.end(),
                                   [](const Profile& p) { return p.time_nanos == 0; });
  for (size_t i = 0; i < set.profiles.size(); ++i) {
    const Profile& p = set.profiles[i];
    set.points.push_back({set.synthetic_time ? static_cast<int64_t>(i) : p.time_nanos,
                          p.Total(set.type_index[i]), i});
  }
  return set;
}

absl::StatusOr<LoadedGraph> MergeSelection(const ProfileSet& set, const std::vector<uint64_t>& ids) {
  if (ids.empty()) return absl::InvalidArgumentError("the selection holds no profiles");
  Tree tree;
  for (uint64_t id : ids) {
    if (id >= set.profiles.size()) return absl::InvalidArgumentError(fmt::format("no profile #{}", id));
    AddProfileToTree(set.profiles[id], set.type_index[id], TreeOptions{}, &tree);
  }
  LoadedGraph out;
  out.sample_type = set.sample_type;
  out.title = fmt::format("{} of {} profiles — {}", ids.size(), set.profiles.size(), TypeName(set.sample_type));
  out.layout = std::make_shared<const DepthLayout>(DepthLayout::Build(tree));
  return out;
}

}  // namespace kiln::viewer::imgui
