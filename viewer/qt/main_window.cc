#include "viewer/qt/main_window.h"

#include <algorithm>
#include <fstream>
#include <utility>

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>

#include "fmt/format.h"
#include "kiln/export/pprof_writer.h"
#include "kiln/export/tree_to_profile.h"
#include "kiln/query/value_format.h"
#include "kiln/viewer/render_list.h"
#include "re2/re2.h"
#include "viewer/qt/diff_table_item_model.h"
#include "viewer/qt/flame_graph_widget.h"
#include "viewer/qt/heatmap_widget.h"
#include "viewer/qt/sandwich_widget.h"
#include "viewer/qt/server_panel.h"
#include "viewer/qt/top_table_item_model.h"

namespace kiln::viewer::qt {
namespace {

constexpr int kMaxRecent = 10;
constexpr int kSearchDelayMs = 150;
const char* const kRecentKey = "recent_files";

QString FromStd(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }
QString MessageOf(const absl::Status& status) {
  return QString::fromUtf8(status.message().data(), static_cast<qsizetype>(status.message().size()));
}

QString FileFilter() {
  return QObject::tr(
      "Profiles (*.pb *.pb.gz *.pprof *.prof *.gz *.txt *.folded *.collapsed *.json *.cpuprofile "
      "*.heapprofile *.jfr *.jfr.gz *.perf *.data *.out);;All files (*)");
}

absl::Status WriteFile(const QString& path, const std::string& data) {
  std::ofstream out(path.toStdString(), std::ios::binary);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  out.close();
  if (!out) return absl::InternalError(fmt::format("{}: cannot write", path.toStdString()));
  return absl::OkStatus();
}

QRect RectIn(const QWidget* widget, const QWidget* window) {
  return QRect(widget->mapTo(window, QPoint(0, 0)), widget->size());
}

}  // namespace

MainWindow::MainWindow(Options options, QWidget* parent) : QMainWindow(parent), options_(options) {
  setWindowTitle(tr("Kiln viewer"));
  setAcceptDrops(true);
  loader_ = new ProfileLoader(this);
  connect(loader_, &ProfileLoader::started, this, &MainWindow::OnStarted);
  connect(loader_, &ProfileLoader::progress, this, &MainWindow::OnProgress);
  connect(loader_, &ProfileLoader::finished, this, &MainWindow::OnLoaded);
  connect(loader_, &ProfileLoader::failed, this, &MainWindow::OnFailed);
  connect(loader_, &ProfileLoader::canceled, this, &MainWindow::OnCanceled);
  search_timer_.setSingleShot(true);
  search_timer_.setInterval(kSearchDelayMs);
  connect(&search_timer_, &QTimer::timeout, this, &MainWindow::ApplySearch);

  BuildCentralWidgets();
  BuildMenus();
  BuildToolBar();
  BuildStatusBar();
  UpdateActions();
  resize(1400, 900);
}

MainWindow::~MainWindow() = default;

void MainWindow::BuildCentralWidgets() {
  auto* splitter = new QSplitter(Qt::Horizontal, this);

  left_tabs_ = new QTabWidget(splitter);
  top_model_ = new TopTableItemModel(this);
  top_table_ = new QTableView(left_tabs_);
  top_table_->setModel(top_model_);
  top_table_->setSortingEnabled(true);
  top_table_->sortByColumn(TopTableItemModel::kSelf, Qt::DescendingOrder);
  top_table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  top_table_->setSelectionMode(QAbstractItemView::SingleSelection);
  top_table_->verticalHeader()->hide();
  top_table_->verticalHeader()->setDefaultSectionSize(top_table_->fontMetrics().height() + 6);
  top_table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  top_table_->horizontalHeader()->setSectionResizeMode(TopTableItemModel::kFunction, QHeaderView::Stretch);
  top_table_->setTextElideMode(Qt::ElideMiddle);
  top_table_->setContextMenuPolicy(Qt::ActionsContextMenu);
  left_tabs_->addTab(top_table_, tr("Top table"));

  diff_model_ = new DiffTableItemModel(this);
  diff_table_ = new QTableView(left_tabs_);
  diff_table_->setModel(diff_model_);
  diff_table_->setSortingEnabled(true);
  diff_table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  diff_table_->setSelectionMode(QAbstractItemView::SingleSelection);
  diff_table_->verticalHeader()->hide();
  diff_table_->verticalHeader()->setDefaultSectionSize(diff_table_->fontMetrics().height() + 6);
  diff_table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  diff_table_->horizontalHeader()->setSectionResizeMode(DiffTableItemModel::kFunction, QHeaderView::Stretch);
  diff_table_->setTextElideMode(Qt::ElideMiddle);
  diff_table_->setContextMenuPolicy(Qt::ActionsContextMenu);
  left_tabs_->addTab(diff_table_, tr("Diff table"));

  right_splitter_ = new QSplitter(Qt::Vertical, splitter);
  heatmap_ = new HeatmapWidget(right_splitter_);
  heatmap_->setMinimumHeight(160);
  heatmap_->hide();
  right_tabs_ = new QTabWidget(right_splitter_);
  flame_ = new FlameGraphWidget(right_tabs_);
  flame_->SetPlaceholder(tr("Open a profile: File > Open, a recent file, or drop a file here.\n"
                            "Drop two files to compare them, three or more to see them over time."));
  right_tabs_->addTab(flame_, tr("Flame graph"));
  sandwich_ = new SandwichWidget(right_tabs_);
  right_tabs_->addTab(sandwich_, tr("Sandwich"));
  right_splitter_->setStretchFactor(0, 1);
  right_splitter_->setStretchFactor(1, 3);

  splitter->setStretchFactor(0, 2);
  splitter->setStretchFactor(1, 5);
  splitter->setSizes({520, 880});
  setCentralWidget(splitter);

  connect(flame_, &FlameGraphWidget::nodeSelected, this, &MainWindow::SelectFunction);
  connect(flame_, &FlameGraphWidget::sandwichRequested, this, &MainWindow::ShowSandwich);
  connect(flame_, &FlameGraphWidget::searchRequested, this, [this] {
    search_->setFocus();
    search_->selectAll();
  });
  connect(flame_, &FlameGraphWidget::searchCleared, this, [this] {
    search_timer_.stop();
    search_->clear();
  });
  connect(flame_, &FlameGraphWidget::viewChanged, this, &MainWindow::UpdateActions);
  connect(sandwich_, &SandwichWidget::sandwichRequested, this, &MainWindow::ShowSandwich);
  connect(sandwich_, &SandwichWidget::nodeSelected, this, &MainWindow::SelectFunction);
  connect(heatmap_, &HeatmapWidget::selectionChanged, this, [this](const QList<quint64>& ids) {
    if (collection_ == nullptr || ids.isEmpty()) return;
    selection_.assign(ids.begin(), ids.end());
    loader_->MergeSelection(collection_, selection_, view_options_);
  });

  // Tables: selecting a row selects the function (sandwich); a double click
  // also searches for it in the flame graph.
  connect(top_table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            if (current.isValid()) ShowSandwich(top_model_->FunctionAt(current.row()));
          });
  connect(diff_table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            if (current.isValid()) ShowSandwich(diff_model_->FunctionAt(current.row()));
          });
  auto search_exact = [this](const QString& name) {
    if (name.isEmpty()) return;
    regex_->setChecked(true);
    search_->setText(QStringLiteral("^") + FromStd(RE2::QuoteMeta(name.toStdString())) + QStringLiteral("$"));
    ApplySearch();
    right_tabs_->setCurrentWidget(flame_);
  };
  connect(top_table_, &QTableView::doubleClicked, this,
          [this, search_exact](const QModelIndex& index) { search_exact(top_model_->FunctionAt(index.row())); });
  connect(diff_table_, &QTableView::doubleClicked, this,
          [this, search_exact](const QModelIndex& index) { search_exact(diff_model_->FunctionAt(index.row())); });
  for (QTableView* table : {top_table_, diff_table_}) {
    auto* copy = new QAction(tr("Copy function name"), table);
    connect(copy, &QAction::triggered, this, [this, table] {
      const QModelIndex index = table->currentIndex();
      if (!index.isValid()) return;
      const QString name = table == top_table_ ? top_model_->FunctionAt(index.row())
                                               : diff_model_->FunctionAt(index.row());
      QApplication::clipboard()->setText(name);
    });
    table->addAction(copy);
  }
}

void MainWindow::BuildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&Open…"), QKeySequence::Open, this, &MainWindow::ChooseOpen);
  recent_menu_ = file->addMenu(tr("Open &Recent"));
  file->addAction(tr("&Compare two files…"), QKeySequence(tr("Ctrl+D")), this, &MainWindow::ChooseCompare);
  file->addAction(tr("Open &several files (heatmap)…"), QKeySequence(tr("Ctrl+Shift+O")), this,
                  &MainWindow::ChooseCollection);
  file->addAction(tr("Connect to &server…"), this, &MainWindow::ChooseServer);
  file->addSeparator();
  export_png_ = file->addAction(tr("Export flame graph as &PNG…"), this, &MainWindow::ExportPng);
  export_svg_ = file->addAction(tr("Export flame graph as S&VG…"), this, &MainWindow::ExportSvg);
  export_pprof_ = file->addAction(tr("Export profile as pp&rof…"), this, &MainWindow::ExportPprof);
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
  FillRecentMenu();

  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  edit->addAction(tr("&Copy selected function name"), QKeySequence(tr("Ctrl+Shift+C")), this,
                  &MainWindow::CopySelectedName);
  // `/` anywhere but in a text field (which takes it as text) goes to the
  // search field, like Ctrl+F.
  QAction* find = edit->addAction(tr("&Find…"), this, [this] {
    search_->setFocus();
    search_->selectAll();
  });
  find->setShortcuts({QKeySequence::Find, QKeySequence(Qt::Key_Slash)});

  QMenu* view = menuBar()->addMenu(tr("&View"));
  icicle_ = view->addAction(tr("&Icicle (root at the top)"));
  icicle_->setCheckable(true);
  icicle_->setChecked(true);
  icicle_->setShortcut(QKeySequence(tr("Ctrl+I")));
  connect(icicle_, &QAction::toggled, this, [this](bool icicle) {
    flame_->SetOrientation(icicle ? Orientation::kIcicle : Orientation::kFlame);
  });
  color_blind_ = view->addAction(tr("Colour-blind &diff palette (blue–red)"));
  color_blind_->setCheckable(true);
  connect(color_blind_, &QAction::toggled, this, [this](bool on) {
    const DiffPalette palette = on ? DiffPalette::kColorBlind : DiffPalette::kGreenRed;
    flame_->SetDiffPalette(palette);
    sandwich_->SetDiffPalette(palette);
    diff_model_->SetDiffPalette(palette);
  });
  view->addSeparator();
  collapse_recursion_ = view->addAction(tr("Collapse &recursion"));
  collapse_recursion_->setCheckable(true);
  connect(collapse_recursion_, &QAction::toggled, this, [this](bool on) {
    view_options_.collapse_recursion = on;
    Rebuild();
  });
  line_numbers_ = view->addAction(tr("Frames with &line numbers"));
  line_numbers_->setCheckable(true);
  connect(line_numbers_, &QAction::toggled, this, [this](bool on) {
    view_options_.naming = on ? FrameNaming::kFunctionAndLine : FrameNaming::kFunction;
    Rebuild();
  });

  QMenu* go = menuBar()->addMenu(tr("&Navigate"));
  back_ = go->addAction(tr("&Back"), QKeySequence::Back, this, [this] { flame_->Back(); });
  forward_ = go->addAction(tr("&Forward"), QKeySequence::Forward, this, [this] { flame_->Forward(); });
  reset_ = go->addAction(tr("&Reset zoom"), QKeySequence(tr("Ctrl+0")), this, [this] { flame_->ResetZoom(); });

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&Keys and mouse"), QKeySequence::HelpContents, this, &MainWindow::ShowKeys);
}

void MainWindow::BuildToolBar() {
  QToolBar* bar = addToolBar(tr("Main"));
  bar->setMovable(false);
  bar->addAction(tr("Open"), this, &MainWindow::ChooseOpen);
  bar->addAction(tr("Compare"), this, &MainWindow::ChooseCompare);
  bar->addSeparator();
  bar->addAction(back_);
  bar->addAction(forward_);
  bar->addAction(reset_);
  bar->addAction(icicle_);
  bar->addSeparator();
  bar->addWidget(new QLabel(tr(" Sample type: "), bar));
  sample_types_ = new QComboBox(bar);
  sample_types_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  sample_types_->setMinimumContentsLength(16);
  connect(sample_types_, &QComboBox::activated, this, &MainWindow::OnSampleTypeChosen);
  bar->addWidget(sample_types_);
  bar->addSeparator();
  search_ = new QLineEdit(bar);
  search_->setPlaceholderText(tr("Search functions ( / )"));
  search_->setClearButtonEnabled(true);
  search_->setMinimumWidth(260);
  connect(search_, &QLineEdit::textEdited, this, [this] { search_timer_.start(); });
  connect(search_, &QLineEdit::textChanged, this, [this](const QString& text) {
    if (text.isEmpty()) search_timer_.start();  // the clear button
  });
  connect(search_, &QLineEdit::returnPressed, this, [this] {
    ApplySearch();
    flame_->setFocus();
  });
  bar->addWidget(search_);
  regex_ = new QCheckBox(tr("Regex"), bar);
  connect(regex_, &QCheckBox::toggled, this, [this] { ApplySearch(); });
  bar->addWidget(regex_);
  // Esc in the search field: clear it and give the keys back to the graph.
  auto* escape = new QAction(search_);
  escape->setShortcut(Qt::Key_Escape);
  escape->setShortcutContext(Qt::WidgetShortcut);
  connect(escape, &QAction::triggered, this, [this] {
    search_->clear();
    ApplySearch();
    flame_->setFocus();
  });
  search_->addAction(escape);
}

void MainWindow::BuildStatusBar() {
  message_ = new QLabel(this);
  message_->setTextFormat(Qt::PlainText);
  statusBar()->addWidget(message_, 1);
  progress_ = new QProgressBar(this);
  progress_->setRange(0, 100);
  progress_->setMaximumWidth(220);
  progress_->setTextVisible(true);
  statusBar()->addPermanentWidget(progress_);
  cancel_ = new QToolButton(this);
  cancel_->setText(tr("Cancel"));
  connect(cancel_, &QToolButton::clicked, loader_, &ProfileLoader::Cancel);
  statusBar()->addPermanentWidget(cancel_);
  SetBusy(false);
  message_->setText(tr("Ready"));
}

void MainWindow::SetBusy(bool busy) {
  progress_->setVisible(busy);
  cancel_->setVisible(busy);
  if (busy) progress_->setValue(0);
}

void MainWindow::OpenFile(const QString& path, const QString& type_spec) {
  loader_->Open(path, type_spec, view_options_);
}

void MainWindow::CompareFiles(const QString& base, const QString& next, const QString& type_spec) {
  loader_->Compare(base, next, type_spec, view_options_);
}

void MainWindow::OpenCollection(const QStringList& paths, const QString& type_spec) {
  loader_->OpenCollection(paths, type_spec, view_options_);
}

void MainWindow::ConnectToServer(const QUrl& url, const QString& selector) {
  if (server_panel_ == nullptr) {
    server_dock_ = new QDockWidget(tr("kiln server"), this);
    server_dock_->setObjectName(QStringLiteral("server_dock"));
    server_panel_ = new ServerPanel(server_dock_);
    server_dock_->setWidget(server_panel_);
    addDockWidget(Qt::TopDockWidgetArea, server_dock_);
    connect(server_panel_, &ServerPanel::documentReady, this,
            [this](std::shared_ptr<const ProfileDocument> document) {
              loader_->Rebuild(document, document->DefaultChoice(), view_options_);
            });
    connect(server_panel_, &ServerPanel::diffReady, this,
            [this](std::shared_ptr<const ProfileDocument> base, std::shared_ptr<const ProfileDocument> next) {
              loader_->RebuildDiff(std::move(base), std::move(next), {}, view_options_);
            });
    // The pane shows the error too; no message box, a query error is
    // fixed in the pane (the selector, the span).
    connect(server_panel_, &ServerPanel::failed, this, [this](const QString& message) {
      message_->setText(tr("kiln server: %1").arg(message));
      Q_EMIT loadFailed(message);
    });
  }
  server_dock_->show();
  server_panel_->SetSelector(selector);
  server_panel_->Connect(url);
}

void MainWindow::ChooseServer() {
  QSettings settings;
  const QString last = settings.value(QStringLiteral("server/url"), QStringLiteral("http://127.0.0.1:4040")).toString();
  bool ok = false;
  const QString text = QInputDialog::getText(this, tr("Connect to kiln server"),
                                             tr("Server URL (kiln server --http-addr):"), QLineEdit::Normal, last, &ok)
                           .trimmed();
  if (!ok || text.isEmpty()) return;
  const QUrl url = QUrl::fromUserInput(text);
  if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
    QMessageBox::warning(this, tr("Kiln viewer"), tr("Not an http(s) URL: %1").arg(text));
    return;
  }
  settings.setValue(QStringLiteral("server/url"), url.toString());
  ConnectToServer(url);
}

void MainWindow::OnStarted(const QString& what) {
  SetBusy(true);
  message_->setText(what + QStringLiteral("…"));
}

void MainWindow::OnProgress(int percent, const QString& what) {
  progress_->setValue(percent);
  if (!what.isEmpty()) message_->setText(what);
}

void MainWindow::OnFailed(const QString& message) {
  SetBusy(false);
  message_->setText(tr("Failed: %1").arg(message));
  Q_EMIT loadFailed(message);
  if (options_.interactive) QMessageBox::warning(this, tr("Kiln viewer"), message);
}

void MainWindow::OnCanceled() {
  SetBusy(false);
  message_->setText(tr("Cancelled; the previous view is unchanged."));
}

void MainWindow::OnLoaded(std::shared_ptr<const LoadResult> result) {
  SetBusy(false);
  const bool new_collection = result->collection != nullptr && result->collection != collection_;
  documents_ = result->documents;
  choice_ = result->choice;
  type_spec_ = FromStd(result->type_spec);
  collection_ = result->collection;
  view_ = result->view;
  if (collection_ != nullptr) {
    mode_ = Mode::kCollection;
  } else if (view_->is_diff) {
    mode_ = Mode::kDiff;
  } else {
    mode_ = Mode::kSingle;
  }
  if (new_collection) {
    selection_.clear();
    heatmap_->SetCollection(collection_);
  }
  if (mode_ == Mode::kCollection && heatmap_->isHidden()) {
    heatmap_->show();
    right_splitter_->setSizes({220, std::max(200, right_splitter_->height() - 220)});
  } else if (mode_ != Mode::kCollection) {
    heatmap_->hide();
  }
  if (mode_ != Mode::kCollection) heatmap_->SetCollection(nullptr);

  const std::string& unit = view_->sample_type.unit;
  flame_->SetLayout(view_->layout, unit, view_->sources);
  top_model_->SetTable(view_->top, unit, view_->sources);
  top_table_->horizontalHeader()->setSortIndicator(TopTableItemModel::kSelf, Qt::DescendingOrder);
  diff_model_->SetRows(view_->share_changes);
  // The rows are in the core's order (largest change of self share first),
  // which no column sorts by: no indicator until the user sorts.
  diff_table_->horizontalHeader()->setSortIndicator(-1, Qt::DescendingOrder);
  left_tabs_->setTabEnabled(1, view_->is_diff);
  left_tabs_->setCurrentIndex(view_->is_diff ? 1 : 0);
  sandwich_->SetTree(view_->tree, unit, view_->sources);
  if (!selected_function_.isEmpty()) ShowSandwich(selected_function_);
  FillSampleTypes();

  setWindowTitle(tr("%1 — Kiln viewer").arg(FromStd(view_->title)));
  QString text;
  if (view_->is_diff) {
    text = tr("Base total %1, new total %2")
               .arg(FromStd(FormatValue(view_->layout->side_total(0), unit)),
                    FromStd(FormatValue(view_->layout->side_total(1), unit)));
  } else {
    text = tr("Total %1").arg(FromStd(FormatValue(view_->layout->total(), unit)));
  }
  text += tr(" — %1 nodes, %2 functions").arg(view_->layout->size()).arg(view_->top->rows().size());
  std::string notes;
  for (const auto& doc : documents_) notes += doc->ImportNotes();
  if (!notes.empty()) {
    text += tr(" — import notes (hover)");
    message_->setToolTip(FromStd(notes));
  } else {
    message_->setToolTip({});
  }
  message_->setText(text);
  // The search field survives a reload: highlight in the new view (this
  // also puts the search's figures in the status bar).
  if (!search_->text().isEmpty()) ApplySearch();

  // A profile from kiln server has a title, not a path: not a recent file.
  if (mode_ == Mode::kSingle && QFileInfo::exists(FromStd(documents_[0]->path()))) {
    AddRecent({FromStd(documents_[0]->path())});
  }
  UpdateActions();
  Q_EMIT viewReady();
}

void MainWindow::FillSampleTypes() {
  const QSignalBlocker block(sample_types_);
  sample_types_->clear();
  if (documents_.empty()) return;
  const ProfileDocument& doc = *documents_[0];
  const std::vector<SampleTypeChoice> choices = doc.Choices();
  for (size_t i = 0; i < choices.size(); ++i) {
    sample_types_->addItem(FromStd(doc.Describe(choices[i])), static_cast<int>(i));
  }
  // A diff or a collection shows one type by name across files: the first
  // matching entry of the first file is current.
  for (int i = 0; i < sample_types_->count(); ++i) {
    const SampleTypeChoice c = choices[static_cast<size_t>(i)];
    const ValueType& t = doc.TypeOf(c);
    if ((mode_ == Mode::kSingle && c == choice_) ||
        (mode_ != Mode::kSingle && FromStd(t.type + "/" + t.unit) == type_spec_)) {
      sample_types_->setCurrentIndex(i);
      break;
    }
  }
}

void MainWindow::OnSampleTypeChosen(int index) {
  if (documents_.empty() || index < 0) return;
  const ProfileDocument& doc = *documents_[0];
  const std::vector<SampleTypeChoice> choices = doc.Choices();
  if (static_cast<size_t>(index) >= choices.size()) return;
  const SampleTypeChoice choice = choices[static_cast<size_t>(index)];
  const ValueType& t = doc.TypeOf(choice);
  const QString spec = FromStd(t.type + "/" + t.unit);
  switch (mode_) {
    case Mode::kSingle:
      loader_->Rebuild(documents_[0], choice, view_options_);
      break;
    case Mode::kDiff:
      loader_->RebuildDiff(documents_[0], documents_[1], spec, view_options_);
      break;
    case Mode::kCollection:
      loader_->Recollect(documents_, spec, view_options_);
      break;
    case Mode::kNone:
      break;
  }
}

void MainWindow::Rebuild() {
  switch (mode_) {
    case Mode::kSingle:
      loader_->Rebuild(documents_[0], choice_, view_options_);
      break;
    case Mode::kDiff:
      loader_->RebuildDiff(documents_[0], documents_[1], type_spec_, view_options_);
      break;
    case Mode::kCollection: {
      std::vector<uint64_t> ids = selection_;
      if (ids.empty()) {
        ids.resize(collection_->refs.size());
        for (size_t i = 0; i < ids.size(); ++i) ids[i] = i;
      }
      loader_->MergeSelection(collection_, ids, view_options_);
      break;
    }
    case Mode::kNone:
      break;
  }
}

void MainWindow::SetOrientation(Orientation orientation) {
  icicle_->setChecked(orientation == Orientation::kIcicle);  // toggled() sets the widget
}

void MainWindow::Search(const QString& text) {
  search_->setText(text);
  ApplySearch();
}

void MainWindow::ApplySearch() {
  search_timer_.stop();
  const QString text = search_->text();
  if (text.isEmpty()) {
    flame_->ClearSearch();
    search_->setStyleSheet({});
    if (view_ != nullptr) message_->setText(tr("Search cleared"));
    return;
  }
  SearchQuery query;
  query.pattern = text.toStdString();
  query.mode = regex_->isChecked() ? MatchMode::kRegex : MatchMode::kSubstring;
  const absl::Status status = flame_->SetSearch(query);
  if (!status.ok()) {
    search_->setStyleSheet(QStringLiteral("QLineEdit { background: #fde2e2; }"));
    message_->setText(MessageOf(status));
    return;
  }
  search_->setStyleSheet({});
  if (const SearchResult* result = flame_->search(); result != nullptr && view_ != nullptr) {
    const std::string& unit = view_->sample_type.unit;
    const int64_t total = view_->layout->total();
    const double percent = total == 0 ? 0 : 100.0 * static_cast<double>(result->matched_value()) / total;
    message_->setText(tr("%1 functions match in %2 nodes: %3 (%4% of the total)")
                          .arg(result->matched_names().size())
                          .arg(result->matched_nodes().size())
                          .arg(FromStd(FormatValue(result->matched_value(), unit)))
                          .arg(percent, 0, 'f', 2));
  }
}

void MainWindow::SelectFunction(const QString& name) {
  if (name.isEmpty()) return;
  selected_function_ = name;
  const int row = top_model_->RowOf(name);
  if (row >= 0) {
    const QSignalBlocker block(top_table_->selectionModel());
    top_table_->selectRow(row);
    top_table_->scrollTo(top_model_->index(row, 0));
  }
  sandwich_->ShowFunction(name);
}

void MainWindow::ShowSandwich(const QString& name) {
  if (name.isEmpty()) return;
  selected_function_ = name;
  sandwich_->ShowFunction(name);
  if (sender() == flame_ || sender() == sandwich_) right_tabs_->setCurrentWidget(sandwich_);
}

void MainWindow::UpdateActions() {
  const bool has_view = view_ != nullptr;
  back_->setEnabled(flame_->CanGoBack());
  forward_->setEnabled(flame_->CanGoForward());
  reset_->setEnabled(has_view);
  export_png_->setEnabled(has_view);
  export_svg_->setEnabled(has_view);
  export_pprof_->setEnabled(has_view && mode_ != Mode::kDiff);
}

void MainWindow::ChooseOpen() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open a profile"), {}, FileFilter());
  if (!path.isEmpty()) OpenFile(path);
}

void MainWindow::ChooseCompare() {
  const QString base = QFileDialog::getOpenFileName(this, tr("Compare: the base (before) profile"), {}, FileFilter());
  if (base.isEmpty()) return;
  const QString next = QFileDialog::getOpenFileName(this, tr("Compare: the new (after) profile"),
                                                    QFileInfo(base).absolutePath(), FileFilter());
  if (!next.isEmpty()) CompareFiles(base, next);
}

void MainWindow::ChooseCollection() {
  const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Open several profiles"), {}, FileFilter());
  if (!paths.isEmpty()) OpenCollection(paths);
}

absl::Status MainWindow::ExportPngTo(const QString& path) {
  if (view_ == nullptr) return absl::FailedPreconditionError("nothing to export");
  if (!right_tabs_->currentWidget()->grab().save(path, "PNG")) {
    return absl::InternalError(fmt::format("{}: cannot write", path.toStdString()));
  }
  return absl::OkStatus();
}

absl::Status MainWindow::ExportSvgTo(const QString& path) {
  if (view_ == nullptr) return absl::FailedPreconditionError("nothing to export");
  return WriteFile(path, flame_->ToSvg(view_->title));
}

absl::Status MainWindow::ExportPprofTo(const QString& path) {
  if (view_ == nullptr) return absl::FailedPreconditionError("nothing to export");
  if (mode_ == Mode::kDiff) return absl::FailedPreconditionError("a diff has no single profile to export");
  absl::StatusOr<std::string> bytes;
  if (mode_ == Mode::kSingle) {
    // The opened profile itself, every sample type: nothing is lost.
    bytes = WritePprof(documents_[0]->profiles()[choice_.profile]);
  } else {
    // A heatmap selection: the merged tree of the shown type.
    bytes = WritePprof(TreeToProfile(*view_->tree, view_->sample_type));
  }
  if (!bytes.ok()) return bytes.status();
  return WriteFile(path, *bytes);
}

void MainWindow::ExportPng() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export PNG"), QStringLiteral("flamegraph.png"),
                                                    tr("PNG images (*.png)"));
  if (path.isEmpty()) return;
  const absl::Status status = ExportPngTo(path);
  message_->setText(status.ok() ? tr("Saved %1").arg(path) : MessageOf(status));
}

void MainWindow::ExportSvg() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export SVG"), QStringLiteral("flamegraph.svg"),
                                                    tr("SVG images (*.svg)"));
  if (path.isEmpty()) return;
  const absl::Status status = ExportSvgTo(path);
  message_->setText(status.ok() ? tr("Saved %1").arg(path) : MessageOf(status));
}

void MainWindow::ExportPprof() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export pprof"), QStringLiteral("profile.pb.gz"),
                                                    tr("pprof (*.pb.gz)"));
  if (path.isEmpty()) return;
  const absl::Status status = ExportPprofTo(path);
  message_->setText(status.ok() ? tr("Saved %1").arg(path) : MessageOf(status));
}

void MainWindow::CopySelectedName() {
  QString name = flame_->selected_name();
  if (name.isEmpty()) name = selected_function_;
  if (!name.isEmpty()) QApplication::clipboard()->setText(name);
}

void MainWindow::ShowKeys() {
  QMessageBox::information(
      this, tr("Keys and mouse"),
      tr("Flame graph:\n"
         "  wheel — zoom around the cursor; Shift+wheel — scroll rows\n"
         "  drag — pan; click — focus a node (a grey folded bar: zoom to it)\n"
         "  right click — copy name, focus, sandwich, back/forward/reset\n"
         "  /  — search (substring, or regex with Regex checked); Enter — back to the graph\n"
         "  Esc — reset zoom and search\n"
         "  Backspace or Alt+Left — back; Alt+Right — forward; Home or Ctrl+0 — reset zoom\n"
         "  + / - — zoom around the middle; arrows — pan and scroll\n"
         "  Ctrl+C — copy the focused function's name\n"
         "Tables: click a row — sandwich of that function; double click — find it in the graph.\n"
         "Files: drop one file to open it, two to compare them, three or more for a heatmap."));
}

void MainWindow::AddRecent(const QStringList& paths) {
  if (!options_.remember_recent) return;
  QSettings settings(QStringLiteral("Kiln"), QStringLiteral("kiln-viewer"));
  QStringList recent = settings.value(kRecentKey).toStringList();
  for (const QString& p : paths) {
    const QString absolute = QFileInfo(p).absoluteFilePath();
    recent.removeAll(absolute);
    recent.prepend(absolute);
  }
  while (recent.size() > kMaxRecent) recent.removeLast();
  settings.setValue(kRecentKey, recent);
  FillRecentMenu();
}

QStringList MainWindow::RecentFiles() const {
  if (!options_.remember_recent) return {};
  QSettings settings(QStringLiteral("Kiln"), QStringLiteral("kiln-viewer"));
  return settings.value(kRecentKey).toStringList();
}

void MainWindow::FillRecentMenu() {
  recent_menu_->clear();
  const QStringList recent = RecentFiles();
  for (const QString& path : recent) {
    recent_menu_->addAction(path, this, [this, path] { OpenFile(path); });
  }
  recent_menu_->setEnabled(!recent.isEmpty());
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  QStringList paths;
  for (const QUrl& url : event->mimeData()->urls()) {
    if (url.isLocalFile()) paths << url.toLocalFile();
  }
  if (paths.size() == 1) {
    OpenFile(paths[0]);
  } else if (paths.size() == 2) {
    CompareFiles(paths[0], paths[1]);
  } else if (paths.size() > 2) {
    OpenCollection(paths);
  }
  event->acceptProposedAction();
}

absl::Status MainWindow::SaveScreenshot(const QString& path) {
  const QPixmap pixmap = grab();
  if (!pixmap.save(path, "PNG")) return absl::InternalError(fmt::format("{}: cannot write", path.toStdString()));
  std::string text = fmt::format("window {} {}\n", pixmap.width(), pixmap.height());
  auto rect_line = [&](const char* what, const QWidget* widget) {
    const QRect r = RectIn(widget, this);
    text += fmt::format("{} {} {} {} {}\n", what, r.x(), r.y(), r.width(), r.height());
  };
  if (flame_->isVisible()) rect_line("flame_graph", flame_);
  if (heatmap_->isVisible()) rect_line("heatmap", heatmap_);
  if (view_ != nullptr && flame_->layout() != nullptr) {
    const RenderList& list = flame_->CurrentRenderList();
    size_t labelled = 0;
    for (const RenderItem& item : list.items) labelled += item.label_length > 0 ? 1 : 0;
    text += fmt::format("title {}\nitems {}\nlabelled {}\n", view_->title, list.items.size(), labelled);
    // Item rectangles with labels (x y w h "label"), for pixel checks.
    for (const RenderItem& item : list.items) {
      if (item.label_length == 0) continue;
      text += fmt::format("label {:.1f} {:.1f} {:.1f} {:.1f} {}\n", item.x, item.y, item.w, item.h,
                          list.label(item));
    }
    text += "render_list\n" + PrintRenderList(list, *flame_->layout());
  }
  return WriteFile(path + QStringLiteral(".txt"), text);
}

}  // namespace kiln::viewer::qt
