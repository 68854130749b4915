// The viewer's client of `kiln server`'s Connect JSON API (docs/api.md):
// POST <base>/querier.v1.QuerierService/<Rpc> with Content-Type
// application/json. Every call is asynchronous (QNetworkAccessManager) and
// answers exactly once through its callback on the UI thread: the decoded
// answer, or a status carrying the server's Connect error ({"code",
// "message"}), the HTTP status or the network error. No widgets here.
//
// Times are milliseconds since the epoch, as on the wire.
// Ownership: replies are owned by the client's QNetworkAccessManager;
// destroying the client aborts them and drops their callbacks.
// Thread safety: a QObject of the UI thread; call it from that thread only.
#ifndef KILN_VIEWER_QT_SERVER_CLIENT_H_
#define KILN_VIEWER_QT_SERVER_CLIENT_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include "absl/status/statusor.h"

class QNetworkAccessManager;

namespace kiln::viewer::qt {

struct ServerProfileType {
  QString id;  // "process_cpu:cpu:nanoseconds:cpu:nanoseconds"
  QString name;
  QString sample_type;
  QString sample_unit;
  QString period_type;
  QString period_unit;
};

struct ServerTimeRange {
  int64_t start_ms = 0;
  int64_t end_ms = 0;
};

// One stored profile of a selection (kiln.profiles.v1 SelectProfiles).
struct ServerProfile {
  QString id;  // UUID
  int64_t timestamp_ms = 0;
  int64_t total = 0;
};

struct ServerSeriesPoint {
  int64_t timestamp_ms = 0;
  double value = 0;
};

struct ServerSeries {
  std::vector<std::pair<QString, QString>> labels;
  std::vector<ServerSeriesPoint> points;
};

class ServerClient : public QObject {
  Q_OBJECT

 public:
  template <typename T>
  using Callback = std::function<void(absl::StatusOr<T>)>;

  // |base|: the server's root, e.g. http://127.0.0.1:4040 (a path prefix is kept).
  explicit ServerClient(QUrl base, QObject* parent = nullptr);
  ~ServerClient() override;

  const QUrl& base() const { return base_; }
  // The X-Scope-OrgID header (empty: none, the server's "anonymous").
  void SetTenant(const QString& tenant) { tenant_ = tenant; }

  void ProfileTypes(ServerTimeRange range, Callback<std::vector<ServerProfileType>> done);
  // |selector| "{…}" narrows the series looked at; empty: all.
  void LabelNames(const QString& selector, ServerTimeRange range, Callback<QStringList> done);
  void LabelValues(const QString& name, const QString& selector, ServerTimeRange range,
                   Callback<QStringList> done);
  // One series (no groupBy) of the selection's totals per |step_seconds|.
  void SelectSeries(const QString& profile_type_id, const QString& selector, ServerTimeRange range,
                    double step_seconds, Callback<std::vector<ServerSeries>> done);
  // The merged tree of the selection as Pyroscope's tree bytes
  // (PROFILE_FORMAT_TREE; kiln/query/tree_bytes.h reads them). |max_nodes| 0:
  // the server's default.
  // |profile_ids| non-empty: only those profiles.
  void SelectMergeTree(const QString& profile_type_id, const QString& selector, ServerTimeRange range,
                       int64_t max_nodes, Callback<QByteArray> done, const QStringList& profile_ids = {});
  // The selection's profiles, newest first, at most |limit| (Kiln's
  // kiln.profiles.v1.ProfilesService; Pyroscope has no such call).
  void SelectProfiles(const QString& profile_type_id, const QString& selector, ServerTimeRange range,
                      int64_t limit, Callback<std::vector<ServerProfile>> done);

  // Aborts every call in flight; their callbacks are not run.
  void AbortAll();

 private:
  // |rpc|: a querier.v1.QuerierService method, or "package.Service/Method".
  void Call(const QString& rpc, const QJsonObject& request, Callback<QJsonObject> done);

  QUrl base_;
  QString tenant_;
  QNetworkAccessManager* network_;
  // Bumped by AbortAll: replies of an older generation are dropped.
  uint64_t generation_ = 0;
};

}  // namespace kiln::viewer::qt

#endif  // KILN_VIEWER_QT_SERVER_CLIENT_H_
