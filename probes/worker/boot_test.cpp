#include "probes/worker/boot.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "probes/text.h"
#include "probes/worker/boot_cron_daemon.h"
#include "probes/worker/boot_runnable.h"
#include "tests/cron_namespace.h"
#include "tests/in_child.h"
#include "tests/test_support.h"
#include "tests/throwaway_user.h"

namespace bbcheck {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

TEST(BootCommandLines, FindsBuildbotWorkerCalls) {
  BootUser u{"bb", "/home/bb"};
  auto one = [&](const std::string& command, const std::string& cwd = "/home/bb") {
    std::vector<WorkerInvocation> found = workerInvocations(command, u, cwd);
    EXPECT_EQ(found.size(), 1u) << command;
    return found.empty() ? WorkerInvocation{"-", "-", "", ""} : found[0];
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
  i = one("nohup nice -n 5 buildbot-worker start /srv/area");
  EXPECT_EQ(i.path, "/srv/area");
  i = one("sudo -u bb /usr/bin/buildbot-worker start /srv/area");
  EXPECT_EQ(i.path, "/srv/area");
  i = one("/home/bb/venv/bin/python3 /home/bb/venv/bin/buildbot-worker start /srv/area");
  EXPECT_EQ(i.path, "/srv/area");
  // Whatever program comes first is what runs: `bb` here (a user field
  // written in a user crontab), and `buildbot` (the master's CLI) there.
  EXPECT_TRUE(workerInvocations("bb buildbot-worker start /srv/area", u, "/").empty());
  EXPECT_TRUE(workerInvocations("buildbot buildbot-worker start /srv/area", u, "/").empty());
  EXPECT_TRUE(workerInvocations("# buildbot-worker restart /srv/area", u, "/").empty());
}

TEST(BootCrontabs, RebootLinesOnly) {
  BootUser u{"bb", "/home/bb"};
  std::vector<BootEntry> found = cronBootEntries(
      "# m h dom mon dow command\n"
      "MAILTO=\"\"\n"
      "*/5 * * * * buildbot-worker restart /srv/a\n"
      "@reboot buildbot-worker restart ~/area\n"
      "@reboot bb buildbot-worker restart /srv/user-field\n"  // runs `bb`: no user field here
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
    testing::ThrowawayUserOptions options;
    options.prefix = "bbck";
    options.home = true;
    try {
      account_ = std::make_unique<testing::ThrowawayUser>(options);
      user_ = account_->name();
    } catch (const std::exception& e) {
      setup_error_ = e.what();
    }
  }
  static void TearDownTestSuite() {
    account_.reset();
    user_.clear();
  }
  void SetUp() override {
    ASSERT_EQ(::geteuid(), 0u) << "BootProbe needs root (useradd, crontab -u)";
    ASSERT_TRUE(setup_error_.empty()) << setup_error_;
    area_ = account_->home() + "/area";
    fs::create_directories(area_);
  }
  void TearDown() override {
    testing::runCommand("crontab", {"-r", "-u", user_});
    if (!cron_d_.empty()) fs::remove(cron_d_);
  }

  void installCrontab(const std::string& text) {
    std::string file = account_->home() + "/crontab.txt";
    std::ofstream(file) << text;
    testing::CommandResult r = testing::runCommand("crontab", {"-u", user_, file});
    ASSERT_EQ(r.exit_code, 0) << r.err << " (needs Debian's cron package)";
  }

  Outcome run(const std::string& path) {
    Params params;
    params.set("path", path);
    params.set("user", user_);
    ProbeContext ctx;
    ctx.deadline = Clock::now() + ctx.timeout;
    return bootProbe().run(params, ctx);
  }

  static std::string user_;
  static std::unique_ptr<testing::ThrowawayUser> account_;
  static std::string setup_error_;
  std::string area_;
  std::string cron_d_;
};

std::string BootProbe::user_;
std::unique_ptr<testing::ThrowawayUser> BootProbe::account_;
std::string BootProbe::setup_error_;

TEST_F(BootProbe, NoEntryFailsWithBothFixes) {
  Outcome o = run(area_);
  EXPECT_EQ(o.status, Status::Fail);
  // Run as root for another user: the fix edits that user's crontab. With
  // no cron daemon at boot (a container whose PID 1 starts none), cron
  // comes first: an @reboot line alone would never run.
  if (cronAtBoot().will_run)
    EXPECT_TRUE(contains(o.message, fmt::format("nothing starts the worker in {} on boot: add "
                                                "`@reboot buildbot-worker restart {}` with "
                                                "`crontab -u {} -e`",
                                                area_, area_, user_)))
        << o.message;
  else
    EXPECT_TRUE(contains(o.message, fmt::format("nothing starts the worker in {} on boot, and no "
                                                "cron daemon will run at boot",
                                                area_)) &&
                contains(o.message, fmt::format("start cron and enable it at boot before adding "
                                                "`@reboot buildbot-worker restart {}` with "
                                                "`crontab -u {} -e`",
                                                area_, user_)))
        << o.message;
  EXPECT_TRUE(contains(o.message,
                       "systemctl enable --now buildbot-worker@NAME.service` (Debian's "
                       "unit, for a build area in /var/lib/buildbot/workers/NAME)"))
      << o.message;
  EXPECT_EQ(o.observed["user"].toString(), user_);
}

// The boot check in a private PID and mount namespace (tests/cron_namespace.h)
// where PID 1 is `sh`, the crontabs are private copies holding only this
// test's user and, with `withCron`, a real cron daemon runs.
Outcome bootInCronNamespace(bool withCron, const std::string& user, const std::string& area,
                            const std::string& cronDFile = "") {
  testing::CronNamespace ns;
  ns.cron_running = withCron;
  ns.cron_d_file = cronDFile;
  return testing::bootInCronNamespace(ns, user, area);
}

TEST_F(BootProbe, RebootRestartPassesOnlyWhereACronDaemonRuns) {
  installCrontab("@reboot /usr/bin/buildbot-worker restart ~/area\n");
  Outcome o = bootInCronNamespace(true, user_, area_);
  EXPECT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_TRUE(contains(o.message, "the worker starts on boot: crontab of " + user_ +
                                      " runs `buildbot-worker restart " + area_ + "`"))
      << o.message;
  EXPECT_TRUE(contains(o.message, "(cron is running (PID ")) << o.message;

  // The same crontab where PID 1 (here: sh) is neither systemd nor sysvinit
  // and no cron runs: nothing will ever read it.
  o = bootInCronNamespace(false, user_, area_);
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_TRUE(contains(o.message,
                       "no cron daemon is running and PID 1 is `sh`, neither systemd "
                       "nor sysvinit"))
      << o.message;
}

TEST_F(BootProbe, ProgramMustBeOnCronsPathAndExecutableForTheUser) {
  // A bare name: cron's PATH is /usr/bin:/bin, where Debian's package is.
  installCrontab("@reboot buildbot-worker restart " + area_ + "\n");
  EXPECT_EQ(bootInCronNamespace(true, user_, area_).status, Status::Pass);

  installCrontab("PATH=/opt/bbcheck-nowhere\n@reboot buildbot-worker restart " + area_ + "\n");
  Outcome o = bootInCronNamespace(true, user_, area_);
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_TRUE(contains(o.message,
                       "`buildbot-worker` is not on the PATH it gets at boot "
                       "(/opt/bbcheck-nowhere): write the full path "
                       "/usr/bin/buildbot-worker in the line"))
      << o.message;

  // A copy only root may run.
  std::string copy = account_->home() + "/bin/buildbot-worker";
  fs::create_directories(account_->home() + "/bin");
  fs::copy_file("/usr/bin/buildbot-worker", copy);
  ASSERT_EQ(::chmod(copy.c_str(), 0700), 0);
  installCrontab("@reboot " + copy + " restart " + area_ + "\n");
  o = bootInCronNamespace(true, user_, area_);
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_TRUE(contains(o.message, user_ + " cannot run " + copy)) << o.message;
  ASSERT_EQ(::chmod(copy.c_str(), 0755), 0);
  EXPECT_EQ(bootInCronNamespace(true, user_, area_).status, Status::Pass);
}

TEST_F(BootProbe, RebootStartFailsExplainingTheStalePidFile) {
  installCrontab("@reboot buildbot-worker start " + area_ + "\n");
  Outcome o = run(area_);
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_TRUE(contains(o.message, "crontab of " + user_ + " runs `buildbot-worker start " + area_ +
                                      "` at boot: `start` refuses to run when a twistd.pid left "
                                      "by an unclean shutdown names a PID that is in use again "
                                      "at boot"))
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
  Outcome o = bootInCronNamespace(true, user_, area_, cron_d_);
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

// A systemd unit in a private unit directory: its User= must be able to
// read and write the build area it names.
TEST_F(BootProbe, SystemdUnitUserMustReachTheBuildArea) {
  TempDir root;
  fs::permissions(area_, fs::perms(0700));
  ASSERT_EQ(::chown(area_.c_str(), ::getpwnam(user_.c_str())->pw_uid, static_cast<gid_t>(-1)), 0);
  std::string wants = root.path() + "/etc/systemd/system/multi-user.target.wants";
  fs::create_directories(wants);
  auto unit = [&](const std::string& runAs) {
    root.write("etc/systemd/system/bbw.service", "[Service]\nUser=" + runAs +
                                                     "\nExecStart=/usr/bin/buildbot-worker start "
                                                     "--nodaemon " +
                                                     area_ + "\n");
    fs::remove(wants + "/bbw.service");
    fs::create_symlink("/etc/systemd/system/bbw.service", wants + "/bbw.service");
    std::vector<BootEntry> found = systemdBootEntries(root.path(), BootUser{user_, ""});
    EXPECT_EQ(found.size(), 1u);
    return found.empty() ? BootEntry{} : found[0];
  };
  CronAtBoot noCron;  // not consulted for units
  BootEntry e = unit(user_);
  EXPECT_EQ(e.user, user_);
  EXPECT_TRUE(bootEntryProblems(e, area_, noCron).empty());

  e = unit("nobody");
  std::vector<std::string> problems = bootEntryProblems(e, area_, noCron);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_TRUE(
      contains(problems[0], "its User= nobody cannot read and write the build area: " + area_ +
                                " (mode 0700, owner " + user_ + ") does not let nobody"))
      << problems[0];
}

TEST_F(BootProbe, UnknownUserIsAnError) {
  Params params;
  params.set("path", area_);
  params.set("user", std::string("no-such-user-bbcheck"));
  ProbeContext ctx;
  ctx.deadline = Clock::now() + ctx.timeout;
  Outcome o = bootProbe().run(params, ctx);
  EXPECT_EQ(o.status, Status::Error);
  EXPECT_EQ(o.message, "no such user: no-such-user-bbcheck");
}

}  // namespace
}  // namespace bbcheck
