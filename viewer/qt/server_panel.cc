#include "viewer/qt/server_panel.h"

#include <algorithm>
#include <map>

#include <QComboBox>
#include <QCompleter>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStringListModel>
#include <QVBoxLayout>

#include "kiln/export/tree_to_profile.h"
#include "kiln/query/tree_bytes.h"
#include "viewer/qt/heatmap_widget.h"
#include "viewer/qt/series_widget.h"

namespace kiln::viewer::qt {
namespace {

// The spans offered, ending now.
struct Span {
  const char* label;
  int64_t ms;
};
constexpr Span kSpans[] = {{"Last 15 minutes", 15 * 60'000},   {"Last hour", 3'600'000},
                           {"Last 6 hours", 6 * 3'600'000},    {"Last 24 hours", 24 * 3'600'000},
                           {"Last 7 days", 7 * 24 * 3'600'000}};
constexpr int kDefaultSpan = 1;
// Points per series: the step is the span over this, at least 10 s.
constexpr int64_t kSeriesPoints = 240;
// Label names looked up for completion (their values each cost a request).
constexpr int kMaxCompletedLabels = 24;
// Profiles the heatmap shows at most (the newest).
constexpr int64_t kHeatmapProfiles = 20000;

QString QuoteValue(const QString& v) {
  QString out = v;
  out.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
  return QLatin1Char('"') + out + QLatin1Char('"');
}

// A merged tree from the server as a one-profile document: one sample per
// node with a self, so the viewer's usual pipeline (flame graph, top table,
// sandwich, diff) runs on it. Its "path" is a title naming the server, the
// selection and the range.
absl::StatusOr<std::shared_ptr<const ProfileDocument>> DocumentOfTree(const QByteArray& bytes,
                                                                      const ServerProfileType& type,
                                                                      const QString& server, const QString& selector,
                                                                      ServerTimeRange range) {
  absl::StatusOr<Tree> merged = ReadTreeBytes(std::string_view(bytes.constData(), static_cast<size_t>(bytes.size())));
  if (!merged.ok()) return merged.status();
  Profile profile = TreeToProfile(*merged, {type.sample_type.toStdString(), type.sample_unit.toStdString()});
  profile.name = type.name.toStdString();
  profile.period_type = {type.period_type.toStdString(), type.period_unit.toStdString()};
  profile.time_nanos = range.start_ms * 1'000'000;
  profile.duration_nanos = (range.end_ms - range.start_ms) * 1'000'000;
  const QString fmt = QStringLiteral("yyyy-MM-dd hh:mm:ss");
  QString title = QStringLiteral("kiln server %1: %2 %3, %4 – %5")
                      .arg(server, type.id, selector.isEmpty() ? QStringLiteral("{}") : selector,
                           QDateTime::fromMSecsSinceEpoch(range.start_ms).toString(fmt),
                           QDateTime::fromMSecsSinceEpoch(range.end_ms).toString(fmt));
  // ProfileDocument::file_name() cuts at the last '/', so none may remain in
  // the title (a URL path or a regex in the selector).
  title.replace(QLatin1Char('/'), QChar(0x2215));
  std::vector<Profile> profiles;
  profiles.push_back(std::move(profile));
  return std::make_shared<const ProfileDocument>(title.toStdString(), std::move(profiles));
}

// The baselines offered for a diff: the selection's range shifted back.
struct Shift {
  const char* label;
  int64_t ms;
};
constexpr Shift kShifts[] = {{"same range", 0},
                             {"1 hour earlier", 3'600'000},
                             {"1 day earlier", 24 * 3'600'000},
                             {"7 days earlier", 7 * 24 * 3'600'000}};

}  // namespace

ServerPanel::ServerPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  auto* row = new QHBoxLayout;
  server_label_ = new QLabel(tr("Not connected"), this);
  server_label_->setTextFormat(Qt::PlainText);
  row->addWidget(server_label_);
  types_ = new QComboBox(this);
  types_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  types_->setToolTip(tr("Profile type (ProfileTypes)"));
  row->addWidget(types_);
  selector_ = new QLineEdit(this);
  selector_->setPlaceholderText(tr("Label selector, e.g. {service_name=\"api\"}"));
  selector_->setClearButtonEnabled(true);
  completions_ = new QStringListModel(this);
  auto* completer = new QCompleter(completions_, this);
  completer->setFilterMode(Qt::MatchContains);
  completer->setCaseSensitivity(Qt::CaseInsensitive);
  selector_->setCompleter(completer);
  row->addWidget(selector_, 1);
  span_ = new QComboBox(this);
  for (const Span& s : kSpans) span_->addItem(tr(s.label));
  span_->setCurrentIndex(kDefaultSpan);
  row->addWidget(span_);
  auto* query = new QPushButton(tr("Query"), this);
  row->addWidget(query);
  layout->addLayout(row);
  auto* compare_row = new QHBoxLayout;
  compare_row->addWidget(new QLabel(tr("Compare with"), this));
  baseline_selector_ = new QLineEdit(this);
  baseline_selector_->setPlaceholderText(tr("Baseline selector (empty: the same selector)"));
  baseline_selector_->setClearButtonEnabled(true);
  baseline_selector_->setCompleter(new QCompleter(completions_, this));
  compare_row->addWidget(baseline_selector_, 1);
  baseline_shift_ = new QComboBox(this);
  for (const Shift& shift : kShifts) baseline_shift_->addItem(tr(shift.label));
  compare_row->addWidget(baseline_shift_);
  auto* diff = new QPushButton(tr("Diff"), this);
  diff->setToolTip(tr("Diff flame graph: the baseline (left) against the selection (right)"));
  compare_row->addWidget(diff);
  layout->addLayout(compare_row);
  series_ = new SeriesWidget(this);
  series_->setToolTip(tr("Drag to select a time range; click to select the whole span"));
  layout->addWidget(series_, 1);
  heatmap_ = new HeatmapWidget(this);
  heatmap_->setToolTip(tr("Each profile by time and total; drag over cells to see exactly those profiles"));
  heatmap_->setMinimumHeight(120);
  layout->addWidget(heatmap_, 1);
  status_ = new QLabel(this);
  status_->setTextFormat(Qt::PlainText);
  status_->setWordWrap(true);
  layout->addWidget(status_);

  connect(query, &QPushButton::clicked, this, &ServerPanel::Query);
  connect(diff, &QPushButton::clicked, this, [this] {
    const int index = std::clamp(baseline_shift_->currentIndex(), 0, static_cast<int>(std::size(kShifts)) - 1);
    Compare(baseline_selector_->text().trimmed(), kShifts[index].ms);
  });
  connect(selector_, &QLineEdit::returnPressed, this, &ServerPanel::Query);
  connect(types_, &QComboBox::activated, this, [this] { Query(); });
  connect(span_, &QComboBox::activated, this, [this] { Query(); });
  connect(series_, &SeriesWidget::rangeSelected, this,
          [this](qint64 start, qint64 end) { LoadRange({start, end}); });
  connect(heatmap_, &HeatmapWidget::selectionChanged, this, &ServerPanel::LoadProfiles);
}

ServerPanel::~ServerPanel() = default;

QStringList ServerPanel::Completions() const { return completions_->stringList(); }

void ServerPanel::SetSelector(const QString& selector) { selector_->setText(selector); }

ServerTimeRange ServerPanel::SpanEndingNow() const {
  const int64_t now = QDateTime::currentMSecsSinceEpoch();
  const int index = std::clamp(span_->currentIndex(), 0, static_cast<int>(std::size(kSpans)) - 1);
  return {now - kSpans[index].ms, now};
}

const ServerProfileType* ServerPanel::CurrentType() const {
  const int index = types_->currentIndex();
  if (index < 0 || static_cast<size_t>(index) >= type_list_.size()) return nullptr;
  return &type_list_[static_cast<size_t>(index)];
}

void ServerPanel::ShowError(const absl::Status& status) {
  const QString message = QString::fromStdString(std::string(status.message()));
  status_->setText(tr("Error: %1").arg(message));
  Q_EMIT failed(message);
}

void ServerPanel::Connect(const QUrl& base) {
  const QString previous = CurrentType() != nullptr ? CurrentType()->id : QString();
  delete client_;  // aborts its requests
  client_ = new ServerClient(base, this);
  server_label_->setText(base.toString());
  status_->setText(tr("Connecting to %1…").arg(base.toString()));
  ++series_request_;
  ++tree_request_;
  client_->ProfileTypes(SpanEndingNow(), [this, previous](absl::StatusOr<std::vector<ServerProfileType>> types) {
    if (!types.ok()) return ShowError(types.status());
    type_list_ = std::move(*types);
    types_->clear();
    int current = 0;
    for (size_t i = 0; i < type_list_.size(); ++i) {
      types_->addItem(type_list_[i].id);
      if (type_list_[i].id == previous) current = static_cast<int>(i);
    }
    if (type_list_.empty()) {
      status_->setText(tr("The server has no profiles in this span."));
      return;
    }
    types_->setCurrentIndex(current);
    FetchLabels();
    Query();
  });
}

void ServerPanel::FetchLabels() {
  if (client_ == nullptr) return;
  const uint64_t request = ++labels_request_;
  const ServerTimeRange range = SpanEndingNow();
  client_->LabelNames({}, range, [this, request, range](absl::StatusOr<QStringList> names) {
    if (request != labels_request_) return;
    if (!names.ok()) return ShowError(names.status());
    // {name="value"} for every value of every ordinary label (the `__`
    // ones are Kiln's own).
    auto entries = std::make_shared<std::map<QString, QStringList>>();
    int asked = 0;
    for (const QString& name : *names) {
      if (name.startsWith(QStringLiteral("__")) || asked == kMaxCompletedLabels) continue;
      ++asked;
      client_->LabelValues(name, {}, range, [this, request, name, entries](absl::StatusOr<QStringList> values) {
        if (request != labels_request_ || !values.ok()) return;  // completion is best effort
        QStringList& list = (*entries)[name];
        for (const QString& v : *values) list << QStringLiteral("{%1=%2}").arg(name, QuoteValue(v));
        QStringList all;
        for (const auto& [n, l] : *entries) all << l;
        completions_->setStringList(all);
      });
    }
  });
}

void ServerPanel::Query() {
  if (client_ == nullptr) return;
  const ServerProfileType* type = CurrentType();
  if (type == nullptr) {
    // No types yet (an empty server, or it was down): ask again.
    Connect(client_->base());
    return;
  }
  const ServerTimeRange range = SpanEndingNow();
  const double step = std::max<double>(10.0, static_cast<double>(range.end_ms - range.start_ms) / 1000.0 /
                                                  static_cast<double>(kSeriesPoints));
  const uint64_t request = ++series_request_;
  const QString unit = type->sample_unit;
  status_->setText(tr("Querying %1…").arg(type->id));
  client_->SelectSeries(type->id, selector_->text().trimmed(), range, step,
                        [this, request, range, unit, step](absl::StatusOr<std::vector<ServerSeries>> series) {
                          if (request != series_request_) return;
                          if (!series.ok()) return ShowError(series.status());
                          // One line: the selection's total per step, all series summed.
                          std::map<int64_t, double> sum;
                          for (const ServerSeries& s : *series) {
                            for (const ServerSeriesPoint& p : s.points) sum[p.timestamp_ms] += p.value;
                          }
                          std::vector<ServerSeriesPoint> points;
                          for (const auto& [t, v] : sum) points.push_back({t, v});
                          series_->SetSeries(std::move(points), range, static_cast<int64_t>(step * 1000), unit.toStdString());
                        });
  FetchProfiles(range);
  LoadRange(range);
}

void ServerPanel::LoadRange(ServerTimeRange range) {
  const ServerProfileType* type = CurrentType();
  if (client_ == nullptr || type == nullptr) return;
  const uint64_t request = ++tree_request_;
  const ServerProfileType chosen = *type;
  const QString selector = selector_->text().trimmed();
  const QString server = client_->base().authority() + client_->base().path();
  selected_range_ = range;
  status_->setText(tr("Fetching the merged profile…"));
  client_->SelectMergeTree(
      chosen.id, selector, range, 0,
      [this, request, range, chosen, selector, server](absl::StatusOr<QByteArray> tree) {
        if (request != tree_request_) return;
        if (!tree.ok()) return ShowError(tree.status());
        auto document = DocumentOfTree(*tree, chosen, server, selector, range);
        if (!document.ok()) return ShowError(document.status());
        status_->setText(tr("%1 stacks in the selected range").arg((*document)->profiles()[0].num_samples()));
        Q_EMIT documentReady(*std::move(document));
      });
}
void ServerPanel::FetchProfiles(ServerTimeRange range) {
  const ServerProfileType* type = CurrentType();
  if (client_ == nullptr || type == nullptr) return;
  const uint64_t request = ++profiles_request_;
  const ServerProfileType chosen = *type;
  client_->SelectProfiles(
      chosen.id, selector_->text().trimmed(), range, kHeatmapProfiles,
      [this, request, range, chosen](absl::StatusOr<std::vector<ServerProfile>> profiles) {
        if (request != profiles_request_) return;
        if (!profiles.ok()) {
          // A server without Kiln's profile list (Pyroscope) still serves
          // the rest of the pane.
          heatmap_->SetCollection(nullptr);
          return;
        }
        profiles_ = *std::move(profiles);
        profiles_range_ = range;
        auto collection = std::make_shared<ProfileCollection>();
        collection->sample_type = {chosen.sample_type.toStdString(), chosen.sample_unit.toStdString()};
        for (size_t i = 0; i < profiles_.size(); ++i) {
          collection->points.push_back({profiles_[i].timestamp_ms * 1'000'000, profiles_[i].total, i});
        }
        heatmap_->SetCollection(std::move(collection));
      });
}

void ServerPanel::LoadProfiles(const QList<quint64>& indexes) {
  const ServerProfileType* type = CurrentType();
  if (client_ == nullptr || type == nullptr || indexes.isEmpty()) return;
  QStringList ids;
  for (quint64 i : indexes) {
    if (i < profiles_.size()) ids << profiles_[i].id;
  }
  const uint64_t request = ++tree_request_;
  const ServerProfileType chosen = *type;
  const QString selector = selector_->text().trimmed();
  const QString server = client_->base().authority() + client_->base().path();
  const ServerTimeRange range = profiles_range_;
  const qsizetype count = ids.size();
  status_->setText(tr("Fetching %1 profiles…").arg(count));
  client_->SelectMergeTree(
      chosen.id, selector, range, 0,
      [this, request, range, chosen, selector, server, count](absl::StatusOr<QByteArray> tree) {
        if (request != tree_request_) return;
        if (!tree.ok()) return ShowError(tree.status());
        auto document = DocumentOfTree(*tree, chosen, server, selector, range);
        if (!document.ok()) return ShowError(document.status());
        status_->setText(tr("%1 profiles chosen in the heatmap").arg(count));
        Q_EMIT documentReady(*std::move(document));
      },
      ids);
}

void ServerPanel::Compare(const QString& baseline_selector, int64_t shift_ms) {
  const ServerProfileType* type = CurrentType();
  if (client_ == nullptr || type == nullptr) return;
  const ServerTimeRange next_range = selected_range_.end_ms != 0 ? selected_range_ : SpanEndingNow();
  const ServerTimeRange base_range{next_range.start_ms - shift_ms, next_range.end_ms - shift_ms};
  const QString next_selector = selector_->text().trimmed();
  const QString base_selector = baseline_selector.isEmpty() ? next_selector : baseline_selector;
  if (base_selector == next_selector && shift_ms == 0) {
    status_->setText(tr("The baseline is the selection itself: give another selector or an earlier range."));
    return;
  }
  const uint64_t request = ++tree_request_;
  const ServerProfileType chosen = *type;
  const QString server = client_->base().authority() + client_->base().path();
  // Both answers, whichever comes first; the diff once both are in.
  struct Pair {
    std::shared_ptr<const ProfileDocument> base, next;
  };
  auto pair = std::make_shared<Pair>();
  auto arrived = [this, request, pair] {
    if (request != tree_request_ || !pair->base || !pair->next) return;
    status_->setText(tr("Diff: %1 stacks in the baseline, %2 in the selection")
                         .arg(pair->base->profiles()[0].num_samples())
                         .arg(pair->next->profiles()[0].num_samples()));
    Q_EMIT diffReady(pair->base, pair->next);
  };
  status_->setText(tr("Fetching the baseline and the selection…"));
  for (const bool is_base : {true, false}) {
    const QString selector = is_base ? base_selector : next_selector;
    const ServerTimeRange range = is_base ? base_range : next_range;
    client_->SelectMergeTree(
        chosen.id, selector, range, 0,
        [this, request, pair, arrived, is_base, chosen, server, selector, range](absl::StatusOr<QByteArray> tree) {
          if (request != tree_request_) return;
          if (!tree.ok()) return ShowError(tree.status());
          auto document = DocumentOfTree(*tree, chosen, server, selector, range);
          if (!document.ok()) return ShowError(document.status());
          (is_base ? pair->base : pair->next) = *std::move(document);
          arrived();
        });
  }
}

}  // namespace kiln::viewer::qt
