// "The worker starts on boot" when cron's PAM stack refuses the worker's
// account: ground truth first, with a real cron in a private PID and mount
// namespace (as tests/cron_namespace.h builds one) and two real users built
// the same way, one of them expired (`chage -E 0`): cron runs the fit
// user's @reboot job and not the expired one's, saying pam_strerror's text
// on its standard error; then bbcheck's boot check, in the same namespace, passes
// for the fit user and fails for the refused one, quoting PAM.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "probes/text.h"
#include "tests/cron_namespace.h"
#include "tests/test_support.h"
#include "tests/throwaway_user.h"

namespace bbcheck {
namespace {

// Runs in the namespace: a private /run, crontab spool, /etc/crontab and
// /etc/cron.d; Debian's cron in the foreground (its children's standard
// error, where a refused job's PAM message goes, into cron.log); waits until
// the fit user's job has run and cron has said why it refused the other;
// then bbcheck's boot checks for both.
const char* const kScript = R"SH(set -e
d=$1 fit=$2 refused=$3 bbcheck=$4
mount -t tmpfs bbcheck-run /run
mkdir -p "$d/spool" "$d/cron.d"
: > "$d/crontab"
chown root:crontab "$d/spool"
chmod 1730 "$d/spool"
for u in "$fit" "$refused"; do install -o "$u" -g crontab -m 600 "$d/$u.crontab" "$d/spool/$u"; done
mount --bind "$d/spool" /var/spool/cron/crontabs
mount --bind "$d/cron.d" /etc/cron.d
mount --bind "$d/crontab" /etc/crontab
/usr/sbin/cron -f 2> "$d/cron.log" &
cron=$!
for _ in $(seq 600); do
  [ -e "$d/ran-$fit" ] && grep -q "Authentication failure" "$d/cron.log" && break
  sleep 0.05
done
"$bbcheck" run -p "$d/profile.yaml" --format json --no-color > "$d/out.json" || true
kill "$cron"
)SH";

TEST(BootPam, CronRefusesAnExpiredAccountsRebootJobAndBootEntryFailsQuotingPam) {
  ASSERT_EQ(::geteuid(), 0u) << "needs root (useradd, chage, unshare, mount)";
  ASSERT_TRUE(std::filesystem::is_regular_file("/usr/sbin/cron")) << "needs Debian's cron";
  testing::ThrowawayUser fit(testing::workerAccount("bbpam")),
      refused(testing::workerAccount("bbpam"));
  ASSERT_EQ(testing::runCommand("chage", {"-E", "0", refused.name()}).exit_code, 0);
  testing::TempDir dir, area;
  ::chmod(dir.path().c_str(), 0777);  // each user's job leaves its mark here
  for (const testing::ThrowawayUser* u : {&fit, &refused})
    dir.write(u->name() + ".crontab",
              fmt::format("@reboot /usr/bin/buildbot-worker restart {}\n@reboot touch {}/ran-{}\n",
                          area.path(), dir.path(), u->name()));
  dir.write("profile.yaml", fmt::format("format: 1\nname: boot-pam\ndescription: boot\nchecks:\n"
                                        "  - id: boot.fit\n    probe: boot\n"
                                        "    with: {{ path: \"{0}\", user: \"{1}\" }}\n"
                                        "  - id: boot.refused\n    probe: boot\n"
                                        "    with: {{ path: \"{0}\", user: \"{2}\" }}\n",
                                        area.path(), fit.name(), refused.name()));
  std::string script = dir.write("run.sh", kScript);
  testing::CommandResult r = testing::runCommand(
      "unshare",
      {"--pid", "--fork", "--mount-proc", "--mount", "--propagation", "private", "sh", script,
       dir.path(), fit.name(), refused.name(), testing::bbcheckBinary()},
      90);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

  // Ground truth: cron ran the fit user's job, refused the expired one's.
  std::string cronLog = testing::readFile(dir.path() + "/cron.log");
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/ran-" + fit.name())) << cronLog;
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/ran-" + refused.name())) << cronLog;
  // cron prints pam_strerror's text only (it passes PAM_SILENT).
  EXPECT_TRUE(contains(cronLog, "Authentication failure")) << cronLog;

  // The check agrees, and quotes PAM.
  auto report = Poco::JSON::Parser()
                    .parse(testing::readFile(dir.path() + "/out.json"))
                    .extract<Poco::JSON::Object::Ptr>();
  auto checks = report->getArray("checks");
  ASSERT_EQ(checks->size(), 2u);
  std::string fitStatus = checks->getObject(0)->getValue<std::string>("status");
  std::string fitMessage = checks->getObject(0)->getValue<std::string>("message");
  std::string refusedStatus = checks->getObject(1)->getValue<std::string>("status");
  std::string refusedMessage = checks->getObject(1)->getValue<std::string>("message");
  EXPECT_EQ(fitStatus, "pass") << fitMessage;
  EXPECT_EQ(refusedStatus, "fail") << refusedMessage;
  EXPECT_TRUE(contains(refusedMessage, "but cron never runs it")) << refusedMessage;
  EXPECT_TRUE(contains(refusedMessage, "pam_acct_mgmt")) << refusedMessage;
  EXPECT_TRUE(contains(refusedMessage, "expired")) << refusedMessage;
}

}  // namespace
}  // namespace bbcheck
