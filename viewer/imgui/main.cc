// kiln-viewer-imgui: the lean GLFW + OpenGL 3 shell around ViewerApp.
//
//   kiln-viewer-imgui [FILE]
//   kiln-viewer-imgui --diff BASE NEW
//   kiln-viewer-imgui --heatmap FILES...
//   options: --sample-type T  --search PATTERN  --flame  --size WxH
//            --screenshot OUT.png   (load, render a few frames, save, exit)
//
// --screenshot also writes OUT.png.txt: the window size, the flame graph's
// rectangle, every labelled item and the render list (PrintRenderList), so
// a test can check the picture against the model. Exit codes: 0 ok, 1 a
// load or write error, 2 bad arguments or no window.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <GL/gl.h>
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include "fmt/format.h"
#include "kiln/base/fmt_absl.h"
#include "kiln/viewer/render_list.h"
#include "viewer/imgui/png_writer.h"
#include "viewer/imgui/viewer_app.h"

namespace kiln::viewer::imgui {
namespace {

struct Args {
  AppOptions app;
  std::string screenshot;
  int width = 1400, height = 900;
  int range_minutes = 60;  // --server: the selection ends now
};

constexpr char kUsage[] =
    "usage: kiln-viewer-imgui [--sample-type T] [--search P] [--flame] [--size WxH] [--screenshot OUT.png]\n"
    "                         FILE | --diff BASE NEW | --heatmap FILES...\n"
    "                         | --server URL --type PROFILE_TYPE_ID [--selector S] [--range-minutes N]\n";

bool ParseArgs(int argc, char** argv, Args* out) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](std::string* v) {
      if (i + 1 >= argc) return false;
      *v = argv[++i];
      return true;
    };
    std::string v;
    if (a == "--diff") {
      out->app.mode = AppOptions::Mode::kDiff;
    } else if (a == "--heatmap") {
      out->app.mode = AppOptions::Mode::kHeatmap;
    } else if (a == "--server") {
      out->app.mode = AppOptions::Mode::kServer;
      if (!value(&out->app.server.url)) return false;
    } else if (a == "--type") {
      if (!value(&out->app.server.profile_type)) return false;
    } else if (a == "--selector") {
      if (!value(&out->app.server.selector)) return false;
    } else if (a == "--range-minutes") {
      int minutes = 0;
      if (!value(&v) || std::sscanf(v.c_str(), "%d", &minutes) != 1 || minutes <= 0) return false;
      out->range_minutes = minutes;
    } else if (a == "--flame") {
      out->app.orientation = Orientation::kFlame;
    } else if (a == "--sample-type") {
      if (!value(&out->app.sample_type)) return false;
    } else if (a == "--search") {
      if (!value(&out->app.search)) return false;
    } else if (a == "--screenshot") {
      if (!value(&out->screenshot)) return false;
    } else if (a == "--size") {
      if (!value(&v) || std::sscanf(v.c_str(), "%dx%d", &out->width, &out->height) != 2 || out->width <= 0 ||
          out->height <= 0) {
        return false;
      }
    } else if (a == "-h" || a == "--help") {
      return false;
    } else if (a.starts_with("--")) {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return false;
    } else {
      out->app.files.push_back(a);
    }
  }
  if (out->app.mode == AppOptions::Mode::kSingle && out->app.files.size() > 1) return false;
  if (out->app.mode == AppOptions::Mode::kServer) {
    if (out->app.server.profile_type.empty() || !out->app.files.empty()) return false;
    const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
    out->app.server.end_ms = now_ms;
    out->app.server.start_ms = now_ms - int64_t{out->range_minutes} * 60'000;
  }
  return true;
}

// The .txt beside a screenshot: what was drawn, in window pixels.
bool WriteDescription(const std::string& path, int width, int height, FlameGraphView& flame) {
  std::ofstream out(path);
  const RenderList& list = flame.render_list();
  out << fmt::format("window {} {}\n", width, height);
  out << fmt::format("flame {:.0f} {:.0f} {:.0f} {:.0f}\n", flame.origin().x, flame.origin().y, list.width_px,
                     list.height_px);
  out << fmt::format("items {}\n", list.items.size());
  for (const RenderItem& item : list.items) {
    if (item.label_length == 0) continue;
    out << fmt::format("label {:.0f} {:.0f} {:.0f} {:.0f} {}\n", flame.origin().x + item.x,
                       flame.origin().y + item.y, item.w, item.h, list.label(item));
  }
  if (flame.layout() != nullptr) out << PrintRenderList(list, *flame.layout());
  return static_cast<bool>(out);
}

// ImGui's built-in font (ProggyClean, 7 px per character, which is the
// render list's char_width_px) has Latin-1 only; the labels' middle
// ellipsis and the titles' dash and arrow come from DejaVu Sans when it is
// installed, held to the same 7 px advance so label budgets stay exact.
void AddFonts(ImGuiIO* io) {
  io->Fonts->AddFontDefault();
  const char* kDejaVu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  if (std::FILE* f = std::fopen(kDejaVu, "rb")) {
    std::fclose(f);
    static const ImWchar kRanges[] = {0x2014, 0x2014, 0x2026, 0x2026, 0x2192, 0x2192, 0};
    ImFontConfig merge;
    merge.MergeMode = true;
    merge.GlyphMinAdvanceX = 7;
    merge.GlyphMaxAdvanceX = 7;
    io->Fonts->AddFontFromFileTTF(kDejaVu, 13.0f, &merge, kRanges);
  }
}

void OnGlfwError(int code, const char* what) { std::fprintf(stderr, "GLFW error %d: %s\n", code, what); }

int Run(int argc, char** argv) {
  Args args;
  if (!ParseArgs(argc, argv, &args)) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  glfwSetErrorCallback(OnGlfwError);
  if (!glfwInit()) {
    std::fputs("kiln-viewer-imgui: cannot initialise GLFW (is DISPLAY set?)\n", stderr);
    return 2;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_RESIZABLE, args.screenshot.empty() ? GLFW_TRUE : GLFW_FALSE);
  GLFWwindow* window = glfwCreateWindow(args.width, args.height, "kiln-viewer-imgui", nullptr, nullptr);
  if (window == nullptr) {
    std::fputs("kiln-viewer-imgui: cannot create an OpenGL 3.3 window\n", stderr);
    glfwTerminate();
    return 2;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no imgui.ini in the user's directory
  ImGui::StyleColorsLight();
  AddFonts(&io);
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");

  int exit_code = 0;
  {
    ViewerApp app(args.app);
    app.StartLoad();
    if (!args.screenshot.empty()) app.WaitForLoad();
    // A screenshot renders a few frames first: the first frames lay out
    // ImGui's windows, and tooltips/hover state settle.
    int frames_left = args.screenshot.empty() ? -1 : 4;
    while (!glfwWindowShouldClose(window) && frames_left != 0) {
      if (args.screenshot.empty()) {
        // Idle without input, but keep polling while a load runs.
        if (app.loading()) {
          glfwWaitEventsTimeout(0.05);
        } else {
          glfwWaitEvents();
        }
      } else {
        glfwPollEvents();
      }
      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplGlfw_NewFrame();
      ImGui::NewFrame();
      app.Frame();
      ImGui::Render();
      int fb_w = 0, fb_h = 0;
      glfwGetFramebufferSize(window, &fb_w, &fb_h);
      glViewport(0, 0, fb_w, fb_h);
      glClearColor(1, 1, 1, 1);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
      if (frames_left > 0 && --frames_left == 0) {
        std::vector<uint8_t> pixels(static_cast<size_t>(fb_w) * fb_h * 4);
        glReadBuffer(GL_BACK);
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glReadPixels(0, 0, fb_w, fb_h, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
        // GL's rows run bottom-up; PNG's top-down.
        std::vector<uint8_t> flipped(pixels.size());
        const size_t row = static_cast<size_t>(fb_w) * 4;
        for (int y = 0; y < fb_h; ++y) {
          std::copy_n(pixels.data() + row * (fb_h - 1 - y), row, flipped.data() + row * y);
        }
        if (!app.error().empty()) {
          std::fprintf(stderr, "kiln-viewer-imgui: %s\n", app.error().c_str());
          exit_code = 1;
        }
        if (absl::Status s = WritePng(args.screenshot, fb_w, fb_h, flipped); !s.ok()) {
          fmt::print(stderr, "kiln-viewer-imgui: {}\n", s);
          exit_code = 1;
        } else if (!WriteDescription(args.screenshot + ".txt", fb_w, fb_h, app.flame())) {
          std::fprintf(stderr, "kiln-viewer-imgui: cannot write %s.txt\n", args.screenshot.c_str());
          exit_code = 1;
        }
      }
      glfwSwapBuffers(window);
    }
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return exit_code;
}

}  // namespace
}  // namespace kiln::viewer::imgui

int main(int argc, char** argv) { return kiln::viewer::imgui::Run(argc, argv); }
