#include "server/daemon/label_checks.h"

#include <gtest/gtest.h>

#include "server/daemon/tenant.h"

namespace kiln::server {
namespace {

TEST(LabelChecksTest, Names) {
  EXPECT_TRUE(CheckLabelName("service_name").ok());
  EXPECT_TRUE(CheckLabelName("k8s.pod.name").ok());
  EXPECT_FALSE(CheckLabelName("").ok());
  EXPECT_FALSE(CheckLabelName("a-b").ok());
  EXPECT_FALSE(CheckLabel("env", "\xff").ok());
}

TEST(TenantTest, HeaderRules) {
  EXPECT_EQ(*TenantFromHeader(""), "anonymous");
  EXPECT_EQ(*TenantFromHeader("team-a_1"), "team-a_1");
  EXPECT_FALSE(TenantFromHeader("..").ok());
  EXPECT_FALSE(TenantFromHeader("a/b").ok());
  EXPECT_FALSE(TenantFromHeader(std::string(151, 'a')).ok());
}

}  // namespace
}  // namespace kiln::server
