#include "kiln/model/profile_type.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

TEST(ProfileTypeTest, ParsesAndFormats) {
  auto t = ProfileTypeId::Parse("process_cpu:cpu:nanoseconds:cpu:nanoseconds");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->name, "process_cpu");
  EXPECT_EQ(t->sample_type, "cpu");
  EXPECT_EQ(t->period_unit, "nanoseconds");
  EXPECT_FALSE(t->delta);
  EXPECT_EQ(t->ToString(), "process_cpu:cpu:nanoseconds:cpu:nanoseconds");
  auto d = ProfileTypeId::Parse("memory:alloc_space:bytes:space:bytes:delta");
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->delta);
}

TEST(ProfileTypeTest, RejectsWithClearErrors) {
  auto a = ProfileTypeId::Parse("process_cpu:cpu");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("expected 5 parts"), std::string::npos);
  auto b = ProfileTypeId::Parse("process_cpu::nanoseconds:cpu:nanoseconds");
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("sample_type"), std::string::npos);
  EXPECT_FALSE(ProfileTypeId::Parse("a:b:c:d:e:cumulative").ok());
}

TEST(ProfileTypeTest, GuessesPyroscopeNames) {
  EXPECT_EQ(GuessProfileName("cpu", "cpu"), "process_cpu");
  EXPECT_EQ(GuessProfileName("samples", "cpu"), "process_cpu");
  EXPECT_EQ(GuessProfileName("alloc_space", "space"), "memory");
  EXPECT_EQ(GuessProfileName("inuse_objects", "space"), "memory");
  EXPECT_EQ(GuessProfileName("contentions", "mutex"), "mutex");
  EXPECT_EQ(GuessProfileName("delay", "contentions"), "block");
  EXPECT_EQ(GuessProfileName("goroutine", "goroutine"), "goroutines");
}

}  // namespace
}  // namespace kiln
