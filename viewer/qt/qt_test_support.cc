#include "viewer/qt/qt_test_support.h"

#include <QFile>
#include <QTest>

#include "kiln/ingest/importer_registry.h"
#include "kiln/query/tree_builder.h"

namespace kiln::viewer::qt::testing {

Tree TreeFromCollapsed(std::string_view text) {
  auto profiles = ImporterRegistry::Default().Import(text, "test.collapsed", "collapsed");
  if (!profiles.ok() || profiles->empty()) {
    QTest::qFail("the collapsed test input does not import", __FILE__, __LINE__);
    return Tree();
  }
  const Profile& p = (*profiles)[0];
  return BuildTree(p, p.DefaultTypeIndex());
}

bool WriteTextFile(const QString& path, std::string_view data) {
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
  return file.write(data.data(), static_cast<qint64>(data.size())) == static_cast<qint64>(data.size());
}

}  // namespace kiln::viewer::qt::testing
