// The text report at a glance, on built RunReports: a fit host, a typical
// unfit one, a chain of blocked checks, an info check, checks waiting for
// the worker stage, re-runs in the worker's environment that agree, and a
// narrow terminal. The shipped profile's report is held to its line counts
// in tests/text_report_test.cpp.
#include "checker/report/report_text_glance.h"

#include <gtest/gtest.h>

#include <map>

#include "checker/profile/profile_loader.h"
#include "checker/report/report_text.h"
#include "checker/report/text_wrap.h"

namespace bbcheck {
namespace {

std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> lines;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    lines.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return lines;
}

size_t countOf(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// A profile of checks "group.name" with the given severities and needs, and
// a report in which every check passed with the message "<name> found"
// unless set otherwise.
class Glance : public ::testing::Test {
 protected:
  void load(const std::string& checksYaml) {
    profile_ = loadProfileText("format: 1\nname: glance\nchecks:\n" + checksYaml, "glance.yaml");
    report_.profile = &profile_;
    report_.tool_version = "0.1.0";
    report_.duration_ms = 4210;
    report_.host.hostname = "worker-1";
    report_.host.os = "Debian GNU/Linux";
    report_.host.os_version = "12";
    report_.host.arch = "x86_64";
    report_.host.cpus = 2;
    report_.host.memory_bytes = 4LL << 30;
    report_.host.user = "buildbot";
    report_.results.clear();
    for (const Check& c : profile_.checks) {
      std::string name = c.id.substr(c.id.find('.') + 1);
      report_.results.push_back({&c, Status::Pass, name + " found at /usr/bin/" + name, {}, {}});
    }
  }

  void set(const std::string& id, Status status, const std::string& message) {
    for (CheckResult& r : report_.results)
      if (r.check->id == id) {
        r.status = status;
        r.message = message;
        return;
      }
    FAIL() << "no check " << id;
  }

  std::string render(size_t width = 0) {
    report_.verdict = computeVerdict(report_.results, report_.fail_on);
    TextStyle style;
    style.width = width;
    return renderText(report_, style);
  }

  Profile profile_;
  RunReport report_;
};

TEST_F(Glance, AFitHostIsTheVerdictAndOneLinePerGroup) {
  load(R"(  - { id: toolchain.gcc, probe: cpu }
  - { id: toolchain.make, probe: cpu }
  - { id: vcs.git, probe: cpu }
)");
  set("toolchain.gcc", Status::Pass, "gcc 12.2.0 (x86_64-linux-gnu) compiles and links C");
  std::string text = render();
  EXPECT_EQ(text,
            "READY (3 passed, 0 failed, 0 errors, 0 blocked, 0 skipped in 4.21s)\n"
            "profile glance, host worker-1: Debian GNU/Linux 12, x86_64, 2 CPUs, 4.0 GiB RAM, "
            "user buildbot (bbcheck 0.1.0)\n"
            "\n"
            "  ok      toolchain: gcc 12.2.0, make\n"
            "  ok      vcs: git\n");
}

TEST_F(Glance, EachProblemOnceMostSevereFirstThenInProfileOrder) {
  load(R"(  - { id: vcs.hg, probe: cpu, severity: recommended, fix: apt-get install mercurial }
  - { id: headers.gdbm, probe: cpu, severity: recommended }
  - { id: security.not-root, probe: cpu, fix: Run as buildbot., docs: "https://example.org/root" }
  - { id: headers.zlib, probe: cpu }
  - { id: headers.openssl, probe: cpu }
)");
  set("vcs.hg", Status::Fail, "hg not found on PATH");
  set("headers.gdbm", Status::Fail, "gdbm.h not found by gcc");
  set("security.not-root", Status::Fail, "running as root (uid 0)");
  set("headers.openssl", Status::Error, "gcc did not finish within 3000 ms");
  std::string text = render();
  std::vector<std::string> lines = linesOf(text);
  ASSERT_GE(lines.size(), 1u);
  EXPECT_EQ(lines[0],
            "NOT READY: 2 required checks did not pass (1 passed, 3 failed, 1 errors, 0 blocked, "
            "0 skipped in 4.21s)");
  size_t notRoot = text.find(
      "  FAIL    security.not-root: running as root (uid 0)\n"
      "          fix: Run as buildbot. (docs: https://example.org/root)\n");
  size_t openssl = text.find("  ERROR   headers.openssl: gcc did not finish within 3000 ms\n");
  size_t hg = text.find(
      "  WARN    vcs.hg: hg not found on PATH\n"
      "          fix: apt-get install mercurial\n");
  size_t gdbm = text.find("  WARN    headers.gdbm: gdbm.h not found by gcc\n");
  ASSERT_NE(notRoot, std::string::npos) << text;
  EXPECT_LT(notRoot, openssl) << text;
  EXPECT_LT(openssl, hg) << text;
  EXPECT_LT(hg, gdbm) << text;
  EXPECT_NE(gdbm, std::string::npos) << text;
  EXPECT_NE(text.find("\nTo fix (4):\n"), std::string::npos) << text;
  for (const char* id : {"vcs.hg", "headers.gdbm", "security.not-root", "headers.openssl"})
    EXPECT_EQ(countOf(text, id), 1u) << id << " printed more than once:\n" << text;
  // The group where something failed gets no "ok" line; the one that passed
  // does not exist here (headers.zlib's group has failures).
  EXPECT_EQ(countOf(text, "  ok "), 0u) << text;
}

TEST_F(Glance, BlockedChecksAreCollapsedUnderTheirCause) {
  // dns.nameservers is recommended but keeps required checks from running,
  // through a chain (net.https -> tls.python-org): it comes first.
  load(R"(  - { id: env.clock, probe: cpu, severity: recommended }
  - { id: dns.system, probe: cpu, severity: recommended, fix: Check /etc/resolv.conf. }
  - { id: net.ftp, probe: cpu, needs: [dns.system] }
  - { id: net.https, probe: cpu, needs: [dns.system] }
  - { id: tls.python-org, probe: cpu, needs: [net.https], severity: recommended }
  - { id: loop.a, probe: cpu }
  - { id: loop.b, probe: cpu }
  - { id: worker.tac, probe: cpu, stage: worker }
  - { id: worker.info, probe: cpu, needs: [worker.tac], stage: worker }
)");
  set("env.clock", Status::Fail, "the clock is not synchronised");
  set("dns.system", Status::Fail, "python.org did not resolve");
  for (const char* id : {"net.ftp", "net.https"})
    set(id, Status::Blocked, "needs dns.system, which failed");
  set("tls.python-org", Status::Blocked, "needs net.https, which is blocked itself");
  // A received report may hold needs that go round in a loop (a profile
  // may not: the loader refuses it).
  for (Check& c : profile_.checks) {
    if (c.id == "loop.a") c.needs = {"loop.b"};
    if (c.id == "loop.b") c.needs = {"loop.a"};
  }
  set("loop.a", Status::Blocked, "needs loop.b, which is blocked itself");
  set("loop.b", Status::Blocked, "needs loop.a, which is blocked itself");
  set("worker.tac", Status::Skip, "worker stage, no build area yet: create it");
  set("worker.info", Status::Blocked, "needs worker.tac, which was skipped");
  std::string text = render();
  size_t dns = text.find(
      "  WARN    dns.system: python.org did not resolve\n"
      "          fix: Check /etc/resolv.conf.\n"
      "          3 checks could not run because of it: net.ftp, net.https, tls.python-org\n");
  ASSERT_NE(dns, std::string::npos) << text;
  EXPECT_LT(dns, text.find("env.clock")) << text;
  EXPECT_NE(text.find("  BLOCKED 1 check could not run (needs loop.b, which is blocked itself): "
                      "loop.a\n"
                      "  BLOCKED 1 check could not run (needs loop.a, which is blocked itself): "
                      "loop.b\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  BLOCKED 1 check could not run (needs worker.tac, which was skipped): "
                      "worker.info\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(countOf(text, "needs dns.system"), 0u) << text;
}

TEST_F(Glance, AnInfoCheckHasItsOwnMarkAndIsNeverAFailure) {
  load(R"(  - { id: env.locale, probe: cpu }
  - { id: env.display, probe: cpu, severity: info, fix: Nothing is required. }
)");
  set("env.display", Status::Fail, "DISPLAY is not set: the GUI tests are skipped");
  std::string text = render();
  EXPECT_EQ(text,
            "READY (1 passed, 0 failed, 0 errors, 0 blocked, 0 skipped, 1 info in 4.21s)\n"
            "profile glance, host worker-1: Debian GNU/Linux 12, x86_64, 2 CPUs, 4.0 GiB RAM, "
            "user buildbot (bbcheck 0.1.0)\n"
            "\n"
            "  ok      env: locale\n"
            "  info    env.display: DISPLAY is not set: the GUI tests are skipped\n");
  // -v lists it under its own mark too, and not among what to fix.
  TextStyle verbose;
  verbose.verbose = true;
  std::string listing = renderText(report_, verbose);
  EXPECT_NE(listing.find("  INFO     env.display"), std::string::npos) << listing;
  EXPECT_EQ(listing.find("To fix"), std::string::npos) << listing;
  // Counted by --fail-on info, it is a failure like any other.
  report_.fail_on = Severity::Info;
  std::string strict = render();
  EXPECT_NE(strict.find("  FAIL    env.display: DISPLAY is not set"), std::string::npos) << strict;
}

TEST_F(Glance, WorkerStageSkipsAreOneLineWithTheNextStep) {
  load(R"(  - { id: worker.software, probe: cpu }
  - { id: buildarea.tac, probe: cpu, stage: worker }
  - { id: buildarea.info, probe: cpu, stage: worker }
  - { id: boot.entry, probe: cpu, stage: worker }
  - { id: vcs.svn, probe: cpu }
)");
  report_.stage = StageScope::Host;
  for (const char* id : {"buildarea.tac", "buildarea.info", "boot.entry"})
    set(id, Status::Skip,
        "worker stage, no build area at ~/buildarea yet: after your request is accepted: "
        "buildbot-worker create-worker ~/buildarea HOST:PORT WORKERNAME PASSWORD");
  set("vcs.svn", Status::Skip, "not applicable on linux: only on windows");
  std::string text = render();
  EXPECT_EQ(countOf(text, "no build area"), 1u) << text;
  EXPECT_NE(
      text.find("  later   3 worker-stage checks wait: no build area at ~/buildarea yet: after "
                "your request is accepted: buildbot-worker create-worker ~/buildarea "
                "HOST:PORT WORKERNAME PASSWORD\n"),
      std::string::npos)
      << text;
  EXPECT_EQ(text.find("vcs.svn"), std::string::npos) << text;  // counted, not listed
  EXPECT_EQ(text.rfind("READY to request a worker (1 passed", 0), 0u) << text;
  // One check picked with --only says nothing about the request, and its
  // verdict says it covers that check only.
  for (size_t i = 1; i < report_.results.size(); ++i) report_.results[i].selected = false;
  text = render();
  EXPECT_EQ(text.rfind("READY in the 1 selected check only (1 passed, 0 failed, 0 errors, 0 "
                       "blocked, 0 skipped, 4 not selected",
                       0),
            0u)
      << text;
}

TEST_F(Glance, ReRunsInTheWorkersEnvironmentThatAgreeAreOneLine) {
  load(R"(  - { id: environment.service, probe: cpu }
  - { id: environment.service.vcs.git, probe: cpu }
  - { id: environment.service.env.locale, probe: cpu }
  - { id: environment.service.toolchain.cc, probe: cpu }
  - { id: vcs.git, probe: cpu }
  - { id: env.locale, probe: cpu }
  - { id: toolchain.cc, probe: cpu }
)");
  set("environment.service", Status::Pass,
      "the worker starts from the crontab of buildbot as buildbot: PATH=/usr/bin:/bin");
  std::string text = render();
  EXPECT_NE(text.find("  ok      3 checks re-run in the worker's environment (the worker starts "
                      "from the crontab of buildbot as buildbot): all agree\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("environment.service"), std::string::npos) << text;

  // One that differs is a problem of its own; the others still agree.
  set("environment.service.vcs.git", Status::Fail,
      "passes in your shell but not in the worker's environment");
  text = render();
  EXPECT_NE(text.find("  differs 2 of 3 checks re-run in the worker's environment"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  FAIL    environment.service.vcs.git: passes in your shell"),
            std::string::npos)
      << text;
}

TEST_F(Glance, WrapsToANarrowTerminalUnderAHangingIndent) {
  load(
      R"(  - { id: security.not-root, probe: cpu, fix: "Run bbcheck, and the worker, as buildbot, the worker's user on this host, with the same arguments." }
)");
  set("security.not-root", Status::Fail,
      "running as root (uid 0), expected an unprivileged user: build code would run with full "
      "control of this machine");
  std::string text = render(40);
  for (const std::string& line : linesOf(text))
    EXPECT_LE(displayWidth(line), 40u) << "'" << line << "' in\n" << text;
  EXPECT_NE(text.find("  FAIL    security.not-root: running as\n"
                      "          root (uid 0), expected an\n"),
            std::string::npos)
      << text;
  // Unwrapped (a pipe), each paragraph stays one line.
  std::string piped = render(0);
  EXPECT_EQ(linesOf(piped).size(), 6u) << piped;
}

}  // namespace
}  // namespace bbcheck
