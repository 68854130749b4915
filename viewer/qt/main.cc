// kiln-viewer: the Qt desktop viewer of Kiln.
//
//   kiln-viewer [FILE]                      open a profile (any format Kiln imports)
//   kiln-viewer --diff BASE NEW             compare two profiles
//   kiln-viewer --heatmap FILE FILE...      several profiles as a heatmap
//   kiln-viewer --server URL [--selector S] profiles from a running `kiln server`
//   --sample-type TYPE                      "cpu" or "alloc_space/bytes"
//   --search TEXT                           highlight functions matching TEXT
//   --flame                                 root at the bottom (default: icicle)
//   --screenshot OUT.png [--size WxH]       load, lay out, render the window
//                                           once, save OUT.png (and OUT.png.txt), exit
#include <cstdio>

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>
#include <QUrl>

#include "viewer/qt/main_window.h"

namespace {

// A screenshot run gives up after this long (a hung load fails the test).
constexpr int kScreenshotTimeoutMs = 240'000;
// Time for the window's layout to settle after the view arrives.
constexpr int kSettleMs = 200;

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("kiln-viewer"));
  QApplication::setOrganizationName(QStringLiteral("Kiln"));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Kiln's desktop profile viewer"));
  parser.addHelpOption();
  parser.addPositionalArgument(QStringLiteral("files"), QStringLiteral("Profiles to open"), QStringLiteral("[FILE...]"));
  const QCommandLineOption diff(QStringLiteral("diff"), QStringLiteral("Compare two files: --diff BASE NEW"));
  const QCommandLineOption heatmap(QStringLiteral("heatmap"),
                                   QStringLiteral("Open the files as one heatmap of profiles"));
  const QCommandLineOption sample_type(QStringLiteral("sample-type"),
                                       QStringLiteral("Sample type to show (\"cpu\", \"alloc_space/bytes\")"),
                                       QStringLiteral("TYPE"));
  const QCommandLineOption search(QStringLiteral("search"), QStringLiteral("Highlight functions matching TEXT"),
                                  QStringLiteral("TEXT"));
  const QCommandLineOption flame(QStringLiteral("flame"), QStringLiteral("Root at the bottom (default: icicle)"));
  const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                      QStringLiteral("Load, render the window once, save it as OUT.png, exit"),
                                      QStringLiteral("OUT.png"));
  const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size for --screenshot"),
                                QStringLiteral("WxH"), QStringLiteral("1400x900"));
  const QCommandLineOption server(QStringLiteral("server"),
                                  QStringLiteral("Open profiles from the kiln server at URL (http://HOST:PORT)"),
                                  QStringLiteral("URL"));
  const QCommandLineOption selector(QStringLiteral("selector"),
                                    QStringLiteral("With --server: a label selector, e.g. {service_name=\"api\"}"),
                                    QStringLiteral("SELECTOR"));
  parser.addOptions({diff, heatmap, sample_type, search, flame, screenshot, size, server, selector});
  parser.process(app);

  const QStringList files = parser.positionalArguments();
  const QString type = parser.value(sample_type);
  const QString out = parser.value(screenshot);
  const bool taking_screenshot = parser.isSet(screenshot);
  if (parser.isSet(diff) && files.size() != 2) {
    std::fprintf(stderr, "kiln-viewer: --diff takes two files, BASE and NEW\n");
    return 2;
  }
  if (!parser.isSet(diff) && !parser.isSet(heatmap) && files.size() > 1) {
    std::fprintf(stderr, "kiln-viewer: several files: use --diff BASE NEW or --heatmap FILE...\n");
    return 2;
  }
  const QUrl server_url = QUrl::fromUserInput(parser.value(server));
  if (parser.isSet(server) && (!server_url.isValid() || !server_url.scheme().startsWith(QLatin1String("http")))) {
    std::fprintf(stderr, "kiln-viewer: --server takes an http(s) URL, e.g. http://127.0.0.1:4040\n");
    return 2;
  }
  if (parser.isSet(server) && !files.isEmpty()) {
    std::fprintf(stderr, "kiln-viewer: --server opens no files; give one or the other\n");
    return 2;
  }
  if (taking_screenshot && files.isEmpty() && !parser.isSet(server)) {
    std::fprintf(stderr, "kiln-viewer: --screenshot needs a file to show\n");
    return 2;
  }

  kiln::viewer::qt::MainWindow::Options options;
  options.remember_recent = !taking_screenshot;
  options.interactive = !taking_screenshot;
  kiln::viewer::qt::MainWindow window(options);
  if (parser.isSet(flame)) {
    window.SetOrientation(kiln::viewer::Orientation::kFlame);
  }
  if (taking_screenshot) {
    const QStringList wh = parser.value(size).split(QLatin1Char('x'));
    if (wh.size() == 2 && wh[0].toInt() > 0 && wh[1].toInt() > 0) window.resize(wh[0].toInt(), wh[1].toInt());
    QObject::connect(&window, &kiln::viewer::qt::MainWindow::viewReady, &window, [&] {
      if (parser.isSet(search)) window.Search(parser.value(search));
      QTimer::singleShot(kSettleMs, &window, [&] {
        const absl::Status status = window.SaveScreenshot(out);
        if (!status.ok()) {
          std::fprintf(stderr, "kiln-viewer: %.*s\n", static_cast<int>(status.message().size()),
                       status.message().data());
          QApplication::exit(1);
          return;
        }
        std::fprintf(stderr, "kiln-viewer: saved %s\n", qPrintable(out));
        QApplication::exit(0);
      });
    });
    QObject::connect(&window, &kiln::viewer::qt::MainWindow::loadFailed, &window, [](const QString& message) {
      std::fprintf(stderr, "kiln-viewer: %s\n", qPrintable(message));
      QApplication::exit(1);
    });
    QTimer::singleShot(kScreenshotTimeoutMs, &window, [] {
      std::fprintf(stderr, "kiln-viewer: the screenshot timed out\n");
      QApplication::exit(3);
    });
  } else if (parser.isSet(search)) {
    QObject::connect(&window, &kiln::viewer::qt::MainWindow::viewReady, &window,
                     [&] { window.Search(parser.value(search)); });
  }
  window.show();

  if (parser.isSet(server)) {
    window.ConnectToServer(server_url, parser.value(selector));
  } else if (parser.isSet(diff)) {
    window.CompareFiles(files[0], files[1], type);
  } else if (parser.isSet(heatmap) && !files.isEmpty()) {
    window.OpenCollection(files, type);
  } else if (!files.isEmpty()) {
    window.OpenFile(files[0], type);
  }
  return QApplication::exec();
}
