#include "probes/worker/boot.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "probes/registry.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(BootCommandLines, FindsBuildbotWorkerCalls) {
  BootUser u{"bb", "/home/bb"};
  auto one = [&](const std::string& command, const std::string& cwd = "/home/bb") {
    std::vector<WorkerInvocation> found = workerInvocations(command, u, cwd);
    EXPECT_EQ(found.size(), 1u) << command;
    return found.empty() ? WorkerInvocation{"-", "-"} : found[0];
  };
  WorkerInvocation i = one("buildbot-worker restart /srv/area");
  EXPECT_EQ(i.action, "restart");
  EXPECT_EQ(i.path, "/srv/area");
  i = one("/usr/local/bin/buildbot-worker restart ~/area >/dev/null 2>&1");
  EXPECT_EQ(i.path, "/home/bb/area");
  i = one("cd $HOME && buildbot-worker restart area/ 2>&1 | logger");
  EXPECT_EQ(i.path, "/home/bb/area");
  i = one("sleep 30; buildbot-worker start", "/home/bb/w");  // basedir: the current dir
  EXPECT_EQ(i.action, "start");
  EXPECT_EQ(i.path, "/home/bb/w");
  i = one("PATH=/opt/bb/bin:$PATH buildbot-worker --verbose restart \"${HOME}/my area\"");
  EXPECT_EQ(i.path, "/home/bb/my area");
  i = one("su - bb -c 'cd /srv && buildbot-worker restart ./x/../area'");
  EXPECT_EQ(i.path, "/srv/area");
  i = one("buildbot-worker restart ~root/area");
  EXPECT_EQ(i.path, "/root/area");
  EXPECT_TRUE(workerInvocations("buildbot restart /srv/master", u, "/").empty());
  EXPECT_TRUE(workerInvocations("# buildbot-worker restart /srv/area", u, "/").empty());
}

TEST(BootCrontabs, RebootLinesOnly) {
  BootUser u{"bb", "/home/bb"};
  std::vector<BootEntry> found = cronBootEntries(
      "# m h dom mon dow command\n"
      "MAILTO=\"\"\n"
      "*/5 * * * * buildbot-worker restart /srv/a\n"
      "@reboot buildbot-worker restart ~/area\n"
      "HOME=/srv\n"
      "@reboot buildbot-worker start area % ignored input\n",
      false, u, "crontab of bb");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].action, "restart");
  EXPECT_EQ(found[0].path, "/home/bb/area");
  EXPECT_EQ(found[0].source, "crontab of bb");
  EXPECT_EQ(found[1].action, "start");
  EXPECT_EQ(found[1].path, "/srv/area");

  found = cronBootEntries(
      "@reboot root buildbot-worker restart /srv/root-area\n"
      "@reboot bb buildbot-worker restart /srv/bb-area\n",
      true, u, "/etc/cron.d/bb");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].path, "/srv/bb-area");
  EXPECT_EQ(found[0].source, "/etc/cron.d/bb:2");
}

// Enabled units as Debian's buildbot-worker package ships and `systemctl
// enable` links them, under a temporary root.
TEST(BootSystemd, ReadsEnabledUnitsAndTheirDropIns) {
  const std::string debianUnit = "/lib/systemd/system/buildbot-worker@.service";
  ASSERT_TRUE(fs::is_regular_file(debianUnit))
      << debianUnit << " missing: this test needs Debian's buildbot-worker package";
  TempDir root;
  fs::create_directories(root.path() + "/lib/systemd/system");
  fs::copy_file(debianUnit, root.path() + debianUnit);
  std::string wants = root.path() + "/etc/systemd/system/multi-user.target.wants";
  fs::create_directories(wants);
  fs::create_symlink(debianUnit, wants + "/buildbot-worker@cpython.service");
  root.write("lib/systemd/system/other.service", "[Service]\nExecStart=/bin/true\n");
  fs::create_symlink("/lib/systemd/system/other.service", wants + "/other.service");
  root.write("etc/systemd/system/bb.service",
             "[Unit]\nDescription=x\n[Service]\nUser=root\n"
             "ExecStart=/usr/bin/buildbot-worker start %h/area\n");
  fs::create_symlink("/etc/systemd/system/bb.service", wants + "/bb.service");

  BootUser u{"buildbot", "/var/lib/buildbot"};
  std::vector<BootEntry> found = systemdBootEntries(root.path(), u);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].source, "systemd unit bb.service (enabled in multi-user.target.wants)");
  EXPECT_EQ(found[0].path, "/root/area");
  EXPECT_EQ(found[1].source,
            "systemd unit buildbot-worker@cpython.service (enabled in multi-user.target.wants)");
  EXPECT_EQ(found[1].action, "start");  // ExecStart=/usr/bin/buildbot-worker start --nodaemon
  EXPECT_EQ(found[1].path, "/var/lib/buildbot/workers/cpython");

  // A drop-in moves the instance's build area.
  root.write("etc/systemd/system/buildbot-worker@cpython.service.d/area.conf",
             "[Service]\nWorkingDirectory=/srv/buildarea\n");
  found = systemdBootEntries(root.path(), u);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[1].path, "/srv/buildarea");
}

// A throwaway user with a real crontab (Debian's cron package), removed
// again. The probe reads it with `crontab -l -u USER` through its `user`
// parameter, which needs root: tests run as root.
class BootProbe : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (::geteuid() != 0) return;
    user_ = fmt::format("bbck{}", ::getpid());
    home_ = std::make_unique<TempDir>();
    testing::CommandResult r = testing::runCommand(
        "useradd", {"-M", "-d", home_->path(), "-s", "/usr/sbin/nologin", user_});
    if (r.exit_code != 0) setup_error_ = "useradd failed: " + r.err;
  }
  static void TearDownTestSuite() {
    if (user_.empty()) return;
    testing::runCommand("crontab", {"-r", "-u", user_});
    testing::runCommand("userdel", {user_});
    home_.reset();
  }
  void SetUp() override {
    ASSERT_EQ(::geteuid(), 0u) << "BootProbe needs root (useradd, crontab -u)";
    ASSERT_TRUE(setup_error_.empty()) << setup_error_;
    area_ = home_->path() + "/area";
    fs::create_directories(area_);
  }
  void TearDown() override {
    testing::runCommand("crontab", {"-r", "-u", user_});
    if (!cron_d_.empty()) fs::remove(cron_d_);
  }

  void installCrontab(const std::string& text) {
    std::string file = home_->write("crontab.txt", text);
    testing::CommandResult r = testing::runCommand("crontab", {"-u", user_, file});
    ASSERT_EQ(r.exit_code, 0) << r.err << " (needs Debian's cron package)";
  }

  Outcome run(const std::string& path) {
    Params params;
    params.set("path", path);
    params.set("user", user_);
    ProbeContext ctx;
    ctx.deadline = Clock::now() + ctx.timeout;
    return findProbe("boot")->run(params, ctx);
  }

  static std::string user_;
  static std::unique_ptr<TempDir> home_;
  static std::string setup_error_;
  std::string area_;
  std::string cron_d_;
};

std::string BootProbe::user_;
std::unique_ptr<TempDir> BootProbe::home_;
std::string BootProbe::setup_error_;

TEST_F(BootProbe, NoEntryFailsWithBothFixes) {
  Outcome o = run(area_);
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_TRUE(contains(o.message, fmt::format("nothing starts the worker in {} on boot: add "
                                              "`@reboot buildbot-worker restart {}` with "
                                              "`crontab -e` as {}",
                                              area_, area_, user_)))
      << o.message;
  EXPECT_TRUE(contains(o.message,
                       "systemctl enable --now buildbot-worker@NAME.service` (Debian's "
                       "unit, for a build area in /var/lib/buildbot/workers/NAME)"))
      << o.message;
  EXPECT_EQ(o.observed["user"].toString(), user_);
}

TEST_F(BootProbe, RebootRestartInTheUsersCrontabPasses) {
  installCrontab("@reboot /usr/bin/buildbot-worker restart ~/area\n");
  Outcome o = run(area_);
  EXPECT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_TRUE(contains(o.message, "the worker starts on boot: crontab of " + user_ +
                                      " runs `buildbot-worker restart " + area_ + "`"))
      << o.message;
  EXPECT_EQ(o.observed["entries"][0]["action"].toString(), "restart");
  EXPECT_EQ(run(area_ + "/").status, Status::Pass);  // paths compare normalised
}

TEST_F(BootProbe, RebootStartFailsExplainingTheStalePidFile) {
  installCrontab("@reboot buildbot-worker start " + area_ + "\n");
  Outcome o = run(area_);
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_TRUE(contains(o.message, "crontab of " + user_ + " runs `buildbot-worker start " + area_ +
                                      "` at boot: `start` fails after an unclean shutdown "
                                      "because the stale twistd.pid is left behind"))
      << o.message;
  EXPECT_TRUE(contains(o.message, "`@reboot buildbot-worker restart " + area_ + "`")) << o.message;
}

TEST_F(BootProbe, EntryForAnotherAreaDoesNotCount) {
  installCrontab("@reboot buildbot-worker restart /srv/other-area\n");
  Outcome o = run(area_);
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_TRUE(contains(o.message, "(found only: crontab of " + user_ +
                                      " runs `buildbot-worker restart /srv/other-area`)"))
      << o.message;
}

TEST_F(BootProbe, CronDFileWithTheUserField) {
  cron_d_ = fmt::format("/etc/cron.d/bbcheck-test-{}", ::getpid());
  std::ofstream(cron_d_) << "@reboot root buildbot-worker start " << area_ << "\n"
                         << "@reboot " << user_ << " buildbot-worker restart " << area_ << "\n";
  Outcome o = run(area_);
  EXPECT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_TRUE(contains(o.message, cron_d_ + ":2 runs `buildbot-worker restart " + area_ + "`"))
      << o.message;
  fs::remove(cron_d_);

  // cron ignores a file name with a dot: so does the probe, and says so.
  cron_d_ = fmt::format("/etc/cron.d/bbcheck-test-{}.cron", ::getpid());
  std::ofstream(cron_d_) << "@reboot " << user_ << " buildbot-worker restart " << area_ << "\n";
  o = run(area_);
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_TRUE(contains(o.observed["notes"].toString(), cron_d_ + ": ignored by cron"))
      << o.observed.toString();
  EXPECT_TRUE(contains(o.message, "; note: " + cron_d_ + ": ignored by cron")) << o.message;
}

TEST_F(BootProbe, UnknownUserIsAnError) {
  Params params;
  params.set("path", area_);
  params.set("user", std::string("no-such-user-bbcheck"));
  ProbeContext ctx;
  ctx.deadline = Clock::now() + ctx.timeout;
  Outcome o = findProbe("boot")->run(params, ctx);
  EXPECT_EQ(o.status, Status::Error);
  EXPECT_EQ(o.message, "no such user: no-such-user-bbcheck");
}

}  // namespace
}  // namespace bbcheck
