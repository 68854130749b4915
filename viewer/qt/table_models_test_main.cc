// Runs the table models' QTest classes in one binary (offscreen).
#include <QApplication>
#include <QTest>

#include "viewer/qt/top_table_item_model_test.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  int failed = 0;
  {
    kiln::viewer::qt::TopTableItemModelTest test;
    failed += QTest::qExec(&test, argc, argv);
  }
  {
    kiln::viewer::qt::DiffTableItemModelTest test;
    failed += QTest::qExec(&test, argc, argv);
  }
  return failed == 0 ? 0 : 1;
}
