#include "probes/environment/temp_space.h"

#include <gtest/gtest.h>
#include <sys/mount.h>

#include "tests/in_child.h"
#include "tests/mount_testing.h"
#include "tests/scoped_env.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

constexpr int64_t kLargeFileTests = 2500000000;

Outcome runTempSpace(int64_t min) {
  Params params;
  params.set("min", min);
  return tempSpaceProbe().run(params, ProbeContext{});
}

// Runs the probe in a child whose TMPDIR is a fresh tmpfs mounted with
// `options` and `flags`.
testing::ChildOutcome onTmpfs(const std::string& options, unsigned long flags, int64_t min) {
  testing::TempDir dir;
  return testing::runInChild([&] {
    ::setenv("TMPDIR", dir.path().c_str(), 1);
    testing::enterPrivateMountNamespace();
    testing::mountTmpfs(dir.path(), options, flags);
    return runTempSpace(min);
  });
}

TEST(TempSpaceProbe, ChoosesAsPythonsTempfileDoes) {
  testing::ScopedEnv tmpdir("TMPDIR", std::nullopt), temp("TEMP", std::nullopt),
      tmp("TMP", "/var/tmp");
  EXPECT_EQ(chooseTempDir().path, "/var/tmp");
  EXPECT_EQ(chooseTempDir().variable, "TMP");
  testing::ScopedEnv none("TMP", std::nullopt);
  EXPECT_EQ(chooseTempDir().path, "/tmp");
}

TEST(TempSpaceProbe, LargeEnoughTmpfsPasses) {
  // tmpfs sizes are limits, not allocations: 3g costs nothing.
  auto r = onTmpfs("size=3g", 0, kLargeFileTests);
  ASSERT_EQ(r.failure, "");
  ASSERT_EQ(r.outcome.status, Status::Pass) << r.outcome.message;
  EXPECT_NE(r.outcome.message.find("TMPDIR="), std::string::npos) << r.outcome.message;
}

TEST(TempSpaceProbe, SmallTmpfsFails) {
  auto r = onTmpfs("size=64m", 0, kLargeFileTests);
  ASSERT_EQ(r.failure, "");
  ASSERT_EQ(r.outcome.status, Status::Fail) << r.outcome.message;
  EXPECT_NE(r.outcome.message.find("need 2.5 GB"), std::string::npos) << r.outcome.message;
}

TEST(TempSpaceProbe, ReadOnlyFails) {
  auto r = onTmpfs("size=3g", MS_RDONLY, 0);
  ASSERT_EQ(r.failure, "");
  ASSERT_EQ(r.outcome.status, Status::Fail) << r.outcome.message;
  EXPECT_NE(r.outcome.message.find("Read-only file system"), std::string::npos)
      << r.outcome.message;
}

TEST(TempSpaceProbe, NoInodesLeftFails) {
  auto r = onTmpfs("size=3g,nr_inodes=1", 0, 0);
  ASSERT_EQ(r.failure, "");
  ASSERT_EQ(r.outcome.status, Status::Fail) << r.outcome.message;
  EXPECT_NE(r.outcome.message.find("cannot create a file"), std::string::npos) << r.outcome.message;
}

}  // namespace
}  // namespace bbcheck
