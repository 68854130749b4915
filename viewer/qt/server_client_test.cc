// ServerClient against the real `kiln server` (KILN_CLI_PATH): started on
// 127.0.0.1 with a free port and a temp data dir, fed one collapsed profile
// through /ingest, then asked for its profile type, label values, series
// and merged tree, which must match what was posted. The tree-bytes reader
// is also checked alone, on good and broken input.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QComboBox>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

#include "viewer/qt/main_window.h"
#include "viewer/qt/series_widget.h"
#include "viewer/qt/server_client.h"
#include "viewer/qt/heatmap_widget.h"
#include "viewer/qt/server_panel.h"
#include "viewer/qt/top_table_item_model.h"
#include "kiln/export/tree_to_profile.h"
#include "kiln/query/tree_bytes.h"

namespace kiln::viewer::qt {
namespace {

constexpr int kTimeoutMs = 30'000;
const QString kCpuType = QStringLiteral("process_cpu:cpu:nanoseconds:cpu:nanoseconds");

// Runs the event loop until |start| calls back (or the timeout: nullopt).
template <typename T>
std::optional<absl::StatusOr<T>> Await(const std::function<void(ServerClient::Callback<T>)>& start) {
  std::optional<absl::StatusOr<T>> out;
  QEventLoop loop;
  start([&](absl::StatusOr<T> result) {
    out = std::move(result);
    loop.quit();
  });
  if (!out.has_value()) {
    QTimer::singleShot(kTimeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
  }
  return out;
}

// "main;handle;parse" -> self, walking the profile's stacks root first.
std::map<std::string, int64_t> CollapsedOf(const Profile& profile) {
  std::map<std::string, int64_t> out;
  std::vector<LocationId> leaf_first;
  for (size_t i = 0; i < profile.num_samples(); ++i) {
    profile.stacks.Unwind(profile.sample_stacks[i], &leaf_first);
    std::string stack;
    for (auto it = leaf_first.rbegin(); it != leaf_first.rend(); ++it) {
      const auto lines = profile.symbols.lines(*it);
      if (!stack.empty()) stack += ';';
      stack += std::string(profile.symbols.FunctionName(lines[0].function_id));
    }
    out[stack] += profile.values(i)[0];
  }
  return out;
}

// POSTs collapsed stacks to |base|/ingest as one profile of |name| over
// [from_s - 10, from_s]; the HTTP status.
int Ingest(const QUrl& base, const QString& name, int64_t from_s, const QByteArray& body) {
  QUrl ingest = base;
  ingest.setPath(QStringLiteral("/ingest"));
  QUrlQuery query;
  query.addQueryItem(QStringLiteral("name"), name);
  query.addQueryItem(QStringLiteral("from"), QString::number(from_s - 10));
  query.addQueryItem(QStringLiteral("until"), QString::number(from_s));
  ingest.setQuery(query);
  QNetworkAccessManager network;
  QNetworkRequest request(ingest);
  request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("text/plain"));
  QNetworkReply* reply = network.post(request, body);
  QSignalSpy finished(reply, &QNetworkReply::finished);
  if (!finished.wait(kTimeoutMs)) return 0;
  const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
  reply->deleteLater();
  return status;
}

}  // namespace

class ServerClientTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase();
  void cleanupTestCase();
  void listsTypesAndLabels();
  void seriesTotal();
  void mergedTreeMatchesPost();
  void serverErrorIsReported();
  void unreachableServerIsReported();
  void mainWindowShowsServerProfile();
  void seriesBrushSelectsRange();
  void mainWindowShowsServerError();
  void mainWindowDiffsTwoSelections();
  void heatmapCellsLoadExactlyTheirProfiles();

 private:
  QTemporaryDir data_dir_;
  QProcess server_;
  QUrl base_;
  ServerTimeRange range_;
};

void ServerClientTest::initTestCase() {
  QVERIFY(data_dir_.isValid());
  server_.setProgram(QStringLiteral(KILN_CLI_PATH));
  server_.setArguments({QStringLiteral("server"), QStringLiteral("--data-dir"), data_dir_.path(),
                        QStringLiteral("--http-addr"), QStringLiteral("127.0.0.1:0"),
                        QStringLiteral("--grpc-addr"), QStringLiteral("127.0.0.1:0")});
  server_.setProcessChannelMode(QProcess::SeparateChannels);
  server_.start();
  QVERIFY2(server_.waitForStarted(kTimeoutMs), qPrintable(server_.errorString()));
  // The daemon logs `msg=listening http_addr=127.0.0.1:PORT` once it serves.
  static const QRegularExpression listening(QStringLiteral("msg=listening http_addr=(\\S+)"));
  QString log;
  QElapsedTimer timer;
  timer.start();
  while (base_.isEmpty() && timer.elapsed() < kTimeoutMs) {
    server_.waitForReadyRead(500);
    log += QString::fromUtf8(server_.readAllStandardError());
    const QRegularExpressionMatch m = listening.match(log);
    if (m.hasMatch()) base_ = QUrl(QStringLiteral("http://") + m.captured(1));
    QVERIFY2(server_.state() == QProcess::Running, qPrintable(log));
  }
  QVERIFY2(!base_.isEmpty(), qPrintable(log));

  // 500 samples at 100 Hz (the default rate): 5 s of CPU in nanoseconds.
  const int64_t now_ms = QDateTime::currentMSecsSinceEpoch();
  QCOMPARE(Ingest(base_, QStringLiteral("viewer-test"), now_ms / 1000,
                  "main;handle;parse 120\nmain;handle;render 300\nmain;idle 80\n"),
           200);
  range_ = {now_ms - 3'600'000, now_ms + 60'000};
}

void ServerClientTest::cleanupTestCase() {
  if (server_.state() == QProcess::Running) {
    server_.terminate();  // SIGTERM to the process we started
    if (!server_.waitForFinished(kTimeoutMs)) server_.kill();
    QCOMPARE(server_.exitCode(), 0);
  }
}

void ServerClientTest::listsTypesAndLabels() {
  ServerClient client(base_);
  auto types = Await<std::vector<ServerProfileType>>(
      [&](auto done) { client.ProfileTypes(range_, std::move(done)); });
  QVERIFY(types.has_value());
  QVERIFY2(types->ok(), std::string(types->status().message()).c_str());
  bool found = false;
  for (const ServerProfileType& t : **types) {
    if (t.id == kCpuType) {
      found = true;
      QCOMPARE(t.sample_type, QStringLiteral("cpu"));
      QCOMPARE(t.sample_unit, QStringLiteral("nanoseconds"));
    }
  }
  QVERIFY(found);

  auto names = Await<QStringList>([&](auto done) { client.LabelNames({}, range_, std::move(done)); });
  QVERIFY(names.has_value() && names->ok());
  QVERIFY((*names)->contains(QStringLiteral("service_name")));

  auto values = Await<QStringList>(
      [&](auto done) { client.LabelValues(QStringLiteral("service_name"), {}, range_, std::move(done)); });
  QVERIFY(values.has_value() && values->ok());
  QCOMPARE(**values, QStringList{QStringLiteral("viewer-test")});
}

void ServerClientTest::seriesTotal() {
  ServerClient client(base_);
  auto series = Await<std::vector<ServerSeries>>([&](auto done) {
    client.SelectSeries(kCpuType, QStringLiteral("{service_name=\"viewer-test\"}"), range_, 60, std::move(done));
  });
  QVERIFY(series.has_value());
  QVERIFY2(series->ok(), std::string(series->status().message()).c_str());
  QCOMPARE((*series)->size(), size_t{1});
  double total = 0;
  for (const ServerSeriesPoint& p : (**series)[0].points) {
    QVERIFY(p.timestamp_ms >= range_.start_ms && p.timestamp_ms <= range_.end_ms);
    total += p.value;
  }
  QCOMPARE(total, 5'000'000'000.0);
  // Another service: nothing.
  auto none = Await<std::vector<ServerSeries>>([&](auto done) {
    client.SelectSeries(kCpuType, QStringLiteral("{service_name=\"nobody\"}"), range_, 60, std::move(done));
  });
  QVERIFY(none.has_value() && none->ok());
  QVERIFY((*none)->empty());
}

void ServerClientTest::mergedTreeMatchesPost() {
  ServerClient client(base_);
  auto tree = Await<QByteArray>([&](auto done) {
    client.SelectMergeTree(kCpuType, QStringLiteral("{service_name=\"viewer-test\"}"), range_, 0, std::move(done));
  });
  QVERIFY(tree.has_value());
  QVERIFY2(tree->ok(), std::string(tree->status().message()).c_str());
  absl::StatusOr<Tree> merged = ReadTreeBytes(std::string_view((*tree)->data(), (*tree)->size()));
  QVERIFY2(merged.ok(), std::string(merged.status().message()).c_str());
  const Profile profile = TreeToProfile(*merged, {"cpu", "nanoseconds"});
  QCOMPARE(profile.Total(0), int64_t{5'000'000'000});
  const std::map<std::string, int64_t> want = {
      {"main;handle;parse", 1'200'000'000}, {"main;handle;render", 3'000'000'000}, {"main;idle", 800'000'000}};
  QVERIFY(CollapsedOf(profile) == want);
}

void ServerClientTest::serverErrorIsReported() {
  ServerClient client(base_);
  auto tree = Await<QByteArray>([&](auto done) {
    client.SelectMergeTree(kCpuType, QStringLiteral("{service_name=~\"(\"}"), range_, 0, std::move(done));
  });
  QVERIFY(tree.has_value());
  QVERIFY(!tree->ok());
  QCOMPARE(tree->status().code(), absl::StatusCode::kInvalidArgument);
  const std::string message(tree->status().message());
  QVERIFY2(message.find("invalid regex") != std::string::npos, message.c_str());
  QVERIFY2(message.find("invalid_argument") != std::string::npos, message.c_str());
}

void ServerClientTest::unreachableServerIsReported() {
  // A port nothing listens on: bind one, note it, close it.
  QTcpServer probe;
  QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
  const quint16 port = probe.serverPort();
  probe.close();
  ServerClient client(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
  auto names = Await<QStringList>([&](auto done) { client.LabelNames({}, range_, std::move(done)); });
  QVERIFY(names.has_value());
  QVERIFY(!names->ok());
  QCOMPARE(names->status().code(), absl::StatusCode::kUnavailable);
}

// The whole path: MainWindow > ServerPanel > ServerClient > the loader's
// views, and the series and completion the pane shows.
void ServerClientTest::mainWindowShowsServerProfile() {
  MainWindow::Options options;
  options.remember_recent = false;
  options.interactive = false;
  MainWindow window(options);
  QSignalSpy ready(&window, &MainWindow::viewReady);
  QSignalSpy failed(&window, &MainWindow::loadFailed);
  window.ConnectToServer(base_, QStringLiteral("{service_name=\"viewer-test\"}"));
  QVERIFY(window.server_panel() != nullptr);
  QVERIFY(ready.wait(kTimeoutMs));
  QCOMPARE(failed.count(), 0);
  QVERIFY(window.view() != nullptr);
  QCOMPARE(window.view()->top->total(), int64_t{5'000'000'000});
  QCOMPARE(window.view()->sample_type.unit, std::string("nanoseconds"));
  // Functions of the posted stacks, with their self time.
  std::map<QString, int64_t> self;
  for (const auto& row : window.view()->top->rows()) self[QString::fromStdString(row.name)] = row.flat;
  QCOMPARE(self[QStringLiteral("render")], int64_t{3'000'000'000});
  QCOMPARE(self[QStringLiteral("parse")], int64_t{1'200'000'000});
  QCOMPARE(self[QStringLiteral("idle")], int64_t{800'000'000});

  ServerPanel* panel = window.server_panel();
  QTRY_VERIFY_WITH_TIMEOUT(!panel->series()->points().empty(), kTimeoutMs);
  double total = 0;
  for (const ServerSeriesPoint& p : panel->series()->points()) total += p.value;
  QCOMPARE(total, 5'000'000'000.0);
  QTRY_VERIFY_WITH_TIMEOUT(panel->Completions().contains(QStringLiteral("{service_name=\"viewer-test\"}")),
                           kTimeoutMs);
  QCOMPARE(panel->profile_types()->currentText(), kCpuType);

  // A brush before the data: an empty merge, an empty view.
  ready.clear();
  const ServerTimeRange axis = panel->series()->range();
  panel->series()->SetSelection(ServerTimeRange{axis.start_ms, axis.start_ms + 60'000});
  QVERIFY(ready.wait(kTimeoutMs));
  QCOMPARE(failed.count(), 0);
  QCOMPARE(window.view()->top->total(), int64_t{0});
  // A brush over the whole axis: everything again.
  ready.clear();
  panel->series()->SetSelection(std::nullopt);
  QVERIFY(ready.wait(kTimeoutMs));
  QCOMPARE(window.view()->top->total(), int64_t{5'000'000'000});
}

// A mouse drag on the series is the brush: its pixels map to times on the
// axis; a click clears it (the whole axis).
void ServerClientTest::seriesBrushSelectsRange() {
  SeriesWidget series;
  series.resize(416, 120);  // a plot 400 px wide (8 px margins)
  series.SetSeries({{1'000'000, 5}, {1'200'000, 7}}, {1'000'000, 1'400'000}, 10'000, "count");
  QSignalSpy selected(&series, &SeriesWidget::rangeSelected);
  QTest::mousePress(&series, Qt::LeftButton, {}, QPoint(108, 60));
  QTest::mouseMove(&series, QPoint(200, 60));
  QTest::mouseRelease(&series, Qt::LeftButton, {}, QPoint(308, 60));
  QCOMPARE(selected.count(), 1);
  // x 108..308 of a 400 px plot from x 8: a quarter to three quarters.
  QCOMPARE(selected[0][0].toLongLong(), qint64{1'100'000});
  QCOMPARE(selected[0][1].toLongLong(), qint64{1'300'000});
  QVERIFY(series.selection().has_value());
  QTest::mouseClick(&series, Qt::LeftButton, {}, QPoint(150, 60));
  QCOMPARE(selected.count(), 2);
  QCOMPARE(selected[1][0].toLongLong(), qint64{1'000'000});
  QCOMPARE(selected[1][1].toLongLong(), qint64{1'400'000});
  QVERIFY(!series.selection().has_value());
}

void ServerClientTest::mainWindowShowsServerError() {
  MainWindow::Options options;
  options.remember_recent = false;
  options.interactive = false;
  MainWindow window(options);
  QSignalSpy failed(&window, &MainWindow::loadFailed);
  window.ConnectToServer(base_, QStringLiteral("{service_name=~\"(\"}"));
  QVERIFY(failed.wait(kTimeoutMs));
  QVERIFY2(failed[0][0].toString().contains(QStringLiteral("invalid regex")), qPrintable(failed[0][0].toString()));
}

// Compare: a baseline selection (another service, same range) against the
// selection → a diff view whose two trees are the two services' profiles.
void ServerClientTest::mainWindowDiffsTwoSelections() {
  // The baseline: 3 s in parse, 2 s idle, no render.
  QCOMPARE(Ingest(base_, QStringLiteral("viewer-base"), QDateTime::currentSecsSinceEpoch(),
                  "main;handle;parse 300\nmain;idle 200\n"),
           200);

  MainWindow::Options options;
  options.remember_recent = false;
  options.interactive = false;
  MainWindow window(options);
  QSignalSpy ready(&window, &MainWindow::viewReady);
  QSignalSpy failed(&window, &MainWindow::loadFailed);
  window.ConnectToServer(base_, QStringLiteral("{service_name=\"viewer-test\"}"));
  QVERIFY(ready.wait(kTimeoutMs));
  ready.clear();
  ServerPanel* panel = window.server_panel();
  QSignalSpy diffed(panel, &ServerPanel::diffReady);
  panel->Compare(QStringLiteral("{service_name=\"viewer-base\"}"), 0);
  QVERIFY(ready.wait(kTimeoutMs));
  QCOMPARE(failed.count(), 0);
  QCOMPARE(diffed.count(), 1);
  QVERIFY(window.view()->is_diff);
  QCOMPARE(window.view()->base_tree->total(), int64_t{5'000'000'000});
  QCOMPARE(window.view()->tree->total(), int64_t{5'000'000'000});
  // render exists only on the new side; parse shrank from 3 s to 1.2 s.
  const Tree& base = *window.view()->base_tree;
  const Tree& next = *window.view()->tree;
  auto total_of = [](const Tree& t, std::vector<std::string_view> path) {
    Tree::NodeId node = Tree::kRoot;
    for (std::string_view name : path) {
      node = t.FindChild(node, name);
      if (node == Tree::kNone) return int64_t{-1};
    }
    return t.node(node).total;
  };
  QCOMPARE(total_of(base, {"main", "handle", "render"}), int64_t{-1});
  QCOMPARE(total_of(next, {"main", "handle", "render"}), int64_t{3'000'000'000});
  QCOMPARE(total_of(base, {"main", "handle", "parse"}), int64_t{3'000'000'000});
  QCOMPARE(total_of(next, {"main", "handle", "parse"}), int64_t{1'200'000'000});
  QVERIFY(!window.view()->share_changes.empty());

  // The selection against itself is refused, with a hint, and no diff.
  panel->Compare(QString(), 0);
  QCOMPARE(diffed.count(), 1);
}

// The heatmap of the span's profiles: a brush over the top value cells
// merges exactly the costly profile; over everything, all three.
void ServerClientTest::heatmapCellsLoadExactlyTheirProfiles() {
  const int64_t now_s = QDateTime::currentSecsSinceEpoch();
  // 1 s, 2 s and 4 s of CPU (100 Hz samples), 20 s apart.
  QCOMPARE(Ingest(base_, QStringLiteral("viewer-heat"), now_s - 40, "main;light 100\n"), 200);
  QCOMPARE(Ingest(base_, QStringLiteral("viewer-heat"), now_s - 20, "main;medium 200\n"), 200);
  QCOMPARE(Ingest(base_, QStringLiteral("viewer-heat"), now_s, "main;heavy 400\n"), 200);

  MainWindow::Options options;
  options.remember_recent = false;
  options.interactive = false;
  MainWindow window(options);
  QSignalSpy ready(&window, &MainWindow::viewReady);
  window.ConnectToServer(base_, QStringLiteral("{service_name=\"viewer-heat\"}"));
  QVERIFY(ready.wait(kTimeoutMs));
  QCOMPARE(window.view()->top->total(), int64_t{7'000'000'000});
  HeatmapWidget* heatmap = window.server_panel()->heatmap();
  QTRY_VERIFY_WITH_TIMEOUT(heatmap->collection() != nullptr && heatmap->collection()->points.size() == 3, kTimeoutMs);
  const Heatmap* bins = heatmap->heatmap();
  QVERIFY(bins != nullptr);
  const uint32_t top = bins->value_buckets() - 1;
  // The top value row holds only the 4 s profile.
  ready.clear();
  heatmap->SelectCells(0, top, bins->time_buckets() - 1, top);
  QVERIFY(ready.wait(kTimeoutMs));
  QCOMPARE(window.view()->top->total(), int64_t{4'000'000'000});
  std::map<QString, int64_t> self;
  for (const auto& row : window.view()->top->rows()) self[QString::fromStdString(row.name)] = row.flat;
  QCOMPARE(self[QStringLiteral("heavy")], int64_t{4'000'000'000});
  QCOMPARE(self.count(QStringLiteral("light")), size_t{0});
  // Every cell: all three.
  ready.clear();
  heatmap->SelectCells(0, 0, bins->time_buckets() - 1, top);
  QVERIFY(ready.wait(kTimeoutMs));
  QCOMPARE(window.view()->top->total(), int64_t{7'000'000'000});
}

}  // namespace kiln::viewer::qt

QTEST_MAIN(kiln::viewer::qt::ServerClientTest)
#include "server_client_test.moc"
