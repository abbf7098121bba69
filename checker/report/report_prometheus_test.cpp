#include "checker/report/report_prometheus.h"

#include <gtest/gtest.h>

#include "checker/profile/profile_loader.h"
#include "checker/report/prometheus_text.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

TEST(PrometheusEscaping, LabelValuesFollowTheExpositionFormat) {
  EXPECT_EQ(escapeLabelValue("plain.id-1"), "plain.id-1");
  EXPECT_EQ(escapeLabelValue("a\\b"), "a\\\\b");
  EXPECT_EQ(escapeLabelValue("say \"hi\""), "say \\\"hi\\\"");
  EXPECT_EQ(escapeLabelValue("two\nlines"), "two\\nlines");
  EXPECT_EQ(escapeLabelValue("tab\there"), "tab\there");                    // allowed as is
  EXPECT_EQ(escapeLabelValue("h\xc3\xa9t\xc3\xa9"), "h\xc3\xa9t\xc3\xa9");  // UTF-8 kept
  EXPECT_EQ(escapeLabelValue("bad\xff"), "bad\\\\xff");                     // invalid escaped
  EXPECT_EQ(escapeLabelValue("cut\xc3"), "cut\\\\xc3");                     // truncated sequence
  EXPECT_EQ(escapeLabelValue("\xc0\xaf"), "\\\\xc0\\\\xaf");                // overlong '/'
}

TEST(PrometheusEscaping, HelpKeepsQuotes) {
  EXPECT_EQ(escapeHelp("a \"b\" \\ c\nd"), "a \"b\" \\\\ c\\nd");
  EXPECT_EQ(escapeLabelValue("esc\x1b[31m"), "esc\\\\x1b[31m");
}

class PrometheusReport : public ::testing::Test {
 protected:
  void SetUp() override {
    profile_ = loadProfileText(R"(format: 1
name: "prom \"test\""
checks:
  - { id: a.pass, title: A, probe: cpu }
  - { id: a.fail, title: B, probe: cpu, severity: recommended }
  - { id: b.error, title: C, probe: cpu, severity: info }
  - { id: b.blocked, title: D, probe: cpu, needs: [b.error] }
  - { id: c.skip, title: E, probe: cpu }
)",
                               "prom.yaml");
    report_.profile = &profile_;
    report_.tool_version = "0.1.0";
    report_.started_at = "2026-11-25T12:00:00Z";
    report_.duration_ms = 1500;
    report_.host.hostname = "worker\n\"1\"";
    report_.results = {
        {&profile_.checks[0], Status::Pass, "", {}, {}, 1},
        {&profile_.checks[1], Status::Fail, "", {}, {}, 1},
        {&profile_.checks[2], Status::Error, "", {}, {}, 1},
        {&profile_.checks[3], Status::Blocked, "", {}, {}, 0},
        {&profile_.checks[4], Status::Skip, "", {}, {}, 0},
    };
    report_.verdict = computeVerdict(report_.results, Severity::Required);
  }
  Profile profile_;
  RunReport report_;
};

TEST_F(PrometheusReport, ExactlyTheDesignedMetrics) {
  std::string text = renderPrometheus(report_);
  EXPECT_EQ(report_.verdict, Verdict::NotReady);  // the blocked required check
  EXPECT_NE(text.find("\nbbcheck_ready 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nbbcheck_check_ok{check=\"a.pass\",severity=\"required\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("\nbbcheck_check_ok{check=\"a.fail\",severity=\"recommended\"} 0\n"),
            std::string::npos);
  EXPECT_NE(text.find("\nbbcheck_check_ok{check=\"b.error\",severity=\"info\"} 0\n"),
            std::string::npos);
  // Every selected check has an ok value, whatever its status: an alert
  // on a required check must not clear when what it needs breaks.
  EXPECT_NE(text.find("\nbbcheck_check_ok{check=\"b.blocked\",severity=\"required\"} 0\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\nbbcheck_check_ok{check=\"c.skip\",severity=\"required\"} 0\n"),
            std::string::npos);
  // ...and a status, in a series apart (check_ok's labels never change).
  for (const char* line :
       {"bbcheck_check_status{check=\"a.pass\",severity=\"required\",status=\"pass\"} 1",
        "bbcheck_check_status{check=\"b.blocked\",severity=\"required\",status=\"blocked\"} 1",
        "bbcheck_check_status{check=\"c.skip\",severity=\"required\",status=\"skip\"} 1"})
    EXPECT_NE(text.find(std::string("\n") + line + "\n"), std::string::npos) << line;
  for (const char* line :
       {"bbcheck_checks{status=\"pass\"} 1", "bbcheck_checks{status=\"fail\"} 1",
        "bbcheck_checks{status=\"error\"} 1", "bbcheck_checks{status=\"blocked\"} 1",
        "bbcheck_checks{status=\"skip\"} 1", "bbcheck_checks{status=\"waived\"} 0"})
    EXPECT_NE(text.find(std::string("\n") + line + "\n"), std::string::npos) << line;
  // 2026-11-25T12:00:00Z is 1795608000; the run ended 1.5 s later.
  EXPECT_NE(text.find("\nbbcheck_last_run_timestamp_seconds 1795608001.500\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("\nbbcheck_run_duration_seconds 1.500\n"), std::string::npos);
  EXPECT_NE(text.find("\nbbcheck_info{version=\"0.1.0\",profile=\"prom \\\"test\\\"\","
                      "worker=\"worker\\n\\\"1\\\"\",host=\"worker\\n\\\"1\\\"\"} 1\n"),
            std::string::npos)
      << text;
  // Every family has HELP and TYPE; no sample carries a timestamp.
  for (const char* name :
       {"bbcheck_ready", "bbcheck_check_ok", "bbcheck_check_status", "bbcheck_checks",
        "bbcheck_last_run_timestamp_seconds", "bbcheck_run_duration_seconds", "bbcheck_info"}) {
    EXPECT_NE(text.find(std::string("# HELP ") + name + " "), std::string::npos) << name;
    EXPECT_NE(text.find(std::string("# TYPE ") + name + " gauge\n"), std::string::npos) << name;
  }
}

TEST_F(PrometheusReport, ChecksLeftOutByOnlyOrSkipAreNotCounted) {
  report_.results[4].selected = false;  // c.skip, left out by --skip c.
  std::string text = renderPrometheus(report_);
  EXPECT_NE(text.find("\nbbcheck_checks{status=\"skip\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nbbcheck_checks{status=\"pass\"} 1\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("c.skip"), std::string::npos);
}

TEST_F(PrometheusReport, TheWorkerLabelIsTheNameInBuildbotTac) {
  report_.workers = {{"/srv/a", {"crontab of buildbot"}, true, "", "alpha-linux"},
                     {"/srv/b", {"crontab of buildbot"}, false, "", "not-checked"}};
  std::string text = renderPrometheus(report_);
  EXPECT_NE(text.find(",worker=\"alpha-linux\",host=\"worker\\n\\\"1\\\"\"} 1\n"),
            std::string::npos)
      << text;
}

TEST_F(PrometheusReport, AWaivedCheckSaysSo) {
  report_.results[1].status = Status::Waived;
  report_.results[1].waiver = AppliedWaiver{"known", "2999-01-01", false, Status::Fail};
  std::string text = renderPrometheus(report_);
  EXPECT_NE(text.find("\nbbcheck_check_ok{check=\"a.fail\",severity=\"recommended\"} 0\n"),
            std::string::npos);
  EXPECT_NE(text.find("\nbbcheck_check_status{check=\"a.fail\",severity=\"recommended\","
                      "status=\"waived\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\nbbcheck_checks{status=\"waived\"} 1\n"), std::string::npos);
}

TEST_F(PrometheusReport, ReadyAndInterrupted) {
  report_.results[1].status = Status::Pass;
  report_.results[2].status = Status::Pass;
  report_.results[3].status = Status::Pass;
  report_.verdict = computeVerdict(report_.results, Severity::Required);
  EXPECT_NE(renderPrometheus(report_).find("\nbbcheck_ready 1\n"), std::string::npos);
  report_.interrupted = true;
  EXPECT_NE(renderPrometheus(report_).find("\nbbcheck_ready 0\n"), std::string::npos);
}

// Debian's promtool is the judge of the format (package prometheus).
TEST_F(PrometheusReport, PromtoolAcceptsIt) {
  testing::TempDir dir;
  report_.host.hostname = "host\\with \"odd\"\nname\xff";
  std::string file = dir.write("bbcheck.prom", renderPrometheus(report_));
  auto r = testing::runCommand("sh", {"-c", "promtool check metrics < " + file});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  // The control: promtool does reject a malformed exposition.
  std::string broken = dir.write("broken.prom", "bbcheck_ready{worker=\"a\nb\"} 1\n");
  r = testing::runCommand("sh", {"-c", "promtool check metrics < " + broken});
  EXPECT_NE(r.exit_code, 0);
}

}  // namespace
}  // namespace bbcheck
