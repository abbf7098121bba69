#include "probes/worker/worker_running.h"

#include <Poco/Process.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "probes/text.h"
#include "tests/buildbot_fixture.h"
#include "tests/in_child.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::TempDir;

Outcome runProbe(const std::string& area, const std::string& aspect = "running") {
  Params params;
  params.set("path", area);
  params.set("aspect", aspect);
  ProbeContext ctx;
  ctx.deadline = Clock::now() + ctx.timeout;
  return workerRunningProbe().run(params, ctx);
}

void writePid(const std::string& area, long pid) {
  std::ofstream(area + "/twistd.pid") << pid;
}

// A live worker attached to a live master, then stopped the way an admin
// stops it.
class WorkerRunningProbe : public testing::BuildbotTest {};

TEST_F(WorkerRunningProbe, PassesWhileTheWorkerRunsAndFailsAfterStop) {
  const std::string& area = worker().area();
  Outcome o = runProbe(area);
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["pid"].convert<int>(), worker().pid());
  EXPECT_EQ(o.observed["role"].toString(), "worker");
  EXPECT_TRUE(contains(o.message, "buildbot-worker start")) << o.message;

  testing::CommandResult stop = testing::runCommand("buildbot-worker", {"stop", area});
  ASSERT_EQ(stop.exit_code, 0) << stop.out << stop.err;
  o = runProbe(area);
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_TRUE(contains(o.message, "worker not running (no twistd.pid in " + area + ")"))
      << o.message;
  EXPECT_TRUE(contains(o.message, "buildbot-worker start " + area)) << o.message;
}

TEST_F(WorkerRunningProbe, MastersPidIsNotAWorker) {
  TempDir dir;
  writePid(dir.path(), master().pid());
  Outcome o = runProbe(dir.path());
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_TRUE(contains(o.message, "(a buildbot master), which is not a buildbot worker"))
      << o.message;
  EXPECT_EQ(o.observed["role"].toString(), "master");
}

TEST(WorkerRunningProbeNoMaster, StalePidOfAnExitedProcess) {
  TempDir dir;
  std::string area = dir.path() + "/area";
  testing::createWorkerArea(area, "127.0.0.1:9989");
  Poco::ProcessHandle child = Poco::Process::launch("/bin/true", {});
  int pid = child.id();
  child.wait();  // reaped: the pid names nothing now
  writePid(area, pid);
  Outcome o = runProbe(area);
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_TRUE(contains(o.message, fmt::format("stale twistd.pid: process {} is not running", pid)))
      << o.message;
  EXPECT_TRUE(contains(o.message, "buildbot-worker restart " + area)) << o.message;
  EXPECT_FALSE(o.observed["running"].convert<bool>());
}

TEST(WorkerRunningProbeNoMaster, PidOfAnUnrelatedProcessIsNamed) {
  TempDir dir;
  Poco::ProcessHandle child = Poco::Process::launch("/bin/sleep", {"30"});
  // Until the child has exec'd, it is a copy of this test binary.
  for (int i = 0; i < 500 && readProcessInfo(child.id())->comm != "sleep"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  writePid(dir.path(), child.id());
  Outcome o = runProbe(dir.path());
  Poco::Process::kill(child);
  child.wait();
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_TRUE(contains(o.message, fmt::format("names process {} (sleep), which is not a buildbot "
                                              "worker",
                                              child.id())))
      << o.message;
  EXPECT_EQ(o.observed["process"].toString(), "sleep");
  EXPECT_FALSE(o.observed.extract<Object>().contains("cmdline"));  // may hold secrets
  // `restart` would SIGTERM the sleep: the fix removes the file instead.
  EXPECT_FALSE(contains(o.message, "`buildbot-worker restart")) << o.message;
  EXPECT_TRUE(contains(o.message, "`rm " + dir.path() + "/twistd.pid`")) << o.message;
  EXPECT_TRUE(contains(o.message, "`start` refuses while that process lives")) << o.message;
}

TEST(WorkerRunningProbeNoMaster, GarbagePidFileAndMissingArea) {
  TempDir dir;
  std::ofstream(dir.path() + "/twistd.pid") << "not-a-pid\n";
  Outcome o = runProbe(dir.path());
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_TRUE(contains(o.message, "holds \"not-a-pid\", not a process id")) << o.message;

  o = runProbe(dir.path() + "/none");
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_TRUE(contains(o.message, "build area " + dir.path() + "/none does not exist"));
}

TEST(WorkerRunningProbeNoMaster, RolesFromCommandLines) {
  EXPECT_EQ(buildbotRole({"/usr/bin/python3", "/usr/bin/buildbot-worker", "start", "a"}), "worker");
  EXPECT_EQ(buildbotRole({"/home/b/venv/bin/python", "-m", "buildbot_worker.scripts.runner"}),
            "worker");
  EXPECT_EQ(buildbotRole({"/usr/bin/python3", "/usr/bin/twistd", "-y", "buildbot.tac"}), "twistd");
  EXPECT_EQ(buildbotRole({"/usr/bin/python3", "/usr/bin/buildbot", "start", "m"}), "master");
  EXPECT_EQ(
      buildbotRole({"/usr/bin/python3", "-c", "from twisted.scripts import twistd; twistd.run()",
                    "--no_save", "--logfile=twistd.log", "--python=buildbot.tac"}),
      "twistd");
  EXPECT_EQ(buildbotRole({"sleep", "30"}), "");
  EXPECT_EQ(buildbotRole({}), "");
}

// A real worker (no master needed: it keeps retrying 127.0.0.1's closed
// port) started by `buildbot-worker start` as the build area's user, or as
// root, in a build area made by that user.
class WorkerUserAspect : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::geteuid(), 0u) << "needs root (useradd, runuser)";
    user_ = std::make_unique<testing::ThrowawayUser>(testing::workerAccount());
    area_ = user_->home() + "/area";
    testing::createWorkerAreaAs(user_->name(), area_,
                                "127.0.0.1:" + std::to_string(testing::closedLoopbackPort()));
  }
  void TearDown() override {
    testing::stopTwistd(area_);
    user_.reset();
  }
  void startAs(const std::string& who) {
    std::vector<std::string> args{"-u", who, "--", "buildbot-worker", "start", "--quiet", area_};
    testing::CommandResult r = testing::runCommand("runuser", args, 30);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    for (int i = 0; i < 200 && testing::readTwistdPid(area_) == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(testing::processAlive(testing::readTwistdPid(area_))) << "the worker did not start";
  }
  std::unique_ptr<testing::ThrowawayUser> user_;
  std::string area_;
};

TEST_F(WorkerUserAspect, NotRunningIsSkipped) {
  Outcome o = runProbe(area_, "user");
  EXPECT_EQ(o.status, Status::Skip) << o.message;
}

TEST_F(WorkerUserAspect, WorkerOfTheAreasUserPasses) {
  startAs(user_->name());
  Outcome o = runProbe(area_);
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_TRUE(contains(o.message, "as " + user_->name())) << o.message;
  o = runProbe(area_, "user");
  EXPECT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["process_user"].toString(), user_->name());
}

TEST_F(WorkerUserAspect, WorkerStartedAsRootInTheUsersAreaFails) {
  startAs("root");
  Outcome o = runProbe(area_, "user");
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_TRUE(contains(o.message, "runs as root in " + user_->name() + "'s build area " + area_))
      << o.message;
  EXPECT_TRUE(
      contains(o.message, "runuser -u " + user_->name() + " -- buildbot-worker start " + area_))
      << o.message;
  EXPECT_TRUE(contains(o.message, "chown -R " + user_->name() + " " + area_)) << o.message;
  EXPECT_EQ(o.observed["process_user"].toString(), "root");
}

TEST_F(WorkerUserAspect, UnreadablePidFileSaysWhoseItIs) {
  // Unreadable for the user, so its content is never read by the probe; and
  // not a live PID, so that TearDown's stopTwistd never signals anything.
  std::ofstream(area_ + "/twistd.pid") << "not-a-pid";
  ASSERT_EQ(::chmod((area_ + "/twistd.pid").c_str(), 0600), 0);  // root's, as root leaves it
  int uid = user_->uid(), gid = user_->gid();
  std::string area = area_;
  testing::ChildOutcome child = testing::runInChild([&] {
    if (::setgid(static_cast<gid_t>(gid)) != 0 || ::setuid(static_cast<uid_t>(uid)) != 0) {
      throw std::runtime_error("setuid failed");
    }
    return runProbe(area);
  });
  ::unlink((area_ + "/twistd.pid").c_str());
  ASSERT_TRUE(child.failure.empty()) << child.failure;
  EXPECT_EQ(child.outcome.status, Status::Error);
  EXPECT_TRUE(contains(child.outcome.message, "cannot read " + area_ +
                                                  "/twistd.pid: Permission denied (owner root, "
                                                  "mode 0600)"))
      << child.outcome.message;
}

}  // namespace
}  // namespace bbcheck
