// Whether cron will run at boot, when no cron daemon runs now: decided by
// the init system that is PID 1 and what it enables. Each case is a real
// private PID and mount namespace (tests/cron_namespace.h) whose PID 1 is
// named `systemd` or `init`, as /proc/1/stat then says, with private
// /etc/systemd/system and /etc/rc[2-5].d holding only the links the case
// makes, and a crontab with an @reboot line; bbcheck's boot check runs in
// there. Every unfit host has a fit control built the same way.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "probes/text.h"
#include "tests/cron_namespace.h"
#include "tests/test_support.h"
#include "tests/throwaway_user.h"

namespace bbcheck {
namespace {

using Links = std::vector<std::pair<std::string, std::string>>;

const char* const kWantsCron = "systemd/system/multi-user.target.wants/cron.service";
const char* const kCronUnit = "/lib/systemd/system/cron.service";  // Debian's cron package

class BootCronAtBoot : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::geteuid(), 0u) << "needs root (useradd, unshare, mount)";
    ASSERT_TRUE(std::filesystem::is_regular_file(kCronUnit)) << "needs Debian's cron package";
    line_ = "@reboot /usr/bin/buildbot-worker restart " + area_.path();
  }

  // The boot check where PID 1 is `init`, no cron daemon runs, and `links`
  // are all that /etc/systemd/system and /etc/rc[2-5].d hold.
  Outcome boot(const std::string& init, const Links& links) {
    testing::CronNamespace ns;
    ns.init = init;
    ns.crontab = line_ + "\n";
    ns.etc_links = links;
    return testing::bootInCronNamespace(ns, user_.name(), area_.path());
  }

  std::string passes() const {
    return fmt::format("the worker starts on boot: crontab of {} runs `buildbot-worker restart {}`",
                       user_.name(), area_.path());
  }

  testing::ThrowawayUser user_;
  testing::TempDir area_;
  std::string line_;
};

TEST_F(BootCronAtBoot, SystemdStartsCronOnlyWhenItsUnitIsEnabled) {
  // Fit: `systemctl enable cron` made this link.
  Outcome o = boot("systemd", {{kWantsCron, kCronUnit}});
  EXPECT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_TRUE(contains(o.message, passes() +
                                      " (systemd (PID 1) starts cron.service at boot "
                                      "(cron.service is enabled in multi-user.target.wants))"))
      << o.message;

  // Unfit: `systemctl disable cron` removed it.
  o = boot("systemd", {});
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_TRUE(contains(o.message,
                       "no cron daemon is running and systemd (PID 1) enables no "
                       "cron unit: `systemctl enable --now cron`"))
      << o.message;

  // Unfit: enabled but masked (`systemctl mask cron`): systemd starts no
  // masked unit, whatever wants it.
  o = boot("systemd", {{kWantsCron, kCronUnit}, {"systemd/system/cron.service", "/dev/null"}});
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_TRUE(contains(o.message,
                       "no cron daemon is running and systemd (PID 1) will not start "
                       "cron.service at boot: it is masked (/etc/systemd/system/"
                       "cron.service -> /dev/null): `systemctl unmask cron.service && "
                       "systemctl enable --now cron.service`"))
      << o.message;
}

TEST_F(BootCronAtBoot, SysvinitStartsCronOnlyFromAnRcStartLink) {
  // Fit: `update-rc.d cron defaults` made this link.
  Outcome o = boot("init", {{"rc2.d/S01cron", "../init.d/cron"}});
  EXPECT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_TRUE(contains(o.message,
                       passes() + " (sysvinit (PID 1) starts cron at boot (/etc/rc2.d/S01cron))"))
      << o.message;

  // Unfit: no link at all, or only the K link `update-rc.d cron disable`
  // leaves, or only anacron's.
  for (const Links& links : {Links{}, Links{{"rc2.d/K01cron", "../init.d/cron"}},
                             Links{{"rc2.d/S01anacron", "../init.d/anacron"}}}) {
    o = boot("init", links);
    EXPECT_EQ(o.status, Status::Fail) << o.message;
    EXPECT_TRUE(contains(o.message,
                         "no cron daemon is running and sysvinit (PID 1) has no "
                         "S??cron link in /etc/rc[2-5].d"))
        << o.message;
  }
}

TEST_F(BootCronAtBoot, SysvinitLinksOfACronPackageRemovedButNotPurgedDoNotCount) {
  // `apt-get remove cron` keeps /etc/init.d/cron and its rc links (conffiles)
  // but not /usr/sbin/cron: the script then exits at once, and no @reboot
  // line runs. The fit control is the same link with the daemon installed
  // (SysvinitStartsCronOnlyFromAnRcStartLink).
  testing::CronNamespace ns;
  ns.init = "init";
  ns.crontab = line_ + "\n";
  ns.etc_links = {{"rc2.d/S01cron", "../init.d/cron"}};
  ns.cron_daemon_removed = true;
  Outcome o = testing::bootInCronNamespace(ns, user_.name(), area_.path());
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_TRUE(contains(o.message,
                       "no cron daemon is running, and although sysvinit (PID 1) starts cron "
                       "at boot (/etc/rc2.d/S01cron), no cron daemon is installed"))
      << o.message;
  EXPECT_TRUE(contains(o.message, "`apt-get install cron`")) << o.message;
}

TEST_F(BootCronAtBoot, OnlyTheInitSystemThatIsPid1Counts) {
  // Both init systems' links, but each PID 1 reads only its own.
  Outcome o = boot("systemd", {{"rc2.d/S01cron", "../init.d/cron"}});
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_TRUE(contains(o.message, "systemd (PID 1) enables no cron unit")) << o.message;

  o = boot("init", {{kWantsCron, kCronUnit}});
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_TRUE(contains(o.message, "sysvinit (PID 1) has no S??cron link")) << o.message;

  // A container's PID 1 (here a shell named `sh`) runs neither.
  o = boot("sh", {{kWantsCron, kCronUnit}, {"rc2.d/S01cron", "../init.d/cron"}});
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_TRUE(contains(o.message, "PID 1 is `sh`, neither systemd nor sysvinit")) << o.message;
}

}  // namespace
}  // namespace bbcheck
