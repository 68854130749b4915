#include "core/ingest/chrome/trace_event_profiles.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "core/ingest/chrome/cpu_profile_reader.h"
#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/base/status_macros.h"

namespace kiln::chrome {
namespace {

// One CPU profile being put together from its events.
struct PendingProfile {
  size_t first_event = 0;  // index of its first event, for messages
  std::string thread;      // "pid:tid"
  Json profile = Json::object();
};

// "0x1" for a string id, its digits for a number, "pid:tid" without one.
absl::StatusOr<std::string> ProfileKey(const Json& event, const JsonPath& path,
                                       const std::string& thread) {
  const Json* id = FindField(event, "id");
  if (id == nullptr || id->is_null()) return thread;
  if (id->is_string()) return std::string(id->get_ref<const std::string&>());
  ASSIGN_OR_RETURN(int64_t n, ReadInteger(*id, path.Field("id")));
  return fmt::format("{}", n);
}

std::string ThreadOf(const Json& event) {
  auto part = [&](std::string_view key) -> std::string {
    const Json* v = FindField(event, key);
    if (v == nullptr) return "?";
    if (v->is_number_integer()) return fmt::format("{}", v->get<int64_t>());
    if (v->is_string()) return v->get_ref<const std::string&>();
    return "?";
  };
  return part("pid") + ":" + part("tid");
}

// Appends the elements of array |from| (if it is one) to array |to|.
absl::Status AppendArray(const Json* from, const JsonPath& path, Json* to) {
  if (from == nullptr || from->is_null()) return absl::OkStatus();
  RETURN_IF_ERROR(ExpectArray(*from, path));
  if (!to->is_null() && !to->is_array()) {
    return absl::InvalidArgumentError(fmt::format(
        "{}: cannot be joined to an earlier event's {} (not an array)", path.ToString(),
        DescribeJsonType(*to)));
  }
  if (to->is_null()) *to = Json::array();
  for (const Json& v : *from) to->push_back(v);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<Profile>> ReadTraceEventProfiles(const Json& events,
                                                            const JsonPath& path,
                                                            const ImportOptions& options) {
  RETURN_IF_ERROR(ExpectArray(events, path));
  // Events of interest, in trace time order (traces are not sorted).
  std::vector<std::pair<double, size_t>> order;
  absl::flat_hash_map<std::string, std::string> thread_names;
  for (size_t i = 0; i < events.size(); ++i) {
    const Json& e = events[i];
    const JsonPath event_path = path.Index(i);
    if (!e.is_object()) continue;
    const Json* name = FindField(e, "name");
    if (name == nullptr || !name->is_string()) continue;
    const std::string& n = name->get_ref<const std::string&>();
    if (n == "thread_name") {
      const Json* args = FindField(e, "args");
      const Json* thread = args != nullptr ? FindField(*args, "name") : nullptr;
      if (thread != nullptr && thread->is_string()) {
        thread_names[ThreadOf(e)] = thread->get_ref<const std::string&>();
      }
      continue;
    }
    if (n != "Profile" && n != "ProfileChunk" && n != "CpuProfile") continue;
    ASSIGN_OR_RETURN(double ts, OptionalNumberField(e, "ts", event_path, 0));
    order.emplace_back(ts, i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });

  std::vector<PendingProfile> pending;
  absl::flat_hash_map<std::string, size_t> pending_of_key;
  for (const auto& [ts, i] : order) {
    const Json& e = events[i];
    const JsonPath event_path = path.Index(i);
    const JsonPath args_path = event_path.Field("args");
    const JsonPath data_path = args_path.Field("data");
    const Json* args = FindField(e, "args");
    const Json* data = args != nullptr ? FindField(*args, "data") : nullptr;
    // Chrome writes some of these events without data; they carry nothing.
    if (data == nullptr || data->is_null()) continue;
    RETURN_IF_ERROR(ExpectObject(*data, data_path));
    const std::string thread = ThreadOf(e);
    ASSIGN_OR_RETURN(const std::string key, ProfileKey(e, event_path, thread));
    auto [it, inserted] = pending_of_key.try_emplace(key, pending.size());
    if (inserted) {
      PendingProfile p;
      p.first_event = i;
      p.thread = thread;
      p.profile["nodes"] = Json::array();
      p.profile["samples"] = Json::array();
      p.profile["timeDeltas"] = Json::array();
      pending.push_back(std::move(p));
    }
    Json& profile = pending[it->second].profile;
    const std::string& name = FindField(e, "name")->get_ref<const std::string&>();
    const Json* cpu_profile = FindField(*data, "cpuProfile");
    const JsonPath cpu_path = data_path.Field("cpuProfile");
    if (cpu_profile != nullptr) RETURN_IF_ERROR(ExpectObject(*cpu_profile, cpu_path));
    if (name == "CpuProfile") {
      // A whole profile in one event.
      if (cpu_profile == nullptr) continue;
      profile = *cpu_profile;
      continue;
    }
    for (std::string_view time_key : {"startTime", "endTime"}) {
      if (const Json* t = FindField(*data, time_key); t != nullptr && !t->is_null()) {
        RETURN_IF_ERROR(ReadNumber(*t, data_path.Field(time_key)).status());
        profile[std::string(time_key)] = *t;
      }
    }
    if (cpu_profile != nullptr) {
      RETURN_IF_ERROR(AppendArray(FindField(*cpu_profile, "nodes"), cpu_path.Field("nodes"),
                                  &profile["nodes"]));
      RETURN_IF_ERROR(AppendArray(FindField(*cpu_profile, "samples"),
                                  cpu_path.Field("samples"), &profile["samples"]));
    }
    RETURN_IF_ERROR(AppendArray(FindField(*data, "timeDeltas"), data_path.Field("timeDeltas"),
                                &profile["timeDeltas"]));
  }
  if (pending.empty()) {
    return absl::InvalidArgumentError(fmt::format(
        "{}: no CPU profile in the trace (no \"Profile\", \"ProfileChunk\" or \"CpuProfile\" "
        "event with data)",
        path.ToString()));
  }
  std::vector<Profile> out;
  for (const PendingProfile& p : pending) {
    // Paths inside the joined profile are relative to it; say which it is.
    auto profile = ReadCpuProfile(p.profile, JsonPath(), options);
    if (!profile.ok()) {
      return absl::Status(profile.status().code(),
                          fmt::format("the CPU profile that starts at {} (its events joined): {}",
                                      path.Index(p.first_event).ToString(),
                                      profile.status().message()));
    }
    auto name = thread_names.find(p.thread);
    if (name != thread_names.end()) profile->labels.emplace_back("thread_name", name->second);
    out.push_back(*std::move(profile));
  }
  return out;
}

}  // namespace kiln::chrome
