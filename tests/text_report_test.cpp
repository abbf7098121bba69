// The shipped profile's text report at a glance, for the hosts a volunteer
// really has: a typical unfit host before its request (host stage, the
// worker-stage checks waiting for the build area), and a worker whose
// service environment differs from the shell. It must fit one 50-row screen
// of 80 columns, say the verdict first and each problem once, most severe
// first. The profile is the shipped one, its re-runs added as a run adds them.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>

#include "checker/profile/profile_loader.h"
#include "checker/report/report_text.h"
#include "checker/report/text_wrap.h"
#include "checker/run/service_rerun.h"

namespace bbcheck {
namespace {

const char* kWait =
    "worker stage, no build area at ~/buildarea yet: after your request is accepted: "
    "buildbot-worker create-worker ~/buildarea buildbot-api.python.org:9020 WORKERNAME PASSWORD";

std::vector<std::string> rowsOf(const std::string& text) {
  std::vector<std::string> rows;
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    rows.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return rows;
}

class ShippedTextReport : public ::testing::Test {
 protected:
  void SetUp() override {
    profile_ = loadProfiles({"python-buildbot"});
    addServiceReruns(profile_, {});
    report_.profile = &profile_;
    report_.tool_version = "0.1.0";
    report_.duration_ms = 6670;
    report_.host = {};
    report_.host.hostname = "volunteer-vm";
    report_.host.os = "Debian GNU/Linux";
    report_.host.os_version = "12";
    report_.host.arch = "x86_64";
    report_.host.cpus = 2;
    report_.host.memory_bytes = 4LL << 30;
    report_.host.user = "buildbot";
    for (const Check& c : profile_.checks)
      report_.results.push_back(
          {&c, Status::Pass, c.id.substr(c.id.find('.') + 1) + " found", {}, {}});
  }

  void set(const std::string& id, Status status, const std::string& message) {
    for (CheckResult& r : report_.results)
      if (r.check->id == id) {
        r.status = status;
        r.message = message;
        return;
      }
    FAIL() << "the shipped profile has no check " << id;
  }

  // What a fresh Debian VM typically lacks before its request.
  void typicalUnfitHost() {
    report_.stage = StageScope::Host;
    for (const Check& c : profile_.checks) {
      if (c.stage == Stage::Worker) set(c.id, Status::Skip, kWait);
      if (c.id.rfind("environment.service.", 0) == 0)
        set(c.id, Status::Skip,
            std::string("not re-run in the worker's service environment: environment.service is "
                        "skip: ") +
                kWait);
    }
    set("worker.software", Status::Pass,
        "buildbot-worker 3.7.0 at /usr/bin/buildbot-worker (need 0.9 or later)");
    set("toolchain.cc", Status::Pass, "gcc 12.2.0 (x86_64-linux-gnu) compiles and links C");
    set("dns.nameservers", Status::Fail,
        "1 of 2 nameservers of /etc/resolv.conf fail: DNS server 10.0.0.53:53 did not answer "
        "within 1s");
    set("env.clock", Status::Fail,
        "the kernel says the clock is not synchronised (adjtimex state 5, STA_UNSYNC set): no NTP "
        "daemon is disciplining it");
    set("env.display", Status::Fail,
        "DISPLAY is not set: the GUI tests (test_tkinter, test_ttk, test_idle) are skipped");
    set("headers.openssl", Status::Fail,
        "openssl/ssl.h not found by gcc: fatal error: openssl/ssl.h: No such file or directory; "
        "install the Debian package libssl-dev");
    set("libraries.openssl", Status::Blocked, "needs headers.openssl, which failed");
    for (const char* lib : {"gdbm", "ndbm", "tk", "uuid"})
      set(std::string("headers.") + lib, Status::Fail,
          std::string(lib) + ".h not found by gcc: fatal error: " + lib +
              ".h: No such file or directory");
    set("vcs.hg", Status::Fail, "hg not found on PATH (PATH=/usr/local/bin:/usr/bin:/bin)");
    set("vcs.svn", Status::Skip, "not applicable on linux: only on windows");
    set("security.root-deliberate", Status::Skip, "not applicable: allow_root is false");
  }

  std::string render(size_t width) {
    report_.verdict = computeVerdict(report_.results, report_.fail_on);
    TextStyle style;
    style.width = width;
    return renderText(report_, style);
  }

  Profile profile_;
  RunReport report_;
};

TEST_F(ShippedTextReport, ATypicalUnfitHostFitsOneScreen) {
  typicalUnfitHost();
  std::string text = render(80);
  std::vector<std::string> rows = rowsOf(text);
  EXPECT_LE(rows.size(), 50u) << text;
  for (const std::string& row : rows) EXPECT_LE(displayWidth(row), 80u) << row;
  EXPECT_EQ(rows[0].rfind("NOT READY to request a worker: 2 required checks did not pass", 0), 0u)
      << text;
  // The required problem first, then the recommended ones in profile order;
  // the info note is no failure.
  size_t openssl = text.find("FAIL    headers.openssl:");
  size_t nameservers = text.find("WARN    dns.nameservers:");
  size_t clock = text.find("WARN    env.clock:");
  size_t hg = text.find("WARN    vcs.hg:");
  ASSERT_NE(openssl, std::string::npos) << text;
  EXPECT_LT(openssl, nameservers) << text;
  EXPECT_LT(nameservers, clock) << text;
  EXPECT_LT(clock, hg) << text;
  EXPECT_NE(text.find("  info    env.display: DISPLAY is not set"), std::string::npos) << text;
  EXPECT_EQ(text.find("FAIL    env.display"), std::string::npos) << text;
  // The waiting checks and their re-runs: one line's worth, said once.
  size_t waits = 0;
  for (size_t at = text.find("no build area"); at != std::string::npos;
       at = text.find("no build area", at + 1))
    ++waits;
  EXPECT_EQ(waits, 1u) << text;
  EXPECT_NE(text.find("  ok      toolchain: gcc 12.2.0, make, pkg-config, gdb\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("1 check could not run because of it: libraries.openssl"), std::string::npos)
      << text;
}

TEST_F(ShippedTextReport, AnUnfitServiceEnvironmentFitsOneScreen) {
  report_.stage = StageScope::All;
  set("security.root-deliberate", Status::Skip, "not applicable: allow_root is false");
  set("vcs.svn", Status::Skip, "not applicable on linux: only on windows");
  set("environment.service", Status::Pass,
      "the worker starts from the crontab of buildbot as buildbot: PATH=/usr/bin:/bin, no LANG");
  set("environment.service.vcs.hg", Status::Fail,
      "passes in your shell (hg 6.3.2 at /usr/local/bin/hg) but not in the worker's environment "
      "(the crontab of buildbot, as buildbot): fail there: hg not found on PATH; PATH is "
      "/usr/local/bin:/usr/bin:/bin here but /usr/bin:/bin for the worker: add PATH=... to the "
      "crontab");
  set("environment.service.toolchain.make", Status::Fail,
      "passes in your shell (make found at /usr/local/bin/make) but not in the worker's "
      "environment (the crontab of buildbot, as buildbot): fail there: make not found on PATH");
  std::string text = render(80);
  std::vector<std::string> rows = rowsOf(text);
  EXPECT_LE(rows.size(), 50u) << text;
  EXPECT_EQ(rows[0].rfind("NOT READY: 1 required check did not pass", 0), 0u) << text;
  // The re-runs that agree are one line, said before the two that differ.
  size_t reruns = 0;
  for (const CheckResult& r : report_.results)
    if (r.check->id.rfind("environment.service.", 0) == 0) ++reruns;
  ASSERT_GT(reruns, 2u);
  size_t agree = text.find(fmt::format(
      "  differs {} of {} checks re-run in the worker's environment", reruns - 2, reruns));
  ASSERT_NE(agree, std::string::npos) << text;
  size_t make = text.find("FAIL    environment.service.toolchain.make:");
  size_t hg = text.find("WARN    environment.service.vcs.hg:");
  EXPECT_LT(agree, make) << text;
  // make's re-run is required, hg's recommended.
  EXPECT_LT(make, hg) << text;
  EXPECT_NE(hg, std::string::npos) << text;
}

}  // namespace
}  // namespace bbcheck
