#include "viewer/model/tree_from_collapsed.h"

#include <gtest/gtest.h>

#include "kiln/ingest/importer_registry.h"
#include "kiln/query/tree_builder.h"

namespace kiln::viewer::testing {

Tree TreeFromCollapsed(std::string_view text) {
  auto profiles = ImporterRegistry::Default().Import(text, "test.folded", "collapsed");
  if (!profiles.ok()) {
    ADD_FAILURE() << "collapsed text does not import: " << profiles.status().message();
    return Tree();
  }
  return BuildTree(profiles->front(), 0);
}

}  // namespace kiln::viewer::testing
