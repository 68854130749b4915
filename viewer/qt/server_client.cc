#include "viewer/qt/server_client.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include "absl/status/status.h"

namespace kiln::viewer::qt {
namespace {

// Connect's codes (https://connectrpc.com/docs/protocol#error-codes) as
// absl codes, so callers can tell a bad selector from a down server.
absl::StatusCode FromConnectCode(const QString& code) {
  if (code == QLatin1String("canceled")) return absl::StatusCode::kCancelled;
  if (code == QLatin1String("invalid_argument")) return absl::StatusCode::kInvalidArgument;
  if (code == QLatin1String("deadline_exceeded")) return absl::StatusCode::kDeadlineExceeded;
  if (code == QLatin1String("not_found")) return absl::StatusCode::kNotFound;
  if (code == QLatin1String("already_exists")) return absl::StatusCode::kAlreadyExists;
  if (code == QLatin1String("permission_denied")) return absl::StatusCode::kPermissionDenied;
  if (code == QLatin1String("resource_exhausted")) return absl::StatusCode::kResourceExhausted;
  if (code == QLatin1String("failed_precondition")) return absl::StatusCode::kFailedPrecondition;
  if (code == QLatin1String("aborted")) return absl::StatusCode::kAborted;
  if (code == QLatin1String("out_of_range")) return absl::StatusCode::kOutOfRange;
  if (code == QLatin1String("unimplemented")) return absl::StatusCode::kUnimplemented;
  if (code == QLatin1String("internal")) return absl::StatusCode::kInternal;
  if (code == QLatin1String("unavailable")) return absl::StatusCode::kUnavailable;
  if (code == QLatin1String("data_loss")) return absl::StatusCode::kDataLoss;
  if (code == QLatin1String("unauthenticated")) return absl::StatusCode::kUnauthenticated;
  return absl::StatusCode::kUnknown;
}

// proto3 JSON writes int64 as a string, but accepts a number too.
int64_t Int64Of(const QJsonValue& v) {
  if (v.isString()) return v.toString().toLongLong();
  return static_cast<int64_t>(v.toDouble());
}

QJsonValue Int64Json(int64_t v) { return QString::number(v); }

void AddRange(QJsonObject* request, ServerTimeRange range) {
  if (range.start_ms != 0) request->insert(QStringLiteral("start"), Int64Json(range.start_ms));
  if (range.end_ms != 0) request->insert(QStringLiteral("end"), Int64Json(range.end_ms));
}

QStringList NamesOf(const QJsonObject& answer) {
  QStringList out;
  for (const QJsonValue& v : answer.value(QStringLiteral("names")).toArray()) out << v.toString();
  return out;
}

}  // namespace

ServerClient::ServerClient(QUrl base, QObject* parent)
    : QObject(parent), base_(std::move(base)), network_(new QNetworkAccessManager(this)) {}

ServerClient::~ServerClient() { AbortAll(); }

void ServerClient::AbortAll() {
  ++generation_;
  for (QNetworkReply* reply : network_->findChildren<QNetworkReply*>()) reply->abort();
}

void ServerClient::Call(const QString& rpc, const QJsonObject& request, Callback<QJsonObject> done) {
  QUrl url = base_;
  QString path = url.path();
  if (!path.endsWith(QLatin1Char('/'))) path += QLatin1Char('/');
  url.setPath(path + (rpc.contains(QLatin1Char('/')) ? rpc : QStringLiteral("querier.v1.QuerierService/") + rpc));
  QNetworkRequest http(url);
  http.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
  http.setRawHeader("Connect-Protocol-Version", "1");
  if (!tenant_.isEmpty()) http.setRawHeader("X-Scope-OrgID", tenant_.toUtf8());
  QNetworkReply* reply = network_->post(http, QJsonDocument(request).toJson(QJsonDocument::Compact));
  const uint64_t generation = generation_;
  connect(reply, &QNetworkReply::finished, this, [this, reply, rpc, generation, done = std::move(done)] {
    reply->deleteLater();
    if (generation != generation_) return;  // aborted
    const int http_status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    QJsonParseError parse_error;
    const QJsonDocument json = QJsonDocument::fromJson(body, &parse_error);
    if (http_status == 0) {
      done(absl::UnavailableError(
          QStringLiteral("%1: %2").arg(rpc, reply->errorString()).toStdString()));
      return;
    }
    if (http_status != 200) {
      // A Connect error is {"code","message"}; anything else (a proxy's
      // page) is shown as its status and a bit of its text.
      const QJsonObject error = json.object();
      if (json.isObject() && error.contains(QStringLiteral("code"))) {
        const QString code = error.value(QStringLiteral("code")).toString();
        done(absl::Status(FromConnectCode(code),
                          QStringLiteral("%1: %2 (%3, HTTP %4)")
                              .arg(rpc, error.value(QStringLiteral("message")).toString(), code)
                              .arg(http_status)
                              .toStdString()));
      } else {
        done(absl::UnknownError(QStringLiteral("%1: HTTP %2: %3")
                                    .arg(rpc)
                                    .arg(http_status)
                                    .arg(QString::fromUtf8(body.left(200)))
                                    .toStdString()));
      }
      return;
    }
    if (parse_error.error != QJsonParseError::NoError || !json.isObject()) {
      done(absl::DataLossError(QStringLiteral("%1: the answer is not a JSON object (at offset %2: %3)")
                                   .arg(rpc)
                                   .arg(parse_error.offset)
                                   .arg(parse_error.errorString())
                                   .toStdString()));
      return;
    }
    done(json.object());
  });
}

void ServerClient::ProfileTypes(ServerTimeRange range, Callback<std::vector<ServerProfileType>> done) {
  QJsonObject request;
  AddRange(&request, range);
  Call(QStringLiteral("ProfileTypes"), request, [done = std::move(done)](absl::StatusOr<QJsonObject> answer) {
    if (!answer.ok()) return done(answer.status());
    std::vector<ServerProfileType> types;
    for (const QJsonValue& v : answer->value(QStringLiteral("profileTypes")).toArray()) {
      const QJsonObject t = v.toObject();
      types.push_back({t.value(QStringLiteral("ID")).toString(), t.value(QStringLiteral("name")).toString(),
                       t.value(QStringLiteral("sampleType")).toString(),
                       t.value(QStringLiteral("sampleUnit")).toString(),
                       t.value(QStringLiteral("periodType")).toString(),
                       t.value(QStringLiteral("periodUnit")).toString()});
    }
    done(std::move(types));
  });
}

void ServerClient::LabelNames(const QString& selector, ServerTimeRange range, Callback<QStringList> done) {
  QJsonObject request;
  if (!selector.isEmpty()) request.insert(QStringLiteral("matchers"), QJsonArray{selector});
  AddRange(&request, range);
  Call(QStringLiteral("LabelNames"), request, [done = std::move(done)](absl::StatusOr<QJsonObject> answer) {
    if (!answer.ok()) return done(answer.status());
    done(NamesOf(*answer));
  });
}

void ServerClient::LabelValues(const QString& name, const QString& selector, ServerTimeRange range,
                               Callback<QStringList> done) {
  QJsonObject request;
  request.insert(QStringLiteral("name"), name);
  if (!selector.isEmpty()) request.insert(QStringLiteral("matchers"), QJsonArray{selector});
  AddRange(&request, range);
  Call(QStringLiteral("LabelValues"), request, [done = std::move(done)](absl::StatusOr<QJsonObject> answer) {
    if (!answer.ok()) return done(answer.status());
    done(NamesOf(*answer));
  });
}

void ServerClient::SelectSeries(const QString& profile_type_id, const QString& selector, ServerTimeRange range,
                                double step_seconds, Callback<std::vector<ServerSeries>> done) {
  QJsonObject request;
  request.insert(QStringLiteral("profileTypeID"), profile_type_id);
  request.insert(QStringLiteral("labelSelector"), selector.isEmpty() ? QStringLiteral("{}") : selector);
  request.insert(QStringLiteral("step"), step_seconds);
  AddRange(&request, range);
  Call(QStringLiteral("SelectSeries"), request, [done = std::move(done)](absl::StatusOr<QJsonObject> answer) {
    if (!answer.ok()) return done(answer.status());
    std::vector<ServerSeries> series;
    for (const QJsonValue& v : answer->value(QStringLiteral("series")).toArray()) {
      const QJsonObject s = v.toObject();
      ServerSeries out;
      for (const QJsonValue& l : s.value(QStringLiteral("labels")).toArray()) {
        const QJsonObject label = l.toObject();
        out.labels.emplace_back(label.value(QStringLiteral("name")).toString(),
                                label.value(QStringLiteral("value")).toString());
      }
      for (const QJsonValue& p : s.value(QStringLiteral("points")).toArray()) {
        const QJsonObject point = p.toObject();
        out.points.push_back({Int64Of(point.value(QStringLiteral("timestamp"))),
                              point.value(QStringLiteral("value")).toDouble()});
      }
      series.push_back(std::move(out));
    }
    done(std::move(series));
  });
}

void ServerClient::SelectMergeTree(const QString& profile_type_id, const QString& selector, ServerTimeRange range,
                                   int64_t max_nodes, Callback<QByteArray> done, const QStringList& profile_ids) {
  QJsonObject request;
  if (!profile_ids.isEmpty()) request.insert(QStringLiteral("profileIdSelector"), QJsonArray::fromStringList(profile_ids));
  request.insert(QStringLiteral("profileTypeID"), profile_type_id);
  request.insert(QStringLiteral("labelSelector"), selector.isEmpty() ? QStringLiteral("{}") : selector);
  request.insert(QStringLiteral("format"), QStringLiteral("PROFILE_FORMAT_TREE"));
  if (max_nodes > 0) request.insert(QStringLiteral("maxNodes"), Int64Json(max_nodes));
  AddRange(&request, range);
  Call(QStringLiteral("SelectMergeStacktraces"), request,
       [done = std::move(done)](absl::StatusOr<QJsonObject> answer) {
         if (!answer.ok()) return done(answer.status());
         // bytes in proto3 JSON: standard base64; absent when empty.
         const QByteArray::FromBase64Result tree = QByteArray::fromBase64Encoding(
             answer->value(QStringLiteral("tree")).toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
         if (!tree) return done(absl::DataLossError("SelectMergeStacktraces: \"tree\" is not valid base64"));
         done(*tree);
       });
}

void ServerClient::SelectProfiles(const QString& profile_type_id, const QString& selector, ServerTimeRange range,
                                  int64_t limit, Callback<std::vector<ServerProfile>> done) {
  QJsonObject request;
  request.insert(QStringLiteral("profileTypeID"), profile_type_id);
  request.insert(QStringLiteral("labelSelector"), selector.isEmpty() ? QStringLiteral("{}") : selector);
  request.insert(QStringLiteral("limit"), Int64Json(limit));
  AddRange(&request, range);
  Call(QStringLiteral("kiln.profiles.v1.ProfilesService/SelectProfiles"), request,
       [done = std::move(done)](absl::StatusOr<QJsonObject> answer) {
         if (!answer.ok()) return done(answer.status());
         std::vector<ServerProfile> out;
         for (const QJsonValue& v : answer->value(QStringLiteral("profiles")).toArray()) {
           const QJsonObject p = v.toObject();
           out.push_back({p.value(QStringLiteral("id")).toString(),
                          p.value(QStringLiteral("timestamp")).toString().toLongLong(),
                          p.value(QStringLiteral("total")).toString().toLongLong()});
         }
         done(std::move(out));
       });
}

}  // namespace kiln::viewer::qt
