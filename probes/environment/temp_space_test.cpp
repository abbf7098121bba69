#include "probes/environment/temp_space.h"

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>

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
  ProbeContext ctx;
  ctx.timeout = Milliseconds(30000);
  ctx.deadline = Clock::now() + ctx.timeout;
  return tempSpaceProbe().run(params, ctx);
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

// Ground truth first: a script created in a noexec TMPDIR cannot run
// (test_shutil, test_subprocess and test_venv do exactly that), beside the
// same tmpfs without noexec.
TEST(TempSpaceProbe, NoexecFailsWhereScriptsCannotRun) {
  for (unsigned long flags : {0UL, static_cast<unsigned long>(MS_NOEXEC)}) {
    bool noexec = flags != 0;
    SCOPED_TRACE(noexec ? "noexec" : "exec");
    testing::TempDir dir;
    auto r = testing::runInChild([&] {
      ::setenv("TMPDIR", dir.path().c_str(), 1);
      testing::enterPrivateMountNamespace();
      testing::mountTmpfs(dir.path(), "size=3g", flags);
      std::string script = dir.path() + "/truth.sh";
      std::ofstream(script) << "#!/bin/sh\nexit 0\n";
      ::chmod(script.c_str(), 0755);
      int ran = ::system(script.c_str());  // sh reports 126 when exec is refused
      ::unlink(script.c_str());
      if ((WEXITSTATUS(ran) == 0) == noexec) throw std::runtime_error("ground truth differs");
      return runTempSpace(0);
    });
    ASSERT_EQ(r.failure, "");
    if (noexec) {
      EXPECT_EQ(r.outcome.status, Status::Fail) << r.outcome.message;
      EXPECT_NE(r.outcome.message.find("`noexec` on the mount at " + dir.path()), std::string::npos)
          << r.outcome.message;
      EXPECT_NE(r.outcome.message.find("test_venv"), std::string::npos) << r.outcome.message;
    } else {
      EXPECT_EQ(r.outcome.status, Status::Pass) << r.outcome.message;
      EXPECT_NE(r.outcome.message.find("a script Python creates in " + dir.path() + " runs"),
                std::string::npos)
          << r.outcome.message;
    }
  }
}

// Python and gcc fall back to /tmp when TMPDIR does not exist: no failure.
TEST(TempSpaceProbe, MissingTmpdirFallsBackAsPythonDoes) {
  testing::ScopedEnv tmpdir("TMPDIR", "/nonexistent-bbcheck-tmpdir");
  testing::CommandResult py =
      testing::runCommand("python3", {"-c", "import tempfile; print(tempfile.gettempdir())"});
  ASSERT_EQ(py.out, "/tmp\n") << py.err;
  Outcome o = runTempSpace(0);
  EXPECT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_NE(o.message.find("does not exist: Python and gcc fall back to /tmp"), std::string::npos)
      << o.message;
}

}  // namespace
}  // namespace bbcheck
