// Finding workers for real: a Debian worker directory in a private mount
// namespace, another user's crontab in a private spool, a running twistd;
// each beside a control built the same way that holds no worker.
#include "probes/buildbot/worker_discovery.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "probes/text.h"
#include "tests/buildbot_fixture.h"
#include "tests/in_child.h"
#include "tests/mount_testing.h"
#include "tests/test_support.h"
#include "tests/throwaway_user.h"

namespace bbcheck {
namespace {

namespace fs = std::filesystem;
using testing::runInChild;

// What create-worker writes, minus what discovery does not read.
constexpr const char* kWorkerTac =
    "import os\n"
    "from buildbot_worker.bot import Worker\n"
    "from twisted.application import service\n"
    "basedir = '.'\n"
    "buildmaster_host = '127.0.0.1'\n"
    "port = 9989\n"
    "workername = 'x'\n"
    "passwd = 'pw'\n";

void writeTac(const std::string& dir) {
  fs::create_directories(dir);
  std::ofstream(dir + "/buildbot.tac") << kWorkerTac;
}

// The workers found, one "PATH <- HOW; HOW" line each, as a child's Outcome.
Outcome listed(const WorkerSearch& search) {
  std::string text;
  for (const FoundWorker& w : search.workers)
    text += fmt::format("{} <- {}\n", w.path, fmt::join(w.found_by, "; "));
  return Outcome::pass(text);
}

WorkerSearchPlaces withoutProcesses() {
  WorkerSearchPlaces places;
  places.processes = false;
  return places;
}

TEST(WorkerDiscovery, DebiansWorkerDirectoryIsFound) {
  ASSERT_EQ(::geteuid(), 0u) << "needs root (mount namespace)";
  testing::ChildOutcome found = runInChild([] {
    testing::enterPrivateMountNamespace();
    fs::create_directories("/var/lib/buildbot/workers");
    testing::mountTmpfs("/var/lib/buildbot/workers");
    writeTac("/var/lib/buildbot/workers/x");
    return listed(findWorkers(Clock::now() + Milliseconds(5000), withoutProcesses()));
  });
  ASSERT_EQ(found.failure, "");
  EXPECT_TRUE(contains(found.outcome.message,
                       "/var/lib/buildbot/workers/x <- /var/lib/buildbot/workers/\n"))
      << found.outcome.message;

  // The control: the same directory, no worker in it (a directory alone,
  // without buildbot.tac, is not one).
  testing::ChildOutcome none = runInChild([] {
    testing::enterPrivateMountNamespace();
    fs::create_directories("/var/lib/buildbot/workers");
    testing::mountTmpfs("/var/lib/buildbot/workers");
    fs::create_directories("/var/lib/buildbot/workers/y");
    return listed(findWorkers(Clock::now() + Milliseconds(5000), withoutProcesses()));
  });
  ASSERT_EQ(none.failure, "");
  EXPECT_FALSE(contains(none.outcome.message, "/var/lib/buildbot/workers/"))
      << none.outcome.message;
}

// Root reads every user's crontab in cron's spool (where `crontab -u`
// installs it), here a private tmpfs over Debian's spool.
TEST(WorkerDiscovery, AnotherUsersRebootLineIsFoundAsRoot) {
  ASSERT_EQ(::geteuid(), 0u) << "needs root (useradd, mount namespace)";
  testing::ThrowawayUser user(testing::workerAccount());
  std::string area = user.home() + "/area";
  std::string empty = user.home() + "/not-a-worker";
  writeTac(area);
  fs::create_directories(empty);
  testing::TempDir dir;
  std::string tab = dir.write("crontab", fmt::format("@reboot buildbot-worker restart {}\n"
                                                     "@reboot buildbot-worker restart {}\n",
                                                     area, empty));
  std::string name = user.name();
  testing::ChildOutcome found = runInChild([&] {
    testing::enterPrivateMountNamespace();
    testing::mountTmpfs("/var/spool/cron/crontabs", "mode=1730");
    testing::CommandResult r = testing::runCommand("crontab", {"-u", name, tab});
    if (r.exit_code != 0) throw std::runtime_error("crontab -u failed: " + r.err);
    return listed(findWorkers(Clock::now() + Milliseconds(5000), withoutProcesses()));
  });
  ASSERT_EQ(found.failure, "");
  EXPECT_TRUE(contains(found.outcome.message, area + " <- crontab of " + name + "\n"))
      << found.outcome.message;
  // The line naming a directory without buildbot.tac is no worker.
  EXPECT_FALSE(contains(found.outcome.message, empty)) << found.outcome.message;
}

// A real worker, started by `buildbot-worker start` as its user: twistd
// runs in the build area, which is how it is found.
TEST(WorkerDiscovery, ARunningTwistdIsFoundByItsWorkingDirectory) {
  ASSERT_EQ(::geteuid(), 0u) << "needs root (useradd, runuser)";
  testing::ThrowawayUser user(testing::workerAccount());
  std::string area = user.home() + "/area";
  testing::createWorkerAreaAs(user.name(), area,
                              "127.0.0.1:" + std::to_string(testing::closedLoopbackPort()));
  auto isHere = [&](const std::vector<RunningWorker>& running) {
    for (const RunningWorker& w : running)
      if (w.area == area) return w.pid;
    return 0;
  };
  EXPECT_EQ(isHere(runningWorkers()), 0) << "not started yet";
  testing::runAs(user.name(), "buildbot-worker", {"start", "--quiet", area});
  for (int i = 0; i < 200 && testing::readTwistdPid(area) == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  int pid = testing::readTwistdPid(area);
  ASSERT_TRUE(testing::processAlive(pid)) << "the worker did not start";
  EXPECT_EQ(isHere(runningWorkers()), pid);
  WorkerSearchPlaces nothingElse;
  nothingElse.debian_workers = "/nonexistent";
  WorkerSearch search = findWorkers(Clock::now() + Milliseconds(5000), nothingElse);
  bool seen = false;
  for (const FoundWorker& w : search.workers)
    if (w.path == area)
      seen = w.found_by == std::vector<std::string>{fmt::format("running twistd (pid {})", pid)};
  EXPECT_TRUE(seen) << listed(search).message;
  testing::stopTwistd(area);
  EXPECT_EQ(isHere(runningWorkers()), 0) << "stopped";
}

}  // namespace
}  // namespace bbcheck
