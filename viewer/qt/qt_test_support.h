// Test support for the Qt tests: trees from collapsed-stack text (read by
// the core's collapsed importer, as the model's tests do) and files in a
// temporary directory.
#ifndef KILN_VIEWER_QT_QT_TEST_SUPPORT_H_
#define KILN_VIEWER_QT_QT_TEST_SUPPORT_H_

#include <string>
#include <string_view>

#include <QString>

#include "kiln/query/tree.h"

namespace kiln::viewer::qt::testing {

// Records a QTest failure and
// returns an empty tree when |text| does not import.
Tree TreeFromCollapsed(std::string_view text);

// Writes |data| to |path|; false on failure.
bool WriteTextFile(const QString& path, std::string_view data);

}  // namespace kiln::viewer::qt::testing

#endif  // KILN_VIEWER_QT_QT_TEST_SUPPORT_H_
