#include "probes/human.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace bbcheck {
namespace {

TEST(Human, BytesInBinaryUnits) {
  EXPECT_EQ(humanBytes(0), "0 B");
  EXPECT_EQ(humanBytes(1023), "1023 B");
  EXPECT_EQ(humanBytes(1536), "1.5 KiB");
  EXPECT_EQ(humanBytes(13207024435LL), "12.3 GiB");
}

TEST(Human, LimitsAsAPersonWritesThem) {
  EXPECT_EQ(humanLimit(30000000000LL), "30 GB");
  EXPECT_EQ(humanLimit(512LL << 20), "512 MiB");
  EXPECT_EQ(humanLimit(512000000LL), "512 MB");
  EXPECT_EQ(humanLimit(2500000000LL), "2.5 GB");
  EXPECT_EQ(humanLimit(3LL << 29), "1.5 GiB");
  EXPECT_EQ(humanLimit(1234567), "1.2 MiB");
  EXPECT_EQ(humanLimit(0), "0 B");
  EXPECT_EQ(humanLimit(26350256128LL), "24.5 GiB");  // a multiple of 1 KiB only
}

TEST(Human, TildeForHome) {
  const char* saved = std::getenv("HOME");
  std::string old = saved ? saved : "";
  ::setenv("HOME", "/home/bb", 1);
  EXPECT_EQ(tildePath("/home/bb/buildarea"), "~/buildarea");
  EXPECT_EQ(tildePath("/home/bb"), "~");
  EXPECT_EQ(tildePath("/home/bbx/buildarea"), "/home/bbx/buildarea");
  EXPECT_EQ(tildePath("/srv/x"), "/srv/x");
  if (saved)
    ::setenv("HOME", old.c_str(), 1);
  else
    ::unsetenv("HOME");
}

}  // namespace
}  // namespace bbcheck
