#include "viewer/qt/profile_loader.h"

#include <utility>

#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

#include "kiln/base/status_macros.h"

namespace kiln::viewer::qt {
namespace {

using ResultPtr = std::shared_ptr<const LoadResult>;

// Progress and cancellation through the job's QPromise.
class PromiseControl : public WorkControl {
 public:
  explicit PromiseControl(QPromise<ResultPtr>* promise) : promise_(promise) {}
  bool Canceled() const override { return promise_->isCanceled(); }
  void Progress(int percent, const std::string& what) override {
    promise_->setProgressValueAndText(percent, QString::fromStdString(what));
  }

 private:
  QPromise<ResultPtr>* promise_;
};

std::string Std(const QString& s) { return s.toStdString(); }

}  // namespace

ProfileLoader::ProfileLoader(QObject* parent) : QObject(parent) {
  qRegisterMetaType<ResultPtr>();
}

ProfileLoader::~ProfileLoader() {
  // The worker holds no pointer to this object; a running job finishes on
  // the pool and its result is dropped.
  if (watcher_ != nullptr) watcher_->future().cancel();
}

void ProfileLoader::Start(const QString& what, Job job) {
  if (watcher_ != nullptr) {
    watcher_->disconnect(this);
    watcher_->future().cancel();
    watcher_->deleteLater();
    watcher_ = nullptr;
  }
  auto* watcher = new QFutureWatcher<ResultPtr>(this);
  watcher_ = watcher;
  connect(watcher, &QFutureWatcherBase::progressValueChanged, this, [this, watcher](int value) {
    if (watcher == watcher_) Q_EMIT progress(value, watcher->progressText());
  });
  connect(watcher, &QFutureWatcherBase::progressTextChanged, this, [this, watcher](const QString& text) {
    if (watcher == watcher_) Q_EMIT progress(watcher->progressValue(), text);
  });
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] { OnFinished(watcher); });
  Q_EMIT started(what);
  watcher->setFuture(QtConcurrent::run([job = std::move(job)](QPromise<ResultPtr>& promise) {
    promise.setProgressRange(0, 100);
    PromiseControl control(&promise);
    auto result = std::make_shared<LoadResult>();
    result->status = job(&control, result.get());
    if (!promise.isCanceled()) promise.addResult(ResultPtr(std::move(result)));
  }));
}

void ProfileLoader::OnFinished(QFutureWatcher<ResultPtr>* watcher) {
  if (watcher != watcher_) return;
  watcher_ = nullptr;
  watcher->deleteLater();
  const QFuture<ResultPtr> future = watcher->future();
  if (future.isCanceled() || future.resultCount() == 0) {
    Q_EMIT canceled();
    return;
  }
  ResultPtr result = future.result();
  if (absl::IsCancelled(result->status)) {
    Q_EMIT canceled();
  } else if (!result->status.ok()) {
    Q_EMIT failed(QString::fromUtf8(result->status.message().data(),
                                    static_cast<qsizetype>(result->status.message().size())));
  } else {
    Q_EMIT finished(std::move(result));
  }
}

void ProfileLoader::Cancel() {
  if (watcher_ == nullptr) return;
  watcher_->disconnect(this);
  watcher_->future().cancel();
  watcher_->deleteLater();
  watcher_ = nullptr;
  Q_EMIT canceled();
}

void ProfileLoader::Open(const QString& path, const QString& type_spec, const ViewOptions& options) {
  Start(tr("Opening %1").arg(path), [path = Std(path), spec = Std(type_spec), options](
                                        WorkControl* control, LoadResult* out) -> absl::Status {
    ASSIGN_OR_RETURN(auto document, LoadDocument(path, control));
    ASSIGN_OR_RETURN(out->choice, document->Find(spec));
    ASSIGN_OR_RETURN(FlameView view, BuildView(*document, out->choice, options, control));
    out->view = std::make_shared<const FlameView>(std::move(view));
    out->documents.push_back(std::move(document));
    return absl::OkStatus();
  });
}

void ProfileLoader::Rebuild(std::shared_ptr<const ProfileDocument> document, SampleTypeChoice choice,
                            const ViewOptions& options) {
  const QString what = tr("Building %1").arg(QString::fromStdString(document->file_name()));
  Start(what,
        [document = std::move(document), choice, options](WorkControl* control, LoadResult* out) -> absl::Status {
          ASSIGN_OR_RETURN(FlameView view, BuildView(*document, choice, options, control, 0));
          out->choice = choice;
          out->view = std::make_shared<const FlameView>(std::move(view));
          out->documents.push_back(document);
          return absl::OkStatus();
        });
}

void ProfileLoader::Compare(const QString& base, const QString& next, const QString& type_spec,
                            const ViewOptions& options) {
  Start(tr("Comparing %1 and %2").arg(base, next),
        [base = Std(base), next = Std(next), spec = Std(type_spec), options](
            WorkControl* control, LoadResult* out) -> absl::Status {
          ASSIGN_OR_RETURN(auto base_doc, LoadDocument(base, control, 0, 30));
          ASSIGN_OR_RETURN(auto next_doc, LoadDocument(next, control, 30, 60));
          ASSIGN_OR_RETURN(FlameView view, BuildDiffView(*base_doc, *next_doc, spec, options, control));
          out->type_spec = view.sample_type.type + "/" + view.sample_type.unit;
          out->view = std::make_shared<const FlameView>(std::move(view));
          out->documents = {std::move(base_doc), std::move(next_doc)};
          return absl::OkStatus();
        });
}

void ProfileLoader::RebuildDiff(std::shared_ptr<const ProfileDocument> base,
                                std::shared_ptr<const ProfileDocument> next, const QString& type_spec,
                                const ViewOptions& options) {
  Start(tr("Building the diff"), [base = std::move(base), next = std::move(next), spec = Std(type_spec),
                                  options](WorkControl* control, LoadResult* out) -> absl::Status {
    ASSIGN_OR_RETURN(FlameView view, BuildDiffView(*base, *next, spec, options, control, 0));
    out->type_spec = view.sample_type.type + "/" + view.sample_type.unit;
    out->view = std::make_shared<const FlameView>(std::move(view));
    out->documents = {base, next};
    return absl::OkStatus();
  });
}

namespace {

// Collects |documents| and merges every profile of the collection.
absl::Status CollectAndMerge(std::vector<std::shared_ptr<const ProfileDocument>> documents,
                             const std::string& spec, const ViewOptions& options, WorkControl* control,
                             LoadResult* out) {
  ASSIGN_OR_RETURN(out->collection, CollectProfiles(documents, spec));
  std::vector<uint64_t> all(out->collection->refs.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  ASSIGN_OR_RETURN(FlameView view, BuildMergedView(*out->collection, all, options, control, 60));
  const ValueType& type = out->collection->sample_type;
  out->type_spec = type.type + "/" + type.unit;
  out->view = std::make_shared<const FlameView>(std::move(view));
  out->documents = std::move(documents);
  return absl::OkStatus();
}

}  // namespace

void ProfileLoader::OpenCollection(const QStringList& paths, const QString& type_spec,
                                   const ViewOptions& options) {
  std::vector<std::string> files;
  for (const QString& p : paths) files.push_back(Std(p));
  Start(tr("Opening %1 files").arg(paths.size()),
        [files = std::move(files), spec = Std(type_spec), options](WorkControl* control,
                                                                   LoadResult* out) -> absl::Status {
          std::vector<std::shared_ptr<const ProfileDocument>> documents;
          const int n = static_cast<int>(files.size());
          for (int i = 0; i < n; ++i) {
            ASSIGN_OR_RETURN(auto doc, LoadDocument(files[i], control, 60 * i / n, 60 * (i + 1) / n));
            documents.push_back(std::move(doc));
          }
          return CollectAndMerge(std::move(documents), spec, options, control, out);
        });
}

void ProfileLoader::Recollect(std::vector<std::shared_ptr<const ProfileDocument>> documents,
                              const QString& type_spec, const ViewOptions& options) {
  const QString what = tr("Collecting %1 files").arg(documents.size());
  Start(what,
        [documents = std::move(documents), spec = Std(type_spec), options](WorkControl* control,
                                                                           LoadResult* out) -> absl::Status {
          return CollectAndMerge(documents, spec, options, control, out);
        });
}

void ProfileLoader::MergeSelection(std::shared_ptr<const ProfileCollection> collection, std::vector<uint64_t> ids,
                                   const ViewOptions& options) {
  const QString what = tr("Merging %1 profiles").arg(ids.size());
  Start(what,
        [collection = std::move(collection), ids = std::move(ids), options](WorkControl* control,
                                                                            LoadResult* out) -> absl::Status {
          ASSIGN_OR_RETURN(FlameView view, BuildMergedView(*collection, ids, options, control, 0));
          out->collection = collection;
          out->documents = collection->documents;
          const ValueType& type = collection->sample_type;
          out->type_spec = type.type + "/" + type.unit;
          out->view = std::make_shared<const FlameView>(std::move(view));
          return absl::OkStatus();
        });
}

}  // namespace kiln::viewer::qt
