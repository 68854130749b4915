// The sandwich view of one function: its callers painted in flame
// orientation above (the function at the bottom, callers growing up) and
// its callees in icicle orientation below, two FlameGraphWidgets over the
// model's BuildSandwichLayouts (the core's BuildSandwich: recursion counted
// once per path). The layouts are built on the thread pool; a newer request
// supersedes an older one, whose result is dropped.
// Thread safety: UI thread only.
#ifndef KILN_VIEWER_QT_SANDWICH_WIDGET_H_
#define KILN_VIEWER_QT_SANDWICH_WIDGET_H_

#include <memory>
#include <string>

#include <QFutureWatcher>
#include <QLabel>
#include <QWidget>

#include "kiln/query/tree.h"
#include "kiln/viewer/palette.h"
#include "kiln/viewer/sandwich_layouts.h"
#include "viewer/qt/flame_graph_widget.h"
#include "viewer/qt/source_index.h"

namespace kiln::viewer::qt {

class SandwichWidget : public QWidget {
  Q_OBJECT

 public:
  explicit SandwichWidget(QWidget* parent = nullptr);

  // The tree functions are looked up in (null: nothing to show).
  void SetTree(std::shared_ptr<const Tree> tree, std::string unit, std::shared_ptr<const SourceIndex> sources);
  // Shows |name|'s callers and callees once laid out (ready() then).
  void ShowFunction(const QString& name);
  QString function() const { return function_; }
  void SetDiffPalette(DiffPalette palette);

  FlameGraphWidget* callers() const { return callers_; }
  FlameGraphWidget* callees() const { return callees_; }

 Q_SIGNALS:
  void ready();
  // A node's "Show sandwich" in either half: re-centre on it.
  void sandwichRequested(QString name);
  void nodeSelected(QString name);

 private:
  void OnLayouts(std::shared_ptr<const SandwichLayouts> layouts);

  std::shared_ptr<const Tree> tree_;
  std::shared_ptr<const SourceIndex> sources_;
  std::string unit_;
  QString function_;
  QLabel* title_;
  FlameGraphWidget* callers_;
  FlameGraphWidget* callees_;
  QFutureWatcher<std::shared_ptr<const SandwichLayouts>>* watcher_ = nullptr;
};

}  // namespace kiln::viewer::qt

#endif  // KILN_VIEWER_QT_SANDWICH_WIDGET_H_
