// Runs the viewer's heavy jobs (view_builder) on Qt's thread pool with
// QtConcurrent, and reports back on the UI thread with signals: progress
// (percent and what runs), then exactly one of finished, failed or
// canceled. One job at a time: starting a job supersedes the running one,
// whose result is dropped. Cancel() returns at once (emitting canceled);
// the worker stops at its next check and its result is never delivered, so
// the UI never waits for a worker.
// Thread safety: a QObject of the UI thread; call it from that thread only.
#ifndef KILN_VIEWER_QT_PROFILE_LOADER_H_
#define KILN_VIEWER_QT_PROFILE_LOADER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QStringList>

#include "absl/status/status.h"
#include "viewer/qt/profile_document.h"
#include "viewer/qt/view_builder.h"

namespace kiln::viewer::qt {

// What a job produced. |status| is OK for every delivered result (errors
// arrive through ProfileLoader::failed).
struct LoadResult {
  absl::Status status;
  // The documents the job opened or used: one for a single file, two (base,
  // new) for a diff, all files of a collection.
  std::vector<std::shared_ptr<const ProfileDocument>> documents;
  SampleTypeChoice choice;  // of documents[0], for a single-file view
  std::string type_spec;    // for a diff or a collection ("type/unit")
  std::shared_ptr<const ProfileCollection> collection;  // heatmap input, if any
  std::shared_ptr<const FlameView> view;
};

class ProfileLoader : public QObject {
  Q_OBJECT

 public:
  explicit ProfileLoader(QObject* parent = nullptr);
  ~ProfileLoader() override;

  // Opens one file and shows |type_spec| (empty: its default type).
  void Open(const QString& path, const QString& type_spec, const ViewOptions& options);
  // Another sample type or options for an opened file.
  void Rebuild(std::shared_ptr<const ProfileDocument> document, SampleTypeChoice choice,
               const ViewOptions& options);
  // Opens two files and diffs them.
  void Compare(const QString& base, const QString& next, const QString& type_spec,
               const ViewOptions& options);
  void RebuildDiff(std::shared_ptr<const ProfileDocument> base, std::shared_ptr<const ProfileDocument> next,
                   const QString& type_spec, const ViewOptions& options);
  // Opens several files as one collection of profiles (a heatmap) and shows
  // all of them merged.
  void OpenCollection(const QStringList& paths, const QString& type_spec, const ViewOptions& options);
  // The same documents collected again with another sample type.
  void Recollect(std::vector<std::shared_ptr<const ProfileDocument>> documents, const QString& type_spec,
                 const ViewOptions& options);
  // The merged view of a selection of a collection.
  void MergeSelection(std::shared_ptr<const ProfileCollection> collection, std::vector<uint64_t> ids,
                      const ViewOptions& options);

  void Cancel();
  bool busy() const { return watcher_ != nullptr; }

 Q_SIGNALS:
  void started(QString what);
  void progress(int percent, QString what);
  void finished(std::shared_ptr<const kiln::viewer::qt::LoadResult> result);
  void failed(QString message);
  void canceled();

 private:
  using Job = std::function<absl::Status(WorkControl*, LoadResult*)>;
  void Start(const QString& what, Job job);
  void OnFinished(QFutureWatcher<std::shared_ptr<const LoadResult>>* watcher);

  QFutureWatcher<std::shared_ptr<const LoadResult>>* watcher_ = nullptr;
};

}  // namespace kiln::viewer::qt

Q_DECLARE_METATYPE(std::shared_ptr<const kiln::viewer::qt::LoadResult>)

#endif  // KILN_VIEWER_QT_PROFILE_LOADER_H_
