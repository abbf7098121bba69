#include "probes/text.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

namespace bbcheck {
namespace {

TEST(Text, TrimmedRemovesBlanksAtBothEnds) {
  EXPECT_EQ(trimmed(" \t a b \r\n"), "a b");
  EXPECT_EQ(trimmed(" \n "), "");
}

TEST(Text, StartsWith) {
  EXPECT_TRUE(startsWith("docker-1", "docker"));
  EXPECT_FALSE(startsWith("dock", "docker"));
}

TEST(Text, JoinedWithSeparator) {
  EXPECT_EQ(joinedWith({"a", "b", "c"}, ", "), "a, b, c");
  EXPECT_EQ(joinedWith({}, ", "), "");
}

TEST(Text, FirstLineSkipsBlankLinesAndShortens) {
  EXPECT_EQ(firstLine("\n  \n  gcc 12.2 \nmore"), "gcc 12.2");
  EXPECT_EQ(firstLine(std::string(200, 'x'), 10), "xxxxxxx...");
  EXPECT_EQ(firstLine(" \n"), "");
}

TEST(Text, BaseName) {
  EXPECT_EQ(baseName("/usr/bin/python3"), "python3");
  EXPECT_EQ(baseName("python3"), "python3");
}

TEST(Text, DirectoryOf) {
  EXPECT_EQ(directoryOf("/var/lib/node/bbcheck.prom"), "/var/lib/node");
  EXPECT_EQ(directoryOf("/report"), "/");
  EXPECT_EQ(directoryOf("report"), ".");
}

TEST(Text, RlimitText) {
  EXPECT_EQ(rlimitText(RLIM_INFINITY), "unlimited");
  EXPECT_EQ(rlimitText(1024), "1024");
}

}  // namespace
}  // namespace bbcheck
