// Runs ImGui frames with no window and no GL: an ImGui context with a
// display size and a built font atlas, NewFrame, the flame graph view in an
// ImGui window, Render; then reads ImGui::GetDrawData() back. Input is
// simulated through ImGuiIO across frames and checked against what the
// model says (Viewport::ZoomAt / PanBy, FocusHistory).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include "kiln/viewer/depth_layout.h"
#include "kiln/viewer/palette.h"
#include "viewer/imgui/flame_graph_view.h"
#include "viewer/imgui/render_list_painter.h"
#include "viewer/imgui/viewer_app.h"
#include "viewer/model/tree_from_collapsed.h"

namespace kiln::viewer::imgui {
namespace {

constexpr float kWidth = 800, kHeight = 400;

constexpr char kCollapsed[] =
    "main;server.handle;db.query;net.read 500\n"
    "main;server.handle;db.query;db.decode 200\n"
    "main;server.handle;json.encode;reflect.value 150\n"
    "main;gc.collect;gc.mark 100\n"
    "main;gc.collect;gc.sweep 40\n"
    "main;tiny.a 1\n"
    "main;tiny.b 1\n"
    "main;tiny.c 1\n"
    "main;tiny.d 1\n";

class ImGuiFrameTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_ = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(kWidth, kHeight);
    io.DeltaTime = 1.0f / 60;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    ASSERT_GT(w, 0);
    io.KeyMap[ImGuiKey_Escape] = 300;
    io.KeyMap[ImGuiKey_Backspace] = 301;
    io.MousePos = ImVec2(-1, -1);
    layout_ = std::make_shared<const DepthLayout>(DepthLayout::Build(testing::TreeFromCollapsed(kCollapsed)));
    view_.SetLayout(layout_);
  }
  void TearDown() override { ImGui::DestroyContext(context_); }

  // One frame: the view fills a borderless, backgroundless window covering
  // the display. Returns that window's draw list (valid until the next frame).
  ImDrawList* Frame() {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::Begin("flame", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoSavedSettings);
    view_.Frame();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    ImGui::End();
    ImGui::PopStyleVar();
    ImGui::Render();
    return draw;
  }

  ImGuiContext* context_ = nullptr;
  std::shared_ptr<const DepthLayout> layout_;
  FlameGraphView view_;
};

struct Quad {
  ImVec2 min, max;
  ImVec2 uv;
  ImU32 col;
};

// Every primitive the painter emits is a quad (4 vertices, 6 indices).
std::vector<Quad> QuadsOf(const ImDrawList& draw) {
  std::vector<Quad> out;
  EXPECT_EQ(draw.VtxBuffer.Size % 4, 0);
  EXPECT_EQ(draw.IdxBuffer.Size, draw.VtxBuffer.Size / 4 * 6);
  for (int i = 0; i + 3 < draw.VtxBuffer.Size; i += 4) {
    const ImDrawVert& a = draw.VtxBuffer[i];
    const ImDrawVert& c = draw.VtxBuffer[i + 2];
    out.push_back({a.pos, c.pos, a.uv, a.col});
  }
  return out;
}

bool IsWhiteUv(const Quad& q) {
  const ImVec2 white = ImGui::GetIO().Fonts->TexUvWhitePixel;
  return q.uv.x == white.x && q.uv.y == white.y;
}

// Glyphs of |text| that draw something in the current font.
int VisibleGlyphs(std::string_view text) {
  int n = 0;
  const char* s = text.data();
  const char* end = s + text.size();
  while (s < end) {
    unsigned int c = 0;
    s += ImTextCharFromUtf8(&c, s, end);
    const ImFontGlyph* g = ImGui::GetFont()->FindGlyph(static_cast<ImWchar>(c));
    if (g != nullptr && g->Visible) ++n;
  }
  return n;
}

// Walks the quads in the painter's documented order and checks each
// against the render list: background, then per item its bar, outline
// strips for matches, label glyphs inside the bar.
void ExpectDrawListMatches(const ImDrawList& draw, const RenderList& list, ImVec2 origin) {
  const std::vector<Quad> quads = QuadsOf(draw);
  size_t q = 0;
  ASSERT_FALSE(quads.empty());
  EXPECT_TRUE(IsWhiteUv(quads[q]));  // background
  EXPECT_EQ(quads[q].min.x, origin.x);
  EXPECT_EQ(quads[q].max.x, origin.x + list.width_px);
  ++q;
  int labels = 0;
  for (const RenderItem& item : list.items) {
    ASSERT_LT(q, quads.size());
    const Quad& bar = quads[q++];
    EXPECT_TRUE(IsWhiteUv(bar));
    EXPECT_FLOAT_EQ(bar.min.x, origin.x + item.x);
    EXPECT_FLOAT_EQ(bar.min.y, origin.y + item.y);
    EXPECT_FLOAT_EQ(bar.max.x, origin.x + item.x + item.w);
    EXPECT_FLOAT_EQ(bar.max.y, origin.y + item.y + item.h);
    EXPECT_EQ(bar.col, FillColorOf(item, DiffPalette::kGreenRed));
    if (item.emphasis == Emphasis::kMatch && item.w >= 4) {
      for (int s = 0; s < 4; ++s) {
        ASSERT_LT(q, quads.size());
        EXPECT_TRUE(IsWhiteUv(quads[q]));
        EXPECT_EQ(quads[q].col, IM_COL32(0x1f, 0x3a, 0x93, 255));
        ++q;
      }
    }
    if (item.label_length == 0) continue;
    ++labels;
    const int glyphs = VisibleGlyphs(list.label(item));
    EXPECT_GT(glyphs, 0) << list.label(item);
    for (int g = 0; g < glyphs; ++g) {
      ASSERT_LT(q, quads.size());
      const Quad& glyph = quads[q++];
      EXPECT_FALSE(IsWhiteUv(glyph)) << "glyph " << g << " of " << list.label(item);
      EXPECT_GE(glyph.min.x, origin.x + item.x);
      EXPECT_LE(glyph.max.x, origin.x + item.x + item.w);
      EXPECT_GE(glyph.min.y, origin.y + item.y);
      EXPECT_LE(glyph.max.y, origin.y + item.y + item.h);
    }
  }
  EXPECT_EQ(q, quads.size()) << "the draw list holds quads the render list does not explain";
  EXPECT_GT(labels, 0);
}

TEST_F(ImGuiFrameTest, DrawDataMatchesTheRenderList) {
  Frame();
  ImDrawList* draw = Frame();
  const RenderList& list = view_.render_list();
  ASSERT_GT(list.items.size(), 8u);
  // The draw list is part of what Render produced.
  ImDrawData* data = ImGui::GetDrawData();
  ASSERT_NE(data, nullptr);
  bool found = false;
  for (int i = 0; i < data->CmdListsCount; ++i) found |= data->CmdLists[i] == draw;
  EXPECT_TRUE(found);
  EXPECT_EQ(data->TotalVtxCount, draw->VtxBuffer.Size);  // nothing else was drawn

  EXPECT_EQ(view_.viewport().width_px, kWidth);
  EXPECT_EQ(view_.viewport().height_px, kHeight);
  ExpectDrawListMatches(*draw, list, view_.origin());

  // The root bar spans the width, at the top (icicle).
  const RenderItem& root = list.items[0];
  EXPECT_EQ(root.depth, 0u);
  EXPECT_EQ(root.x, 0);
  EXPECT_EQ(root.w, kWidth);
  EXPECT_EQ(root.y, 0);
  // Every node bar wide enough for a label (and with a name of >= 3
  // characters) has one; the four 1-tick "tiny" nodes fold into one bar.
  int folded = 0;
  for (const RenderItem& item : list.items) {
    if (item.kind == RenderItemKind::kFolded) ++folded;
    if (item.kind == RenderItemKind::kNode && item.w >= 40) {
      EXPECT_GT(item.label_length, 0u) << item.node;
    }
  }
  EXPECT_EQ(folded, 1);
  EXPECT_NE(list.labels.find("server.handle"), std::string::npos);
}

TEST_F(ImGuiFrameTest, SearchOutlinesMatchesAndDimsTheRest) {
  ASSERT_TRUE(view_.SetSearch("db.").ok());
  Frame();
  ImDrawList* draw = Frame();
  const RenderList& list = view_.render_list();
  int matches = 0, dimmed = 0;
  for (const RenderItem& item : list.items) {
    matches += item.emphasis == Emphasis::kMatch;
    dimmed += item.emphasis == Emphasis::kDimmed;
  }
  EXPECT_EQ(matches, 2);  // db.query and db.decode, nothing else
  EXPECT_GT(dimmed, 0);
  ExpectDrawListMatches(*draw, list, view_.origin());
  EXPECT_FALSE(view_.SetSearch("(", MatchMode::kRegex).ok());
  ASSERT_TRUE(view_.SetSearch("").ok());
  EXPECT_EQ(view_.search(), nullptr);
}

TEST_F(ImGuiFrameTest, WheelZoomsAroundTheCursorAsTheModelSays) {
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(200, 30);
  Frame();
  Viewport expected = view_.viewport();
  io.MouseWheel = 2;
  Frame();
  expected.ZoomAt(200, FlameGraphView::kWheelZoomPerNotch * FlameGraphView::kWheelZoomPerNotch,
                  layout_->total());
  EXPECT_EQ(view_.viewport().start, expected.start);
  EXPECT_EQ(view_.viewport().end, expected.end);
  EXPECT_LT(view_.viewport().end - view_.viewport().start, layout_->total());
  // The tick under the cursor stays (within one tick).
  EXPECT_NEAR(static_cast<double>(view_.viewport().TickAtX(200)),
              static_cast<double>(Viewport::Full(*layout_, kWidth, kHeight).TickAtX(200)), 1.0);
  // The render list was rebuilt for the new viewport: the root is clipped to the view.
  Frame();
  EXPECT_EQ(view_.render_list().items[0].w, kWidth);
  EXPECT_GT(view_.render_list().items[0].end_tick - view_.render_list().items[0].start_tick,
            view_.viewport().end - view_.viewport().start);

  // Zooming out never goes wider than the whole graph.
  io.MouseWheel = -20;
  Frame();
  EXPECT_EQ(view_.viewport().start, 0);
  EXPECT_EQ(view_.viewport().end, layout_->total());

  // The wheel outside the graph does nothing.
  io.MousePos = ImVec2(kWidth + 50, 30);
  io.MouseWheel = 3;
  Frame();
  EXPECT_EQ(view_.viewport().end, layout_->total());
}

TEST_F(ImGuiFrameTest, DragPansAsTheModelSays) {
  ImGuiIO& io = ImGui::GetIO();
  // Zoom in first so there is room to pan.
  io.MousePos = ImVec2(400, 30);
  Frame();
  io.MouseWheel = 5;
  Frame();
  const Viewport before = view_.viewport();
  io.MouseDown[0] = true;
  Frame();
  io.MousePos = ImVec2(350, 30);
  Frame();
  io.MousePos = ImVec2(300, 30);
  Frame();
  Viewport expected = before;
  expected.PanBy(100, layout_->total());
  EXPECT_EQ(view_.viewport().start, expected.start);
  EXPECT_EQ(view_.viewport().end, expected.end);
  EXPECT_GT(view_.viewport().start, before.start);
  io.MouseDown[0] = false;
  Frame();
  // A drag is not a click: no focus happened.
  EXPECT_EQ(view_.viewport().start, expected.start);
  EXPECT_EQ(view_.viewport().end, expected.end);
  // Back returns to before the drag.
  view_.Back();
  Frame();
  EXPECT_EQ(view_.viewport().start, before.start);
}

TEST_F(ImGuiFrameTest, ClickFocusesTheNodeUnderTheCursor) {
  ImGuiIO& io = ImGui::GetIO();
  Frame();
  const RenderItem* target = nullptr;
  for (const RenderItem& item : view_.render_list().items) {
    if (item.depth == 4 && item.kind == RenderItemKind::kNode && item.w > 40 && layout_->name(item.node) == "db.decode") {
      target = &item;
    }
  }
  ASSERT_NE(target, nullptr);
  const NodeId node = target->node;
  io.MousePos = ImVec2(target->x + target->w / 2, target->y + target->h / 2);
  Frame();
  io.MouseDown[0] = true;
  Frame();
  io.MouseDown[0] = false;
  Frame();
  EXPECT_EQ(view_.viewport().start, layout_->start(node));
  EXPECT_EQ(view_.viewport().end, layout_->end(node));
  Frame();
  // The focused node now fills the width.
  bool fills = false;
  for (const RenderItem& item : view_.render_list().items) fills |= item.node == node && item.w == kWidth;
  EXPECT_TRUE(fills);
  view_.Reset();
  Frame();
  EXPECT_EQ(view_.viewport().start, 0);
  EXPECT_EQ(view_.viewport().end, layout_->total());
}

TEST_F(ImGuiFrameTest, AppLoadsAFileSearchesWithSlashAndResetsWithEscape) {
  const std::string path = std::string(::testing::TempDir()) + "/imgui_app_test.collapsed";
  {
    std::ofstream out(path);
    out << kCollapsed;
  }
  AppOptions options;
  options.files = {path};
  ViewerApp app(options);
  app.StartLoad();
  app.WaitForLoad();
  ASSERT_TRUE(app.error().empty()) << app.error();
  ASSERT_NE(app.flame().layout(), nullptr);
  EXPECT_EQ(app.flame().layout()->total(), layout_->total());
  ImGuiIO& io = ImGui::GetIO();
  auto frame = [&] {
    ImGui::NewFrame();
    app.Frame();
    ImGui::Render();
  };
  frame();
  frame();
  EXPECT_NE(app.title().find("imgui_app_test.collapsed"), std::string::npos);
  // Zoom in with the wheel over the graph.
  const ImVec2 o = app.flame().origin();
  io.MousePos = ImVec2(o.x + 100, o.y + 10);
  io.MouseWheel = 3;
  frame();
  EXPECT_LT(app.flame().viewport().end, layout_->total());
  // '/' moves the keyboard to the search field; typing searches.
  io.AddInputCharacter('/');
  // Frame 1 requests the focus, frame 2 activates the field, frame 3
  // reports WantTextInput.
  frame();
  frame();
  frame();
  EXPECT_TRUE(io.WantTextInput);
  io.AddInputCharactersUTF8("gc.");
  frame();
  ASSERT_NE(app.flame().search(), nullptr);
  EXPECT_EQ(app.flame().search()->matched_nodes().size(), 3u);  // gc.collect, gc.mark, gc.sweep
  // Esc clears the search and resets the zoom.
  io.KeysDown[300] = true;
  frame();
  io.KeysDown[300] = false;
  frame();
  EXPECT_EQ(app.flame().search(), nullptr);
  EXPECT_EQ(app.flame().viewport().start, 0);
  EXPECT_EQ(app.flame().viewport().end, layout_->total());
  std::filesystem::remove(path);
}

TEST_F(ImGuiFrameTest, AppReportsAMissingFile) {
  AppOptions options;
  options.files = {"/nonexistent/profile.pb.gz"};
  ViewerApp app(options);
  app.StartLoad();
  app.WaitForLoad();
  EXPECT_NE(app.error().find("/nonexistent/profile.pb.gz"), std::string::npos) << app.error();
  EXPECT_EQ(app.flame().layout(), nullptr);
}

}  // namespace
}  // namespace kiln::viewer::imgui
