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
#include <memory>
#include <thread>

#include "probes/buildbot/worker_process.h"
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

// A real worker run two ways as its user: `buildbot-worker start AREA`
// (the daemon keeps that command line: found by the area it names), and a
// bare twistd in the area (found by its working directory, the only place
// that names the area). The control: before start and after stop, nothing.
class RunningWorkers : public ::testing::Test {
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
  int waitForPid() {
    for (int i = 0; i < 200 && testing::readTwistdPid(area_) == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return testing::readTwistdPid(area_);
  }
  // How findWorkers found area_ ("" when it did not).
  std::string foundBy() {
    WorkerSearchPlaces onlyProcesses;
    onlyProcesses.debian_workers = "/nonexistent";
    WorkerSearch search = findWorkers(Clock::now() + Milliseconds(5000), onlyProcesses);
    for (const FoundWorker& w : search.workers)
      if (w.path == area_) return fmt::format("{}", fmt::join(w.found_by, "; "));
    return "";
  }
  std::unique_ptr<testing::ThrowawayUser> user_;
  std::string area_;
};

TEST_F(RunningWorkers, BuildbotWorkerStartIsFoundByTheAreaItNames) {
  EXPECT_EQ(foundBy(), "") << "not started yet";
  testing::runAs(user_->name(), "buildbot-worker", {"start", "--quiet", area_});
  int pid = waitForPid();
  ASSERT_TRUE(testing::processAlive(pid)) << "the worker did not start";
  EXPECT_EQ(foundBy(), fmt::format("running buildbot-worker (pid {})", pid));
  testing::stopTwistd(area_);
  EXPECT_EQ(foundBy(), "") << "stopped";
}

TEST_F(RunningWorkers, ABareTwistdIsFoundByItsWorkingDirectory) {
  testing::CommandResult r = testing::runCommand(
      "runuser", {"-u", user_->name(), "--", "sh", "-c",
                  "cd \"$1\" && exec twistd3 --pidfile=twistd.pid --logfile=twistd.log "
                  "--no_save -y buildbot.tac",
                  "sh", area_});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  int pid = waitForPid();
  ASSERT_TRUE(testing::processAlive(pid)) << "twistd did not start";
  std::optional<ProcessInfo> info = readProcessInfo(pid);
  ASSERT_TRUE(info.has_value());
  // Nothing on its command line names the area: only its directory does.
  for (const std::string& arg : info->argv) EXPECT_FALSE(contains(arg, area_)) << arg;
  EXPECT_EQ(foundBy(), fmt::format("running twistd (pid {})", pid));
}

}  // namespace
}  // namespace bbcheck
