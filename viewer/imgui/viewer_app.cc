#include "viewer/imgui/viewer_app.h"

#include <chrono>
#include <utility>

#include <imgui_stdlib.h>

#include "fmt/format.h"

namespace kiln::viewer::imgui {
namespace {

template <typename T>
bool Ready(const std::future<T>& f) {
  return f.valid() && f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

}  // namespace

ViewerApp::ViewerApp(AppOptions options) : options_(std::move(options)) {
  search_field_ = options_.search;
  flame_.SetOrientation(options_.orientation);
  if (options_.mode == AppOptions::Mode::kSingle && !options_.files.empty()) path_field_ = options_.files[0];
}

ViewerApp::~ViewerApp() {
  // A running import cannot be interrupted; let it finish rather than leave
  // a thread behind.
  if (pending_.valid()) pending_.wait();
  if (set_pending_.valid()) set_pending_.wait();
}

void ViewerApp::StartLoad() {
  const std::vector<std::string>& f = options_.files;
  const std::string type = options_.sample_type;
  switch (options_.mode) {
    case AppOptions::Mode::kSingle:
      if (!f.empty()) Open(f[0]);
      break;
    case AppOptions::Mode::kDiff:
      if (f.size() != 2) {
        error_ = "--diff needs two files: BASE NEW";
        return;
      }
      pending_ = std::async(std::launch::async, [f, type] { return LoadDiffGraph(f[0], f[1], type); });
      break;
    case AppOptions::Mode::kHeatmap:
      if (f.empty()) {
        error_ = "--heatmap needs files";
        return;
      }
      set_pending_ = std::async(std::launch::async, [f, type] { return LoadProfileSet(f, type); });
      break;
    case AppOptions::Mode::kServer:
      pending_ = std::async(std::launch::async, [selection = options_.server] { return LoadServerGraph(selection); });
      break;
  }
}

void ViewerApp::Open(const std::string& path) {
  if (pending_.valid()) pending_.wait();  // one job at a time; the newest wins
  const std::string type = options_.sample_type;
  path_field_ = path;
  pending_ = std::async(std::launch::async, [path, type] { return LoadGraph(path, type); });
}

void ViewerApp::WaitForLoad() {
  while (loading()) {
    if (set_pending_.valid()) set_pending_.wait();
    if (pending_.valid()) pending_.wait();
    Poll();
  }
}

void ViewerApp::Take(absl::StatusOr<LoadedGraph> graph) {
  if (!graph.ok()) {
    error_ = std::string(graph.status().message());
    return;
  }
  error_.clear();
  title_ = graph->title;
  flame_.SetLayout(graph->layout);
  flame_.set_tooltips(true, graph->sample_type.unit);
  ApplySearch();
}

void ViewerApp::Poll() {
  if (Ready(pending_)) Take(pending_.get());
  if (Ready(set_pending_)) {
    absl::StatusOr<ProfileSet> set = set_pending_.get();
    if (!set.ok()) {
      error_ = std::string(set.status().message());
      return;
    }
    set_ = *std::move(set);
    HeatmapOptions heatmap_options;
    heatmap_options.time_buckets = 60;
    heatmap_options.value_buckets = 10;
    absl::StatusOr<Heatmap> heatmap = Heatmap::Build(set_->points, heatmap_options);
    if (!heatmap.ok()) {
      error_ = std::string(heatmap.status().message());
      return;
    }
    heatmap_.SetHeatmap(*std::move(heatmap));
    // Everything merged until a selection is made.
    std::vector<uint64_t> all(set_->profiles.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    Take(MergeSelection(*set_, all));
  }
}

void ViewerApp::ApplySearch() {
  search_status_.clear();
  const absl::Status status = flame_.SetSearch(search_field_);
  if (!status.ok()) {
    search_status_ = std::string(status.message());
    return;
  }
  if (const SearchResult* r = flame_.search(); r != nullptr && flame_.layout() != nullptr) {
    const int64_t total = flame_.layout()->total();
    search_status_ = fmt::format("{} functions, {} nodes, {:.2f} % of the total", r->matched_names().size(),
                                 r->matched_nodes().size(),
                                 total > 0 ? 100.0 * static_cast<double>(r->matched_value()) / total : 0.0);
  }
}

void ViewerApp::HandleKeys() {
  const ImGuiIO& io = ImGui::GetIO();
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) {
    // Esc leaves a text field too (ImGui deactivates it), so it always resets.
    search_field_.clear();
    ApplySearch();
    flame_.Reset();
    return;
  }
  if (io.WantTextInput) return;
  for (ImWchar c : io.InputQueueCharacters) {
    if (c == '/') focus_search_ = true;
    if (c == 'i') {
      flame_.SetOrientation(flame_.viewport().orientation == Orientation::kIcicle ? Orientation::kFlame
                                                                                   : Orientation::kIcicle);
    }
  }
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Backspace))) flame_.Back();
}

void ViewerApp::Frame() {
  Poll();
  const ImGuiIO& io = ImGui::GetIO();
  HandleKeys();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::Begin("kiln-viewer-imgui", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  ImGui::SetNextItemWidth(420);
  const bool open = ImGui::InputTextWithHint("##path", "profile file", &path_field_,
                                             ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  if ((ImGui::Button("Open") || open) && !path_field_.empty()) {
    options_.mode = AppOptions::Mode::kSingle;
    heatmap_.SetHeatmap(std::nullopt);
    set_.reset();
    Open(path_field_);
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(260);
  if (focus_search_) {
    ImGui::SetKeyboardFocusHere();
    focus_search_ = false;
  }
  if (ImGui::InputTextWithHint("##search", "search (/)", &search_field_)) ApplySearch();
  ImGui::SameLine();
  if (ImGui::Button("Reset")) flame_.Reset();
  ImGui::SameLine();
  if (ImGui::Button("Back")) flame_.Back();

  if (loading()) {
    ImGui::TextUnformatted("loading...");
  } else if (!error_.empty()) {
    ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1.0f), "%s", error_.c_str());
  } else {
    ImGui::Text("%s%s%s", title_.c_str(), search_status_.empty() ? "" : "   search: ", search_status_.c_str());
  }
  if (heatmap_.heatmap() != nullptr) {
    if (heatmap_.Frame(ImVec2(ImGui::GetContentRegionAvail().x, 140)) && set_) {
      if (!heatmap_.selection().empty()) Take(MergeSelection(*set_, heatmap_.selection()));
    }
  }
  flame_.Frame();
  ImGui::End();
}

}  // namespace kiln::viewer::imgui
