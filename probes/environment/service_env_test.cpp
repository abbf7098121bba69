// The readers of the service environment on real files: crontab texts as
// cron reads them, and systemd unit files with drop-ins in a unit tree under
// a temporary root. (The whole re-run, with real users, crontabs and units,
// is tests/e2e/service_env.sh.)
#include "probes/environment/service_env.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include "tests/test_support.h"

namespace bbcheck {
namespace {

using service_env_detail::cronEnvironmentFor;
using service_env_detail::systemdEnvironmentFor;
using testing::TempDir;

const ServiceLimit* limitNamed(const ServiceEnvironment& env, const std::string& name) {
  for (const auto& l : env.limits)
    if (l.name == name) return &l;
  return nullptr;
}

TEST(ServiceEnvCron, CronDefaultsWithoutVariables) {
  TempDir dir;
  std::string text =
      "# m h dom mon dow command\n@reboot buildbot-worker restart " + dir.path() + "\n";
  ServiceEnvironment env;
  ASSERT_TRUE(cronEnvironmentFor(text, false, dir.path(), "bb", "/home/bb", "crontab of bb", env));
  EXPECT_EQ(env.manager, "cron");
  EXPECT_EQ(env.env["PATH"], "/usr/bin:/bin");
  EXPECT_EQ(env.env["SHELL"], "/bin/sh");
  EXPECT_EQ(env.env["HOME"], "/home/bb");
  EXPECT_EQ(env.env["LOGNAME"], "bb");
  EXPECT_EQ(env.env.count("LANG"), 0u);
}

TEST(ServiceEnvCron, VariablesAboveTheLineOnlyAndQuotesRemoved) {
  TempDir dir;
  std::string text = "PATH = /opt/bin:/usr/bin:/bin\nLANG=\"C.UTF-8\"\nLOGNAME=other\n@reboot cd " +
                     dir.path() + " && buildbot-worker restart .\nTZ=UTC\n";
  ServiceEnvironment env;
  ASSERT_TRUE(cronEnvironmentFor(text, false, dir.path(), "bb", "/home/bb", "crontab of bb", env));
  EXPECT_EQ(env.env["PATH"], "/opt/bin:/usr/bin:/bin");
  EXPECT_EQ(env.env["LANG"], "C.UTF-8");
  EXPECT_EQ(env.env["LOGNAME"], "bb");  // cron always sets it to the crontab's user
  EXPECT_EQ(env.env.count("TZ"), 0u);   // set below the line: not for this job
}

TEST(ServiceEnvCron, OtherAreasAndOtherUsersDoNotCount) {
  TempDir dir;
  std::string text =
      "@reboot buildbot-worker restart /elsewhere\n"
      "@reboot someone buildbot-worker restart " +
      dir.path() + "\n";
  ServiceEnvironment env;
  EXPECT_FALSE(cronEnvironmentFor("@reboot buildbot-worker restart /elsewhere\n", false, dir.path(),
                                  "bb", "/home/bb", "crontab", env));
  EXPECT_FALSE(cronEnvironmentFor(text, true, dir.path(), "bb", "/home/bb", "/etc/crontab", env));
  EXPECT_TRUE(
      cronEnvironmentFor(text, true, dir.path(), "someone", "/home/x", "/etc/crontab", env));
  EXPECT_EQ(env.source, "/etc/crontab:2");
}

TEST(ServiceEnvSystemd, UnitSettingsWithTemplateAndDropIn) {
  TempDir root;
  root.write("lib/systemd/system/bbw@.service",
             "[Unit]\nDescription=x\n[Service]\nUser=root\nWorkingDirectory=/var/lib/bbw/%i\n"
             "Environment=\"LANG=C.UTF-8\" A=1\nLimitNOFILE=128\nUMask=0027\n"
             "ExecStart=/usr/bin/buildbot-worker start --nodaemon /var/lib/bbw/%i\n");
  root.write("etc/systemd/system/bbw@one.service.d/override.conf",
             "[Service]\nEnvironment=A=2\nLimitNOFILE=4096:8192\nEnvironmentFile=-/etc/none\n"
             "EnvironmentFile=/etc/default/bbw\n");
  root.write("etc/default/bbw", "# comment\nexport FROM_FILE=yes\nA=3\n");
  ServiceEnvironment env;
  ASSERT_TRUE(systemdEnvironmentFor(root.path(), "bbw@one.service", env));
  EXPECT_EQ(env.manager, "systemd");
  EXPECT_EQ(env.user, "root");
  EXPECT_EQ(env.working_directory, "/var/lib/bbw/one");
  EXPECT_EQ(env.env["LANG"], "C.UTF-8");
  EXPECT_EQ(env.env["A"], "3");  // EnvironmentFile= wins over Environment=
  EXPECT_EQ(env.env["FROM_FILE"], "yes");
  EXPECT_EQ(env.env["PATH"], "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  EXPECT_EQ(env.umask, 027u);
  const ServiceLimit* nofile = limitNamed(env, "NOFILE");
  ASSERT_NE(nofile, nullptr);
  EXPECT_EQ(nofile->soft, 4096u);
  EXPECT_EQ(nofile->hard, 8192u);
}

TEST(ServiceEnvSystemd, WithoutUserThereIsNoHomeAndDefaultsApply) {
  TempDir root;
  root.write("etc/systemd/system/w.service", "[Service]\nExecStart=/bin/true\n");
  ServiceEnvironment env;
  ASSERT_TRUE(systemdEnvironmentFor(root.path(), "w.service", env));
  EXPECT_EQ(env.env.count("HOME"), 0u);
  EXPECT_EQ(env.working_directory, "/");
  const ServiceLimit* nofile = limitNamed(env, "NOFILE");
  ASSERT_NE(nofile, nullptr);
  EXPECT_EQ(nofile->soft, 1024u);
  EXPECT_EQ(nofile->hard, 524288u);
  ServiceEnvironment none;
  EXPECT_FALSE(systemdEnvironmentFor(root.path(), "missing.service", none));
}

// The process really gets the environment: only its variables, its limit,
// its umask and working directory.
TEST(ServiceEnvExec, StartsAProgramInTheEnvironment) {
  TempDir dir;
  ServiceEnvironment env;
  env.known = true;
  env.uid = ::geteuid();
  env.gid = ::getegid();
  env.env = {{"PATH", "/usr/bin:/bin"}, {"ONLY", "this"}};
  env.limits.push_back({RLIMIT_NOFILE, "NOFILE", 200, 200, "test"});
  env.umask = 077;
  env.working_directory = dir.path();
  ProcessResult r =
      runInServiceEnvironment(env, "/bin/sh", {"-c", "env | sort; ulimit -n; umask; pwd"},
                              Clock::now() + std::chrono::seconds(20));
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("ONLY=this\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("HOME="), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n200\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0077\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(dir.path()), std::string::npos) << r.out;
  env.working_directory = dir.path() + "/missing";
  r = runInServiceEnvironment(env, "/bin/true", {}, Clock::now() + std::chrono::seconds(20));
  EXPECT_FALSE(r.started);
  EXPECT_NE(r.start_error.find("working directory"), std::string::npos) << r.start_error;
}

}  // namespace
}  // namespace bbcheck
