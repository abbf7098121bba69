#include "probes/worker/worker_running.h"

#include <Poco/Process.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "probes/registry.h"
#include "tests/buildbot_fixture.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::TempDir;

Outcome runProbe(const std::string& area) {
  Params params;
  params.set("path", area);
  ProbeContext ctx;
  ctx.deadline = Clock::now() + ctx.timeout;
  return findProbe("worker-running")->run(params, ctx);
}

void writePid(const std::string& area, long pid) {
  std::ofstream(area + "/twistd.pid") << pid;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
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

}  // namespace
}  // namespace bbcheck
