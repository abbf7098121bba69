// The worker's session opened for real through bbcheck-session and libpam
// (cron's PAM service): what pam_limits and pam_env set reaches the program
// started in the session, and an account PAM refuses is refused in PAM's
// words. Each unfit case has a fit control built the same way; what PAM
// reads (limits.d, /etc/environment, the crontab spool) is replaced only in
// a private mount namespace, never on the real /etc.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>

#include "probes/environment/service_env.h"
#include "probes/text.h"
#include "tests/in_child.h"
#include "tests/test_support.h"
#include "tests/throwaway_user.h"

namespace bbcheck {
namespace {

using testing::ThrowawayUser;

Clock::time_point soon() {
  return Clock::now() + std::chrono::seconds(20);
}

// cron's view of a job of `user`, with NOFILE 1024:4096 from "the daemon".
ServiceEnvironment cronJob(const ThrowawayUser& user) {
  ServiceEnvironment env;
  env.known = true;
  env.manager = "cron";
  env.pam_service = "cron";
  env.user = user.name();
  env.uid = static_cast<uid_t>(user.uid());
  env.gid = static_cast<gid_t>(user.gid());
  env.groups = {env.gid};
  env.env = {{"PATH", "/usr/bin:/bin"}, {"HOME", user.home()}, {"FROM_CRONTAB", "crontab"}};
  env.working_directory = "/";
  env.limits.push_back({RLIMIT_NOFILE, "NOFILE", 1024, 4096, "the cron daemon's"});
  return env;
}

// In a private mount namespace: `text` over `path` (a file PAM reads).
void privateFile(const std::string& path, const std::string& text, const std::string& scratch) {
  if (::unshare(CLONE_NEWNS) != 0 || ::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr))
    throw std::runtime_error("no private mount namespace");
  std::ofstream(scratch) << text;
  if (::mount(scratch.c_str(), path.c_str(), nullptr, MS_BIND, nullptr) != 0)
    throw std::runtime_error("cannot bind over " + path);
}

// pam_limits (a limits.d line for one user) and pam_env (/etc/environment)
// reach the program cron's session starts; the control user, without a
// line, keeps the daemon's limits. Crontab variables override PAM's.
TEST(ServiceEnvSession, PamLimitsAndPamEnvReachTheProgramInTheSession) {
  ASSERT_EQ(::geteuid(), 0u) << "needs root (useradd, mount namespace)";
  ThrowawayUser limited(testing::workerAccount("bblim")), control(testing::workerAccount("bblim"));
  testing::TempDir scratch;
  testing::ChildOutcome r = testing::runInChild([&] {
    privateFile("/etc/security/limits.conf",
                fmt::format("{0} soft nofile 555\n{0} hard nofile 777\n", limited.name()),
                scratch.path() + "/limits.conf");
    privateFile("/etc/environment", "FROM_PAM_ENV=pam\nFROM_CRONTAB=pam\n",
                scratch.path() + "/environment");
    std::string results;
    for (const ThrowawayUser* u : {&limited, &control}) {
      SessionRun run = runInServiceSession(
          cronJob(*u), "/bin/sh",
          {"-c", "echo \"$(ulimit -Sn):$(ulimit -Hn) $FROM_PAM_ENV $FROM_CRONTAB $(id -un)\""},
          soon());
      if (!run.result.started) return Outcome::error(run.result.start_error);
      results += trimmed(run.result.out) + "|";
    }
    return Outcome::pass(results);
  });
  ASSERT_EQ(r.failure, "");
  ASSERT_EQ(r.outcome.status, Status::Pass) << r.outcome.message;
  EXPECT_EQ(r.outcome.message, fmt::format("555:777 pam crontab {}|1024:4096 pam crontab {}|",
                                           limited.name(), control.name()));
}

// The service-env probe's view says where a limit came from: cron's PAM
// session, not the daemon, when pam_limits set it.
TEST(ServiceEnvSession, TheServiceEnvironmentNamesCronsSessionAsTheLimitsOrigin) {
  ASSERT_EQ(::geteuid(), 0u) << "needs root (useradd, crontab -u, mount namespace)";
  ThrowawayUser user(testing::workerAccount("bblim"));
  testing::TempDir scratch, area;
  testing::ChildOutcome r = testing::runInChild([&] {
    privateFile("/etc/security/limits.conf", fmt::format("{} - nofile 999\n", user.name()),
                scratch.path() + "/limits.conf");
    std::string spool = scratch.path() + "/spool";
    std::filesystem::create_directory(spool);
    if (::mount(spool.c_str(), "/var/spool/cron/crontabs", nullptr, MS_BIND, nullptr) != 0)
      throw std::runtime_error("cannot bind the crontab spool");
    testing::CommandResult c = testing::runCommand(
        "sh", {"-c", fmt::format("echo '@reboot buildbot-worker restart {}' | crontab -u {} -",
                                 area.path(), user.name())});
    if (c.exit_code != 0) throw std::runtime_error("crontab: " + c.err);
    ServiceEnvironment env = readServiceEnvironment(area.path(), user.name(), soon());
    for (const ServiceLimit& l : env.limits)
      if (l.name == "NOFILE")
        return Outcome::pass(fmt::format("{}:{} from {}", l.soft, l.hard, l.origin));
    return Outcome::fail("no NOFILE limit: " + env.refusal);
  });
  ASSERT_EQ(r.failure, "");
  ASSERT_EQ(r.outcome.status, Status::Pass) << r.outcome.message;
  EXPECT_EQ(r.outcome.message,
            fmt::format("999:999 from cron's PAM session for {} (pam_limits)", user.name()));
}

// An expired account (chage -E 0): cron's PAM account step refuses it, and
// says so; the same account unexpired is not refused.
TEST(ServiceEnvSession, AnExpiredAccountIsRefusedInPamsWords) {
  ASSERT_EQ(::geteuid(), 0u) << "needs root (useradd, chage)";
  ThrowawayUser expired(testing::workerAccount("bbexp")), fit(testing::workerAccount("bbexp"));
  ASSERT_EQ(testing::runCommand("chage", {"-E", "0", expired.name()}).exit_code, 0);
  std::vector<std::string> notes;
  EXPECT_EQ(cronSessionRefusal(fit.name(), soon(), notes), "");
  std::string refusal = cronSessionRefusal(expired.name(), soon(), notes);
  EXPECT_TRUE(contains(refusal, "refuses the account (pam_acct_mgmt)")) << refusal;
  EXPECT_TRUE(contains(refusal, "expired")) << refusal;
  EXPECT_TRUE(notes.empty()) << notes.front();
  // The program never starts in a refused session.
  SessionRun run = runInServiceSession(cronJob(expired), "/bin/true", {}, soon());
  EXPECT_FALSE(run.result.started);
  EXPECT_EQ(run.refusal, refusal);
}

}  // namespace
}  // namespace bbcheck
