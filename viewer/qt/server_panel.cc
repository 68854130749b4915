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

QString QuoteValue(const QString& v) {
  QString out = v;
  out.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
  return QLatin1Char('"') + out + QLatin1Char('"');
}

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
  series_ = new SeriesWidget(this);
  series_->setToolTip(tr("Drag to select a time range; click to select the whole span"));
  layout->addWidget(series_, 1);
  status_ = new QLabel(this);
  status_->setTextFormat(Qt::PlainText);
  status_->setWordWrap(true);
  layout->addWidget(status_);

  connect(query, &QPushButton::clicked, this, &ServerPanel::Query);
  connect(selector_, &QLineEdit::returnPressed, this, &ServerPanel::Query);
  connect(types_, &QComboBox::activated, this, [this] { Query(); });
  connect(span_, &QComboBox::activated, this, [this] { Query(); });
  connect(series_, &SeriesWidget::rangeSelected, this,
          [this](qint64 start, qint64 end) { LoadRange({start, end}); });
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
  LoadRange(range);
}

void ServerPanel::LoadRange(ServerTimeRange range) {
  const ServerProfileType* type = CurrentType();
  if (client_ == nullptr || type == nullptr) return;
  const uint64_t request = ++tree_request_;
  const ServerProfileType chosen = *type;
  const QString selector = selector_->text().trimmed();
  const QString server = client_->base().authority() + client_->base().path();
  status_->setText(tr("Fetching the merged profile…"));
  client_->SelectMergeTree(
      chosen.id, selector, range, 0,
      [this, request, range, chosen, selector, server](absl::StatusOr<QByteArray> tree) {
        if (request != tree_request_) return;
        if (!tree.ok()) return ShowError(tree.status());
        absl::StatusOr<Tree> merged =
            ReadTreeBytes(std::string_view(tree->constData(), static_cast<size_t>(tree->size())));
        if (!merged.ok()) return ShowError(merged.status());
        // One sample per node with a self: the viewer's usual pipeline
        // (flame graph, top table, sandwich) then runs on it.
        Profile profile = TreeToProfile(*merged, {chosen.sample_type.toStdString(), chosen.sample_unit.toStdString()});
        profile.name = chosen.name.toStdString();
        profile.period_type = {chosen.period_type.toStdString(), chosen.period_unit.toStdString()};
        profile.time_nanos = range.start_ms * 1'000'000;
        profile.duration_nanos = (range.end_ms - range.start_ms) * 1'000'000;
        const QString fmt = QStringLiteral("yyyy-MM-dd hh:mm:ss");
        // The "path" is a title: kiln server, the selection and the range.
        QString title = QStringLiteral("kiln server %1: %2 %3, %4 – %5")
                                  .arg(server, chosen.id, selector.isEmpty() ? QStringLiteral("{}") : selector,
                                       QDateTime::fromMSecsSinceEpoch(range.start_ms).toString(fmt),
                                       QDateTime::fromMSecsSinceEpoch(range.end_ms).toString(fmt));
        // ProfileDocument::file_name() cuts at the last '/', so none may
        // remain in the title (a URL path or a regex in the selector).
        title.replace(QLatin1Char('/'), QChar(0x2215));
        std::vector<Profile> profiles;
        profiles.push_back(std::move(profile));
        status_->setText(tr("%1 stacks in the selected range").arg(profiles[0].num_samples()));
        Q_EMIT documentReady(std::make_shared<const ProfileDocument>(title.toStdString(), std::move(profiles)));
      });
}

}  // namespace kiln::viewer::qt
