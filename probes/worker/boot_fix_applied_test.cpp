// Needs root: a throwaway user, a real cron in a private PID and mount
// namespace (unshare), runuser.
//
// A fix is applied exactly as boot.entry prints it, and the check then
// passes: for a worker user without a login shell (Debian's `buildbot`)
// the fix is `crontab -u USER -e` run as root, which works where `crontab
// -e` as the user cannot be reached (no shell to become it with).
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "probes/text.h"
#include "tests/cron_namespace.h"
#include "tests/test_support.h"
#include "tests/throwaway_user.h"

namespace bbcheck {
namespace {

using testing::TempDir;

struct Applied {
  std::string before_message, fix, applied, after_status, after_message;
};

// In one namespace: cron running, an empty private spool; bbcheck run as
// `user` (as the profile says to run it); the fix's crontab command run as
// printed, as root, with an editor that adds the fix's @reboot line; then
// bbcheck again.
Applied applyBootFix(const std::string& user, const std::string& area) {
  TempDir dir;
  dir.write("profile.yaml",
            fmt::format("format: 1\nname: boot-fix\ndescription: boot\n"
                        "checks:\n  - id: boot.entry\n    probe: boot\n"
                        "    with: {{ path: \"{}\" }}\n    fix: the profile's own fix\n",
                        area));
  // Takes the commands out of the fix text: the @reboot line and the
  // crontab command, each between backticks.
  dir.write("apply.py", R"PY(import json, re, subprocess, sys, os
d = sys.argv[1]
check = json.load(open(d + "/before.json"))["checks"][0]
fix = check.get("fix", "")
line = re.search(r"`(@reboot [^`]*)`", fix)
command = re.search(r"`(crontab [^`]*)`", fix)
open(d + "/fix.txt", "w").write(fix)
if not line or not command:
    sys.exit(0)
with open(d + "/editor.sh", "w") as e:
    # crontab -e installs only a file whose mtime changed: an editor as
    # fast as this one finishes within the same second, so it says so.
    e.write("#!/bin/sh\necho '%s' >> \"$1\"\ntouch -d @$(($(date +%%s) + 2)) \"$1\"\n"
            % line.group(1))
os.chmod(d + "/editor.sh", 0o755)
env = dict(os.environ, EDITOR=d + "/editor.sh", VISUAL=d + "/editor.sh")
r = subprocess.run(command.group(1), shell=True, env=env, capture_output=True, text=True)
open(d + "/applied.txt", "w").write("%s -> %d %s %s" % (command.group(1), r.returncode, r.stdout, r.stderr))
)PY");
  std::string script = dir.write("run.sh", R"SH(set -e
d=$1 user=$2 bbcheck=$3
mount -t tmpfs bbcheck-run /run
mkdir -p "$d/spool" "$d/cron.d"
: > "$d/crontab"
chown root:crontab "$d/spool"
chmod 1730 "$d/spool"
mount --bind "$d/spool" /var/spool/cron/crontabs
mount --bind "$d/cron.d" /etc/cron.d
mount --bind "$d/crontab" /etc/crontab
/usr/sbin/cron
chmod 755 "$d"
runuser -u "$user" -- "$bbcheck" run -p "$d/profile.yaml" --format json --no-color > "$d/before.json" || true
python3 "$d/apply.py" "$d"
runuser -u "$user" -- "$bbcheck" run -p "$d/profile.yaml" --format json --no-color > "$d/after.json" || true
)SH");
  ::chmod(dir.path().c_str(), 0755);
  testing::CommandResult r =
      testing::runCommand("unshare",
                          {"--pid", "--fork", "--mount-proc", "--mount", "--propagation", "private",
                           "sh", script, dir.path(), user, testing::bbcheckBinary()},
                          120);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  auto read = [&](const std::string& name) {
    std::ifstream in(dir.path() + "/" + name);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  auto first = [](const std::string& json) {
    return Poco::JSON::Parser()
        .parse(json)
        .extract<Poco::JSON::Object::Ptr>()
        ->getArray("checks")
        ->getObject(0);
  };
  Applied a;
  std::string before = read("before.json"), after = read("after.json");
  if (before.empty() || after.empty()) {
    ADD_FAILURE() << "no report: " << r.out << r.err;
    return a;
  }
  a.before_message = first(before)->getValue<std::string>("message");
  a.fix = read("fix.txt");
  a.applied = read("applied.txt");
  a.after_status = first(after)->getValue<std::string>("status");
  a.after_message = first(after)->getValue<std::string>("message");
  return a;
}

testing::ThrowawayUserOptions withShell(const std::string& shell) {
  testing::ThrowawayUserOptions o = testing::workerAccount();
  o.shell = shell;
  return o;
}

TEST(BootFixApplied, NoLoginShellGetsCrontabDashURunAsRootAndThenPasses) {
  ASSERT_EQ(::geteuid(), 0u) << "needs root";
  testing::ThrowawayUser user(withShell("/usr/sbin/nologin"));
  std::string area = user.home() + "/area";
  ASSERT_EQ(testing::runCommand("runuser", {"-u", user.name(), "--", "mkdir", area}).exit_code, 0);
  Applied a = applyBootFix(user.name(), area);
  std::string command = fmt::format("`crontab -u {} -e` run as root", user.name());
  EXPECT_TRUE(contains(a.fix, command)) << a.fix;
  EXPECT_TRUE(contains(a.before_message, command)) << a.before_message;  // never contradicts
  EXPECT_FALSE(contains(a.fix, "`crontab -e`")) << a.fix;
  EXPECT_TRUE(contains(a.applied, "-> 0")) << a.applied;
  EXPECT_EQ(a.after_status, "pass") << a.after_message << "\napplied: " << a.applied;
}

// The control: a user with a login shell is told `crontab -e` as itself.
TEST(BootFixApplied, ALoginShellUserEditsItsOwnCrontab) {
  ASSERT_EQ(::geteuid(), 0u) << "needs root";
  testing::ThrowawayUser user(withShell("/bin/sh"));
  std::string area = user.home() + "/area";
  ASSERT_EQ(testing::runCommand("runuser", {"-u", user.name(), "--", "mkdir", area}).exit_code, 0);
  Applied a = applyBootFix(user.name(), area);
  EXPECT_TRUE(contains(a.fix, fmt::format("`crontab -e` as {}", user.name()))) << a.fix;
  EXPECT_FALSE(contains(a.fix, "crontab -u")) << a.fix;
}

// No cron daemon at boot: the fix starts cron first (or moves the worker to
// a systemd unit); it never says only to add an @reboot line that nothing
// would run. The control: cron running, the fix is the @reboot line.
TEST(BootFixApplied, NoCronDaemonGetsCronStartedOrASystemdUnit) {
  ASSERT_EQ(::geteuid(), 0u) << "needs root";
  testing::ThrowawayUser user(withShell("/bin/sh"));
  std::string area = user.home() + "/area";
  testing::CronNamespace noCron;
  noCron.crontab = "# nothing here\n";
  Outcome o = testing::bootInCronNamespace(noCron, user.name(), area);
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_TRUE(contains(o.fix, "No cron daemon will run at boot")) << o.fix;
  EXPECT_TRUE(contains(o.fix, "systemctl enable --now buildbot-worker@")) << o.fix;
  EXPECT_TRUE(contains(o.fix, "`systemctl enable --now cron`")) << o.fix;
  EXPECT_TRUE(contains(o.message, "no cron daemon will run at boot")) << o.message;

  testing::CronNamespace withCron = noCron;
  withCron.cron_running = true;
  o = testing::bootInCronNamespace(withCron, user.name(), area);
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_FALSE(contains(o.fix, "No cron daemon")) << o.fix;
  EXPECT_TRUE(contains(o.fix, "Add `@reboot buildbot-worker restart " + area + "`")) << o.fix;
}

}  // namespace
}  // namespace bbcheck
