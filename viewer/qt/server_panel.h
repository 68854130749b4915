// The "kiln server" pane of kiln-viewer: picks a profile type (ProfileTypes),
// a label selector (completed from LabelNames / LabelValues) and a time
// span, draws the selection's totals over time (SelectSeries, in a
// SeriesWidget whose brush picks a sub-range) and fetches the merged tree
// of the brushed range (SelectMergeStacktraces, tree bytes), which it hands
// over as a ProfileDocument for the viewer's usual views.
//
// All requests are asynchronous (ServerClient); an answer to a superseded
// request is dropped, so the last query wins. Errors land in the pane's
// status line and in failed().
// Thread safety: UI thread only.
#ifndef KILN_VIEWER_QT_SERVER_PANEL_H_
#define KILN_VIEWER_QT_SERVER_PANEL_H_

#include <cstdint>
#include <memory>
#include <vector>

#include <QUrl>
#include <QWidget>

#include "viewer/qt/profile_document.h"
#include "viewer/qt/server_client.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QStringListModel;

namespace kiln::viewer::qt {

class HeatmapWidget;
class SeriesWidget;

class ServerPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ServerPanel(QWidget* parent = nullptr);
  ~ServerPanel() override;

  // Talks to the server at |base| from now on: lists its profile types and
  // labels, then queries the first type (or the current one, if the server
  // has it) over the chosen span.
  void Connect(const QUrl& base);
  // The label selector, e.g. {service_name="api"}; empty: every series.
  void SetSelector(const QString& selector);
  // Queries the series and the whole span's merged tree again (first the
  // profile types, when the server had none).
  void Query();
  // The merged tree of [start, end] (what the brush does).
  void LoadRange(ServerTimeRange range);
  // Diffs the last loaded range (the brush's, else the whole span) against
  // a baseline: |baseline_selector| (empty: the same selector) over the
  // same range moved |shift_ms| back. Emits diffReady(baseline, selection).
  void Compare(const QString& baseline_selector, int64_t shift_ms);

  ServerClient* client() const { return client_; }
  SeriesWidget* series() const { return series_; }
  // The span's profiles, time × total; a brush over cells loads the merged
  // flame graph of exactly the profiles in them.
  HeatmapWidget* heatmap() const { return heatmap_; }
  QComboBox* profile_types() const { return types_; }
  // Completions offered in the selector field ({name="value"} each).
  QStringList Completions() const;

 Q_SIGNALS:
  void documentReady(std::shared_ptr<const kiln::viewer::qt::ProfileDocument> document);
  void diffReady(std::shared_ptr<const kiln::viewer::qt::ProfileDocument> base,
                 std::shared_ptr<const kiln::viewer::qt::ProfileDocument> next);
  void failed(QString message);

 private:
  void FetchLabels();
  void FetchProfiles(ServerTimeRange range);
  // The merged tree of the profiles |indexes| (into profiles_) of |range|.
  void LoadProfiles(const QList<quint64>& indexes);
  void ShowError(const absl::Status& status);
  ServerTimeRange SpanEndingNow() const;
  const ServerProfileType* CurrentType() const;

  ServerClient* client_ = nullptr;
  std::vector<ServerProfileType> type_list_;
  QLabel* server_label_;
  QComboBox* types_;
  QComboBox* span_;
  QLineEdit* selector_;
  QLineEdit* baseline_selector_;
  QComboBox* baseline_shift_;
  ServerTimeRange selected_range_;  // of the last LoadRange
  QStringListModel* completions_;
  SeriesWidget* series_;
  HeatmapWidget* heatmap_;
  std::vector<ServerProfile> profiles_;  // the heatmap's points, by index
  ServerTimeRange profiles_range_;
  uint64_t profiles_request_ = 0;
  QLabel* status_;
  // Answers of older requests than these are dropped.
  uint64_t series_request_ = 0;
  uint64_t tree_request_ = 0;
  uint64_t labels_request_ = 0;
};

}  // namespace kiln::viewer::qt

#endif  // KILN_VIEWER_QT_SERVER_PANEL_H_
