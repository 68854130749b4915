// kiln-viewer's main window: opens profiles of every format the core
// imports (command line, File > Open, drag and drop, recent files), shows
// one sample type at a time (the chooser in the toolbar) as a flame graph,
// a top table and a sandwich view of the selected function; compares two
// files (diff flame graph and diff table); shows several files as a
// heatmap of profiles whose brushed selection is merged into the flame
// graph; opens merged profiles from a running `kiln server` (File >
// Connect to server: a ServerPanel docked above the views). Exports PNG,
// SVG and pprof, copies function names.
//
// All loading and layout runs in ProfileLoader's worker; the window shows
// its progress with a Cancel button and stays usable meanwhile (the old
// view stays until the new one is ready).
// Thread safety: UI thread only.
#ifndef KILN_VIEWER_QT_MAIN_WINDOW_H_
#define KILN_VIEWER_QT_MAIN_WINDOW_H_

#include <memory>
#include <vector>

#include <QMainWindow>
#include <QStringList>
#include <QTimer>
#include <QUrl>

#include "absl/status/status.h"
#include "kiln/viewer/viewport.h"
#include "viewer/qt/profile_loader.h"

class QAction;
class QCheckBox;
class QComboBox;
class QDockWidget;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QSplitter;
class QTabWidget;
class QTableView;
class QToolButton;

namespace kiln::viewer::qt {

class DiffTableItemModel;
class FlameGraphWidget;
class HeatmapWidget;
class SandwichWidget;
class ServerPanel;
class TopTableItemModel;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  struct Options {
    // Keep opened files in QSettings' recent list (off for screenshots).
    bool remember_recent = true;
    // Errors go to a message box (off: only loadFailed and the status bar).
    bool interactive = true;
  };

  explicit MainWindow(Options options, QWidget* parent = nullptr);
  explicit MainWindow(QWidget* parent = nullptr) : MainWindow(Options{}, parent) {}
  ~MainWindow() override;

  // |type_spec|: "type" or "type/unit"; empty for the default.
  void OpenFile(const QString& path, const QString& type_spec = {});
  void CompareFiles(const QString& base, const QString& next, const QString& type_spec = {});
  void OpenCollection(const QStringList& paths, const QString& type_spec = {});
  // Shows the server pane, connected to the `kiln server` at |url|, with
  // |selector| (a label selector; empty: all series); its brushed range's
  // merged profile becomes the view.
  void ConnectToServer(const QUrl& url, const QString& selector = {});
  // Flame (root at the bottom) or icicle, as View > Icicle sets it.
  void SetOrientation(Orientation orientation);
  // Applies a search as if typed in the search field.
  void Search(const QString& text);

  // The File > Export actions without their dialogs: the shown pane as
  // PNG, the flame graph as SVG, the profile as gzipped pprof.
  absl::Status ExportPngTo(const QString& path);
  absl::Status ExportSvgTo(const QString& path);
  absl::Status ExportPprofTo(const QString& path);

  // Saves the window as a PNG at |path| and, beside it, "<path>.txt": the
  // window size, the flame graph's (and heatmap's) rectangle in window
  // coordinates and the flame graph's render list (PrintRenderList), so a
  // test can check the picture against what the model says was drawn.
  absl::Status SaveScreenshot(const QString& path);

  FlameGraphWidget* flame_graph() const { return flame_; }
  SandwichWidget* sandwich() const { return sandwich_; }
  HeatmapWidget* heatmap() const { return heatmap_; }
  // Null until ConnectToServer.
  ServerPanel* server_panel() const { return server_panel_; }
  TopTableItemModel* top_model() const { return top_model_; }
  DiffTableItemModel* diff_model() const { return diff_model_; }
  ProfileLoader* loader() const { return loader_; }
  QComboBox* sample_type_chooser() const { return sample_types_; }
  QLineEdit* search_field() const { return search_; }
  // Files in the recent list (QSettings), newest first.
  QStringList RecentFiles() const;
  const FlameView* view() const { return view_.get(); }

 Q_SIGNALS:
  // A loaded view is on screen.
  void viewReady();
  void loadFailed(QString message);

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  enum class Mode { kNone, kSingle, kDiff, kCollection };

  void BuildMenus();
  void BuildToolBar();
  void BuildCentralWidgets();
  void BuildStatusBar();

  void OnStarted(const QString& what);
  void OnProgress(int percent, const QString& what);
  void OnLoaded(std::shared_ptr<const LoadResult> result);
  void OnFailed(const QString& message);
  void OnCanceled();
  void SetBusy(bool busy);

  void FillSampleTypes();
  void OnSampleTypeChosen(int index);
  void Rebuild();
  void ApplySearch();
  void SelectFunction(const QString& name);
  void ShowSandwich(const QString& name);
  void UpdateActions();

  void ChooseOpen();
  void ChooseCompare();
  void ChooseCollection();
  void ChooseServer();
  void ExportPng();
  void ExportSvg();
  void ExportPprof();
  void CopySelectedName();
  void ShowKeys();

  void AddRecent(const QStringList& paths);
  void FillRecentMenu();

  Options options_;
  ProfileLoader* loader_;
  Mode mode_ = Mode::kNone;
  std::vector<std::shared_ptr<const ProfileDocument>> documents_;
  SampleTypeChoice choice_;
  QString type_spec_;
  std::shared_ptr<const ProfileCollection> collection_;
  std::vector<uint64_t> selection_;  // heatmap selection (empty: all)
  std::shared_ptr<const FlameView> view_;
  ViewOptions view_options_;
  QString selected_function_;

  // Widgets.
  FlameGraphWidget* flame_;
  SandwichWidget* sandwich_;
  HeatmapWidget* heatmap_;
  QSplitter* right_splitter_;
  QTabWidget* right_tabs_;
  QTabWidget* left_tabs_;
  QTableView* top_table_;
  QTableView* diff_table_;
  TopTableItemModel* top_model_;
  DiffTableItemModel* diff_model_;
  QComboBox* sample_types_;
  QLineEdit* search_;
  QCheckBox* regex_;
  QLabel* message_;
  QProgressBar* progress_;
  QToolButton* cancel_;
  QTimer search_timer_;

  // Actions that depend on state.
  QAction* back_;
  QAction* forward_;
  QAction* reset_;
  QAction* export_png_;
  QAction* export_svg_;
  QAction* export_pprof_;
  QAction* icicle_;
  QAction* color_blind_;
  QAction* collapse_recursion_;
  QAction* line_numbers_;
  QMenu* recent_menu_;

  // The server pane, created by the first ConnectToServer.
  QDockWidget* server_dock_ = nullptr;
  ServerPanel* server_panel_ = nullptr;
};

}  // namespace kiln::viewer::qt

#endif  // KILN_VIEWER_QT_MAIN_WINDOW_H_
