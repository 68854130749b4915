#include "viewer/qt/sandwich_widget.h"

#include <utility>

#include <QSplitter>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "kiln/query/value_format.h"

namespace kiln::viewer::qt {

SandwichWidget::SandwichWidget(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  title_ = new QLabel(this);
  title_->setTextFormat(Qt::PlainText);
  title_->setContentsMargins(6, 4, 6, 4);
  layout->addWidget(title_);
  auto* splitter = new QSplitter(Qt::Vertical, this);
  callers_ = new FlameGraphWidget(splitter);
  callers_->SetOrientation(Orientation::kFlame);
  callers_->SetPlaceholder(tr("Callers"));
  callees_ = new FlameGraphWidget(splitter);
  callees_->SetOrientation(Orientation::kIcicle);
  callees_->SetPlaceholder(tr("Callees"));
  splitter->addWidget(callers_);
  splitter->addWidget(callees_);
  layout->addWidget(splitter, 1);
  for (FlameGraphWidget* half : {callers_, callees_}) {
    connect(half, &FlameGraphWidget::sandwichRequested, this, &SandwichWidget::sandwichRequested);
    connect(half, &FlameGraphWidget::nodeSelected, this, &SandwichWidget::nodeSelected);
  }
  SetTree(nullptr, "", nullptr);
}

void SandwichWidget::SetTree(std::shared_ptr<const Tree> tree, std::string unit,
                             std::shared_ptr<const SourceIndex> sources) {
  tree_ = std::move(tree);
  unit_ = std::move(unit);
  sources_ = std::move(sources);
  function_.clear();
  if (watcher_ != nullptr) {
    watcher_->disconnect(this);
    watcher_->deleteLater();
    watcher_ = nullptr;
  }
  callers_->ClearLayout();
  callees_->ClearLayout();
  title_->setText(tr("Select a function (click it in the flame graph or the top table) to see its callers "
                     "and callees."));
}

void SandwichWidget::SetDiffPalette(DiffPalette palette) {
  callers_->SetDiffPalette(palette);
  callees_->SetDiffPalette(palette);
}

void SandwichWidget::ShowFunction(const QString& name) {
  if (tree_ == nullptr || name.isEmpty()) return;
  function_ = name;
  title_->setText(tr("%1 — laying out…").arg(name));
  if (watcher_ != nullptr) {
    watcher_->disconnect(this);
    watcher_->deleteLater();
  }
  auto* watcher = new QFutureWatcher<std::shared_ptr<const SandwichLayouts>>(this);
  watcher_ = watcher;
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
    if (watcher != watcher_) return;
    watcher_ = nullptr;
    watcher->deleteLater();
    if (watcher->future().resultCount() > 0) OnLayouts(watcher->future().result());
  });
  watcher->setFuture(QtConcurrent::run([tree = tree_, function = name.toStdString()] {
    return std::shared_ptr<const SandwichLayouts>(
        std::make_shared<SandwichLayouts>(BuildSandwichLayouts(*tree, function)));
  }));
}

void SandwichWidget::OnLayouts(std::shared_ptr<const SandwichLayouts> layouts) {
  const int64_t total = tree_ != nullptr ? tree_->total() : 0;
  if (layouts->function_total == 0) {
    title_->setText(tr("%1 is not in this profile").arg(function_));
    callers_->ClearLayout();
    callees_->ClearLayout();
  } else {
    const double percent = total == 0 ? 0 : 100.0 * static_cast<double>(layouts->function_total) / total;
    title_->setText(tr("%1 — on stacks worth %2 (%3% of the total). Callers above, callees below.")
                        .arg(function_, QString::fromStdString(FormatValue(layouts->function_total, unit_)))
                        .arg(percent, 0, 'f', 2));
    // The halves share the layouts object; aliasing keeps it alive.
    callers_->SetLayout(std::shared_ptr<const DepthLayout>(layouts, &layouts->callers), unit_, sources_);
    callees_->SetLayout(std::shared_ptr<const DepthLayout>(layouts, &layouts->callees), unit_, sources_);
  }
  Q_EMIT ready();
}

}  // namespace kiln::viewer::qt
