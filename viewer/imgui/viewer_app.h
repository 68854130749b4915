// The ImGui frontend's user interface, independent of the window system:
// one Frame() between ImGui::NewFrame and ImGui::Render draws the whole
// display (a path field, a search field, the status line, an optional
// heatmap and the flame graph) and handles keys. main.cc wraps it in a
// GLFW + OpenGL 3 window; tests can run it with a bare ImGui context.
//
// Loading (import, tree, layout) runs on a worker thread (std::async); the
// UI keeps showing the previous graph until the new one arrives.
// Keys, when no text field has the keyboard: `/` goes to the search field,
// Esc resets zoom and clears the search, Backspace goes back in the focus
// history, `i` toggles flame/icicle orientation.
// Thread safety: UI thread only.
#ifndef KILN_VIEWER_IMGUI_VIEWER_APP_H_
#define KILN_VIEWER_IMGUI_VIEWER_APP_H_

#include <future>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kiln/viewer/viewport.h"
#include "viewer/imgui/flame_graph_view.h"
#include "viewer/imgui/heatmap_view.h"
#include "viewer/imgui/profile_source.h"

namespace kiln::viewer::imgui {

struct AppOptions {
  enum class Mode { kSingle, kDiff, kHeatmap, kServer };
  Mode mode = Mode::kSingle;
  std::vector<std::string> files;
  ServerSelection server;  // kServer
  std::string sample_type;  // "type" or "type/unit"; empty: the default
  std::string search;
  Orientation orientation = Orientation::kIcicle;
};

class ViewerApp {
 public:
  explicit ViewerApp(AppOptions options);
  ~ViewerApp();

  // Starts loading what the options name (no-op without files).
  void StartLoad();
  // Opens one file (the path field's action).
  void Open(const std::string& path);
  bool loading() const { return pending_.valid() || set_pending_.valid(); }
  // Blocks until a running load has finished and been taken in (for
  // --screenshot and tests).
  void WaitForLoad();

  // One frame of the whole display.
  void Frame();

  const std::string& error() const { return error_; }
  const std::string& title() const { return title_; }
  FlameGraphView& flame() { return flame_; }
  HeatmapView& heatmap() { return heatmap_; }

 private:
  void Poll();
  void Take(absl::StatusOr<LoadedGraph> graph);
  void HandleKeys();
  void ApplySearch();

  AppOptions options_;
  FlameGraphView flame_;
  HeatmapView heatmap_;
  std::future<absl::StatusOr<LoadedGraph>> pending_;
  std::future<absl::StatusOr<ProfileSet>> set_pending_;
  std::optional<ProfileSet> set_;
  std::string path_field_;
  std::string search_field_;
  std::string error_;
  std::string title_;
  std::string search_status_;
  bool focus_search_ = false;
};

}  // namespace kiln::viewer::imgui

#endif  // KILN_VIEWER_IMGUI_VIEWER_APP_H_
