#include "server/daemon/connect_protocol.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "querier/v1/querier.pb.h"

namespace kiln::server {
namespace {

using ::testing::HasSubstr;

TEST(ConnectProtocolTest, ContentTypes) {
  EXPECT_EQ(CodecFromContentType("application/proto"), ConnectCodec::kProto);
  EXPECT_EQ(CodecFromContentType("application/json; charset=utf-8"), ConnectCodec::kJson);
  EXPECT_EQ(CodecFromContentType("Application/JSON"), ConnectCodec::kJson);
  EXPECT_EQ(CodecFromContentType("application/grpc"), std::nullopt);
  EXPECT_EQ(CodecFromContentType("text/plain"), std::nullopt);
  EXPECT_EQ(CodecFromContentType(""), std::nullopt);
}

TEST(ConnectProtocolTest, JsonUsesProtojsonNames) {
  querier::v1::SelectMergeStacktracesRequest req;
  ASSERT_TRUE(DecodeMessage(ConnectCodec::kJson,
                            R"({"profileTypeID":"process_cpu:cpu:nanoseconds:cpu:nanoseconds","labelSelector":"{}",
                                "start":"1000","end":2000,"maxNodes":"16","format":"PROFILE_FORMAT_TREE",
                                "someFutureField":1})",
                            &req)
                  .ok());
  EXPECT_EQ(req.profile_typeid(), "process_cpu:cpu:nanoseconds:cpu:nanoseconds");
  EXPECT_EQ(req.start(), 1000);
  EXPECT_EQ(req.end(), 2000);
  EXPECT_TRUE(req.has_max_nodes());
  EXPECT_EQ(req.max_nodes(), 16);
  EXPECT_EQ(req.format(), querier::v1::PROFILE_FORMAT_TREE);

  querier::v1::FlameGraph fg;
  fg.add_names("total");
  fg.add_levels()->add_values(100);
  fg.set_total(100);
  fg.set_max_self(60);
  auto json = EncodeMessage(ConnectCodec::kJson, fg);
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(*json, R"({"names":["total"],"levels":[{"values":["100"]}],"total":"100","maxSelf":"60"})");

  types::v1::ProfileType pt;
  pt.set_id("x");
  EXPECT_EQ(*EncodeMessage(ConnectCodec::kJson, pt), R"({"ID":"x"})");
}

TEST(ConnectProtocolTest, BinaryRoundTripAndErrors) {
  querier::v1::ProfileTypesRequest req;
  req.set_start(5);
  req.set_end(6);
  auto bytes = EncodeMessage(ConnectCodec::kProto, req);
  ASSERT_TRUE(bytes.ok());
  querier::v1::ProfileTypesRequest back;
  ASSERT_TRUE(DecodeMessage(ConnectCodec::kProto, *bytes, &back).ok());
  EXPECT_EQ(back.end(), 6);
  EXPECT_TRUE(DecodeMessage(ConnectCodec::kProto, "", &back).ok());
  absl::Status bad = DecodeMessage(ConnectCodec::kProto, "\xff\xff\xff", &back);
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.message()), HasSubstr("querier.v1.ProfileTypesRequest"));
  bad = DecodeMessage(ConnectCodec::kJson, "{\"start\": [}", &back);
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
}

TEST(ConnectProtocolTest, ErrorsFollowConnectsTable) {
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kResourceExhausted), 429);
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kUnimplemented), 501);
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kUnavailable), 503);
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kDataLoss), 500);
  EXPECT_EQ(ConnectErrorBody(absl::InvalidArgumentError("bad \"x\"")),
            R"({"code":"invalid_argument","message":"bad \"x\""})");
}

}  // namespace
}  // namespace kiln::server
