#include "server/daemon/authenticator.h"

#include <gtest/gtest.h>

#include "absl/strings/escaping.h"

namespace kiln::server {
namespace {

std::string Basic(const std::string& user_password) {
  std::string encoded;
  absl::Base64Escape(user_password, &encoded);
  return "Basic " + encoded;
}

TEST(AuthenticatorTest, OpenWithoutCredentialsConfigured) {
  Authenticator open{AuthConfig{}};
  EXPECT_EQ(*open.TenantOf("", ""), "anonymous");
  EXPECT_EQ(*open.TenantOf("Bearer whatever", "team-a"), "team-a");
  EXPECT_EQ(open.TenantOf("", "bad/tenant").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(AuthenticatorTest, CredentialsMapToTenants) {
  AuthConfig config;
  config.tokens["s3cret"] = "team-a";
  config.basic["alice"] = {"pw", "team-b"};
  Authenticator auth(config);
  EXPECT_EQ(*auth.TenantOf("Bearer s3cret", ""), "team-a");
  EXPECT_EQ(*auth.TenantOf("bearer s3cret", "team-a"), "team-a");
  EXPECT_EQ(*auth.TenantOf(Basic("alice:pw"), ""), "team-b");
  EXPECT_EQ(auth.TenantOf("", "").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(auth.TenantOf("Bearer s3cre", "").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(auth.TenantOf("Bearer s3cretX", "").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(auth.TenantOf(Basic("alice:wrong"), "").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(auth.TenantOf(Basic("bob:pw"), "").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(auth.TenantOf("Basic !!notbase64", "").status().code(), absl::StatusCode::kUnauthenticated);
  // A token cannot reach another tenant's data through the header.
  absl::StatusOr<std::string> other = auth.TenantOf("Bearer s3cret", "team-b");
  EXPECT_EQ(other.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(other.status().message().find("team-a"), std::string_view::npos);
}

}  // namespace
}  // namespace kiln::server
