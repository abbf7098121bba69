#include "checker/report/report_reader.h"

#include <gtest/gtest.h>

#include "checker/cli/exit_codes.h"
#include "checker/profile/profile_loader.h"
#include "checker/report/report_json.h"
#include "checker/report/report_junit.h"
#include "checker/report/report_tap.h"
#include "checker/report/report_text.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

// A report as `run` writes it, from a fixed run.
class ReceivedReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    profile_ = loadProfileText(R"(format: 1
name: fixed
description: Fixed checks
checks:
  - id: resources.cpus
    title: At least 2 CPUs
    probe: cpu
    tags: [resources]
    why: Tests run in parallel.
    fix: Give the VM 2 vCPUs.
  - id: net.nntp
    title: "NNTP <119> & \"more\""
    probe: cpu
    severity: recommended
    needs: [resources.cpus]
    fix: Open port 119.
    docs: https://example.org/ports
  - id: worker.boot
    title: Starts on boot
    probe: cpu
    stage: worker
)",
                               "fixed.yaml");
    profile_.sha256 = std::string(64, 'b');
    report_.profile = &profile_;
    report_.tool_version = "0.1.0";
    report_.started_at = "2026-11-25T12:00:00Z";
    report_.duration_ms = 2345;
    report_.host.hostname = "worker-1";
    report_.host.os = "Debian GNU/Linux";
    report_.host.os_version = "12";
    report_.host.kernel = "6.1.0";
    report_.host.arch = "x86_64";
    report_.host.cpus = 4;
    report_.host.memory_bytes = 8LL << 30;
    report_.host.user = "buildbot";
    report_.host.uid = 1001;
    report_.host.virtualization = "kvm";
    report_.host.compilers = {{"gcc", "c", "/usr/bin/gcc", "12.2.0", "x86_64-linux-gnu"}};
    report_.host.proxies = {{"http_proxy", "http://proxy:3128"}};
    Object observed;
    observed["count"] = 4;
    observed["list"] = Array{Value(1), Value("two"), Value(true)};
    Object nested;
    nested["ratio"] = 0.5;
    observed["nested"] = nested;
    report_.results = {
        {&profile_.checks[0], Status::Pass, "4 CPUs", observed, {}, 1},
        {&profile_.checks[1], Status::Error, "timed out \"after\" 2s\tthere", {}, {}, 2000},
        {&profile_.checks[2], Status::Skip, "worker stage, no build area", {}, {}, 0},
    };
    report_.stage = StageScope::Host;
    report_.verdict = computeVerdict(report_.results, report_.fail_on);
  }

  Profile profile_;
  RunReport report_;
};

TEST_F(ReceivedReportTest, EveryFormatRendersAsTheRunDid) {
  std::string json = renderJson(report_);
  std::unique_ptr<ReceivedReport> received = parseReport(json, "r.json");
  const RunReport& back = received->report;
  for (bool verbose : {false, true}) {
    TextStyle style{false, false, verbose};
    std::string ran = renderText(report_, style);
    // -v shows a passing check's fix, which a report carries only for checks
    // that did not pass: the one difference.
    std::string passingFix = "           fix:      Give the VM 2 vCPUs.\n";
    if (verbose) {
      ASSERT_NE(ran.find(passingFix), std::string::npos) << ran;
      ran.erase(ran.find(passingFix), passingFix.size());
    }
    EXPECT_EQ(renderText(back, style), ran);
  }
  EXPECT_EQ(renderJson(back), json);
  EXPECT_EQ(renderJunit(back), renderJunit(report_));
  EXPECT_EQ(renderTap(back), renderTap(report_));
  EXPECT_EQ(back.profile->checks[2].stage, Stage::Worker);
  EXPECT_EQ(back.stage, StageScope::Host);
  EXPECT_EQ(back.verdict, Verdict::Ready);
}

TEST_F(ReceivedReportTest, ReJudgingUnderFailOn) {
  std::unique_ptr<ReceivedReport> r = parseReport(renderJson(report_), "r.json");
  EXPECT_EQ(computeVerdict(r->report.results, Severity::Recommended), Verdict::NotReady);
  EXPECT_EQ(exitCodeOf(r->report), 0);
}

TEST_F(ReceivedReportTest, AnInterruptedRunsReportExitsWithItsSignal) {
  // show exits as run did: 128 + the signal that stopped the run.
  report_.interrupted = true;
  for (int signal : {SIGINT, SIGTERM, SIGHUP}) {
    report_.stop_signal = signal;
    EXPECT_EQ(exitCodeOf(report_), interruptedExitCode(signal));
    std::string json = renderJson(report_);
    std::unique_ptr<ReceivedReport> r = parseReport(json, "r.json");
    EXPECT_EQ(r->report.stop_signal, signal);
    EXPECT_EQ(exitCodeOf(r->report), interruptedExitCode(signal)) << json;
    EXPECT_EQ(testing::schemaErrors(json), "");
  }
  // A report of an older bbcheck does not say: SIGINT's code, as before.
  std::string json = renderJson(report_);
  std::string field = "\n  \"interrupted_by\": \"SIGHUP\",";
  ASSERT_NE(json.find(field), std::string::npos) << json;
  json.erase(json.find(field), field.size());
  EXPECT_EQ(exitCodeOf(parseReport(json, "old.json")->report), interruptedExitCode(SIGINT));
}

// Each mutation of a valid report, and the complaint it must bring.
struct Broken {
  std::string from, to, message;
};

TEST_F(ReceivedReportTest, AnythingElseIsRefusedNamingTheFieldAndWhatIsWrong) {
  std::string json = renderJson(report_);
  std::vector<Broken> cases = {
      {"\"bbcheck-report/1\"", "\"bbcheck-report/9\"",
       "r.json: schema: \"bbcheck-report/9\" is not a report this bbcheck reads"},
      {"\"status\": \"error\"", "\"status\": \"maybe\"",
       "r.json: checks[1].status: expected one of pass, fail, error, blocked, skip, waived, got \"maybe\""},
      {"\"cpus\": 4", "\"cpus\": \"4\"", "r.json: host.cpus: expected a whole number"},
      {"\"cpus\": 4", "\"cpus\": 4.5", "r.json: host.cpus: expected a whole number"},
      {"\"cpus\": 4", "\"cpus\": 0", "r.json: host.cpus: expected 1 or more, got 0"},
      {"\"verdict\": \"ready\"", "\"verdict\": \"not_ready\"",
       "r.json: verdict: says not_ready, but its checks make it ready under fail_on required"},
      {"\"pass\": 1", "\"pass\": 2", "r.json: summary.pass: says 2, but 1 checks are pass"},
      {"\"id\": \"net.nntp\"", "\"id\": \"resources.cpus\"",
       "r.json: checks[1].id: \"resources.cpus\" appears twice"},
      {"\"id\": \"net.nntp\"", "\"id\": \"Net NNTP\"", "r.json: checks[1].id: \"Net NNTP\" is not"},
      {"\"stage\": \"worker\"", "\"stage\": \"later\"", "r.json: checks[2].stage: expected one of"},
      {"\"started_at\": \"2026-11-25T12:00:00Z\"", "\"started_at\": \"yesterday\"",
       "r.json: started_at: \"yesterday\" is not an ISO 8601 time"},
      {"\"sha256\": \"bbbb", "\"sha256\": \"BBBB", "r.json: profile.sha256: expected 64"},
      {"\"tags\": [\n        \"resources\"\n      ]", "\"tags\": [1]",
       "r.json: checks[0].tags: expected an array of strings"},
      {"\"worker_request\"", "\"worker_requests\"", "r.json: worker_request: missing"},
      {"\"checks\": [", "\"checks\": {\"a\": [", "r.json: not JSON"},
  };
  for (const auto& c : cases) {
    std::string text = json;
    size_t at = text.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.from;
    text.replace(at, c.from.size(), c.to);
    try {
      parseReport(text, "r.json");
      ADD_FAILURE() << "accepted: " << c.to;
    } catch (const ReportError& e) {
      EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos)
          << "got: " << e.what() << "\nexpected: " << c.message;
    }
  }
}

TEST_F(ReceivedReportTest, HostileJsonIsRefusedWithinBounds) {
  auto refused = [](const std::string& text, const std::string& message) {
    try {
      parseReport(text, "h.json");
      ADD_FAILURE() << "accepted " << text.substr(0, 40);
    } catch (const ReportError& e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
  };
  refused("{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}",
          "h.json: not JSON (or nested deeper than 64)");
  refused(std::string(kMaxReportBytes + 1, ' '), "h.json: larger than 32 MiB");
  refused("\"" + std::string(1 << 20, 'x') + "\"", "h.json: not a JSON object");
  refused("{\"schema\": \"\xff\xfe\"}", "h.json: not valid UTF-8 (byte 12)");
  refused("", "h.json: not a JSON object");
  refused("[]", "h.json: not a JSON object");
  refused("{\"a\": ", "h.json: not JSON");
  refused("{\"schema\": null}", "h.json: schema: expected a string");
  // Observed values nested within the bound are kept; deeper ones refused.
  std::string json = renderJson(report_);
  std::string deep = json;
  deep.replace(deep.find("\"expected\": null"), 16,
               "\"expected\": " + std::string(30, '[') + std::string(30, ']'));
  EXPECT_NO_THROW(parseReport(deep, "d.json"));
  deep = json;
  deep.replace(
      deep.find("\"expected\": null"), 16,
      "\"expected\": " + std::string(kMaxReportDepth, '[') + std::string(kMaxReportDepth, ']'));
  refused(deep, "not JSON (or nested deeper than 64)");
}

TEST_F(ReceivedReportTest, ReadsFilesAndRefusesWhatIsNotOne) {
  testing::TempDir dir;
  std::string path = dir.write("r.json", renderJson(report_));
  EXPECT_EQ(readReport(path)->report.results.size(), 3u);
  EXPECT_THROW(readReport(dir.path()), ReportError);
  EXPECT_THROW(readReport(dir.path() + "/missing.json"), ReportError);
  try {
    readReport(dir.path() + "/missing.json");
  } catch (const ReportError& e) {
    EXPECT_NE(std::string(e.what()).find("missing.json: cannot read: No such file"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace bbcheck
