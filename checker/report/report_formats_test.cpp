#include "checker/report/report_formats.h"

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "checker/profile/profile_loader.h"
#include "checker/report/report_json.h"
#include "checker/report/report_junit.h"
#include "checker/report/report_prometheus.h"
#include "checker/report/report_tap.h"
#include "checker/report/report_text.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

TEST(ReportFormats, EachNameOnceInTheDocumentedOrder) {
  std::vector<std::string> names;
  for (const ReportFormat& format : reportFormats()) names.emplace_back(format.name);
  EXPECT_EQ(names, (std::vector<std::string>{"text", "json", "junit", "tap", "prometheus"}));
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
  for (ReportUse use : {ReportUse::Stdout, ReportUse::File, ReportUse::Show})
    EXPECT_EQ(reportFormatNames(use), names);
}

TEST(ReportFormats, FoundByNameForEachUse) {
  for (ReportUse use : {ReportUse::Stdout, ReportUse::File, ReportUse::Show}) {
    const ReportFormat* json = findReportFormat("json", use);
    ASSERT_NE(json, nullptr);
    EXPECT_EQ(json->name, "json");
    EXPECT_EQ(findReportFormat("yaml", use), nullptr);
    EXPECT_EQ(findReportFormat("JSON", use), nullptr);
  }
}

TEST(ReportFormats, OnlyTextSkipsTheCostlyHostFacts) {
  for (const ReportFormat& format : reportFormats())
    EXPECT_EQ(format.deep_host_facts, format.name != "text") << format.name;
}

// A fixed run: one result of every status, awkward characters in messages,
// nested observed values. Set BBCHECK_UPDATE_GOLDEN=1 to rewrite the files.
class ReportGolden : public ::testing::Test {
 protected:
  void SetUp() override {
    profile_ = loadProfileText(R"(format: 1
name: golden
description: Fixed checks for report tests
checks:
  - id: resources.cpus
    title: At least 2 CPUs
    probe: cpu
    with: { min: 2 }
    tags: [resources]
    why: The test suite runs in parallel.
    fix: Give the VM at least 2 vCPUs.
  - id: resources.disk
    title: 30 GB free for the build area
    probe: cpu
    tags: [resources]
    fix: Free space on the build area's filesystem.
    docs: https://devguide.python.org/testing/new-buildbot-worker/
  - id: network.dns
    title: DNS answers
    probe: cpu
    fix: Check /etc/resolv.conf.
  - id: network.smtp
    title: "SMTP <465> & \"587\""
    probe: cpu
    severity: recommended
    needs: [network.dns]
    fix: Open ports 465 and 587.
  - id: vcs.svn
    title: svn client
    probe: cpu
    platforms: [windows]
  - id: vcs.hg
    title: hg client
    probe: cpu
)",
                               "tests/golden/profile.yaml");
    profile_.sha256 = std::string(64, 'a');
    report_.profile = &profile_;
    report_.tool_version = "0.1.0";
    report_.started_at = "2026-11-25T12:00:00Z";
    report_.duration_ms = 1234;
    report_.host.hostname = "worker-1";
    report_.host.os = "Debian GNU/Linux";
    report_.host.os_version = "12";
    report_.host.kernel = "6.1.0-13-amd64";
    report_.host.arch = "x86_64";
    report_.host.cpus = 2;
    report_.host.memory_bytes = 4LL << 30;
    report_.host.user = "buildbot";
    report_.host.uid = 1001;
    report_.host.virtualization = "kvm";
    report_.host.compilers = {{"gcc", "c", "/usr/bin/gcc", "12.2.0", "x86_64-linux-gnu"}};
    report_.host.proxies = {{"https_proxy", "http://proxy.example:3128"}};
    Object cpus;
    cpus["count"] = 2;
    Object minCpus;
    minCpus["min"] = 2;
    Object disk;
    disk["bytes"] = static_cast<int64_t>(12LL << 30);
    disk["measured_path"] = "/home/buildbot";
    disk["path_exists"] = false;
    Object minDisk;
    minDisk["min_bytes"] = static_cast<int64_t>(30000000000LL);
    Object dns;
    dns["server"] = "127.0.0.53";
    dns["addresses"] = Array{};
    report_.results = {
        {&profile_.checks[0], Status::Pass, "2 CPUs (need 2)", cpus, minCpus, 1},
        {&profile_.checks[1], Status::Fail, "12.0 GiB free at /home/buildbot, need 27.9 GiB", disk,
         minDisk, 3},
        {&profile_.checks[2],
         Status::Error,
         "timed out after 3s asking 127.0.0.53 for \"python.org\"",
         dns,
         {},
         3000},
        {&profile_.checks[3],
         Status::Blocked,
         "needs network.dns, which could not be decided",
         {},
         {},
         0},
        {&profile_.checks[4], Status::Skip, "not applicable on linux: only on windows", {}, {}, 0},
        // Left out by --only: listed in JSON only.
        {&profile_.checks[5], Status::Skip, "not selected by --only", {}, {}, 0, false},
    };
    report_.fail_on = Severity::Required;
    report_.verdict = computeVerdict(report_.results, report_.fail_on);
  }

  // Compares with tests/golden/NAME, or rewrites it when asked to.
  void expectGolden(const std::string& name, const std::string& actual) {
    std::string path = testing::sourceDir() + "/tests/golden/" + name;
    if (std::getenv("BBCHECK_UPDATE_GOLDEN")) {
      std::ofstream(path, std::ios::binary) << actual;
      return;
    }
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(in) << "missing golden file " << path << " (run with BBCHECK_UPDATE_GOLDEN=1)";
    std::stringstream expected;
    expected << in.rdbuf();
    EXPECT_EQ(actual, expected.str()) << "differs from " << path;
  }

  Profile profile_;
  RunReport report_;
};

TEST_F(ReportGolden, Text) {
  expectGolden("report.txt", renderText(report_, TextStyle{}));
  expectGolden("report-verbose.txt", renderText(report_, TextStyle{false, false, true}));
  expectGolden("report-quiet.txt", renderText(report_, TextStyle{false, true, false}));
}

TEST_F(ReportGolden, TextLeavesOutWhatWasNotSelected) {
  for (bool verbose : {false, true}) {
    std::string text = renderText(report_, TextStyle{false, false, verbose});
    EXPECT_EQ(text.find("vcs.hg"), std::string::npos) << text;
    EXPECT_NE(text.find("1 skipped, 1 not selected in 1.23s"), std::string::npos) << text;
  }
}

// A probe's fix for this host (Outcome::fix) replaces the check's in every
// format.
TEST_F(ReportGolden, TheProbesFixReplacesTheChecks) {
  report_.results[2].fix = "Point /etc/resolv.conf at a nameserver that answers.";
  for (const std::string& out :
       {renderText(report_, TextStyle{}), renderText(report_, TextStyle{false, false, true}),
        renderJson(report_), renderJunit(report_), renderTap(report_)}) {
    EXPECT_NE(out.find("Point /etc/resolv.conf at a nameserver that answers."), std::string::npos)
        << out;
    EXPECT_EQ(out.find("Check /etc/resolv.conf."), std::string::npos) << out;
  }
}

TEST_F(ReportGolden, TextColourOnlyWhenAsked) {
  EXPECT_EQ(renderText(report_, TextStyle{}).find('\033'), std::string::npos);
  std::string coloured = renderText(report_, TextStyle{true, false, false});
  EXPECT_NE(coloured.find("\033[31m"), std::string::npos);  // red for the required failure
  std::string listing = renderText(report_, TextStyle{true, false, true});
  EXPECT_NE(listing.find("\033[32m"), std::string::npos);  // green for the pass
}

TEST_F(ReportGolden, JsonMatchesGoldenAndSchema) {
  std::string json = renderJson(report_);
  expectGolden("report.json", json);
  EXPECT_EQ(testing::schemaErrors(json), "");
  Poco::JSON::Object::Ptr root =
      Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(root->getValue<std::string>("verdict"), "not_ready");
  EXPECT_EQ(root->getObject("summary")->getValue<int>("fail"), 1);
  auto deselected = root->getArray("checks")->getObject(5);
  EXPECT_EQ(deselected->getValue<std::string>("id"), "vcs.hg");
  EXPECT_FALSE(deselected->getValue<bool>("selected"));
  EXPECT_FALSE(root->getArray("checks")->getObject(4)->has("selected"));
  auto first = root->getArray("checks")->getObject(0);
  EXPECT_FALSE(first->has("fix"));  // fix only where something needs fixing
  EXPECT_EQ(
      root->getArray("checks")->getObject(1)->getObject("observed")->getValue<int64_t>("bytes"),
      12LL << 30);
}

TEST_F(ReportGolden, JsonSchemaRejectsABrokenReport) {
  // The validator must be able to fail: a report without its verdict.
  std::string json = renderJson(report_);
  size_t at = json.find("\"verdict\"");
  ASSERT_NE(at, std::string::npos);
  json.replace(at, std::string("\"verdict\"").size(), "\"verdikt\"");
  EXPECT_NE(testing::schemaErrors(json), "");
}

TEST_F(ReportGolden, JunitIsWellFormedAndMapsStatuses) {
  std::string xml = renderJunit(report_);
  expectGolden("report.xml", xml);
  Poco::XML::DOMParser parser;
  Poco::AutoPtr<Poco::XML::Document> doc = parser.parseString(xml);
  // getElementsByTagName hands back a reference the caller must release.
  auto count = [&](const char* tag) {
    Poco::AutoPtr<Poco::XML::NodeList> list = doc->getElementsByTagName(tag);
    return list->length();
  };
  EXPECT_EQ(count("testcase"), 5u);  // not vcs.hg, which --only left out
  EXPECT_EQ(count("failure"), 1u);
  EXPECT_EQ(count("error"), 1u);  // the required error
  // The skip, and the recommended blocked check that does not count.
  EXPECT_EQ(count("skipped"), 2u);
}

TEST_F(ReportGolden, Tap) {
  std::string tap = renderTap(report_);
  expectGolden("report.tap", tap);
  EXPECT_EQ(tap.rfind("TAP version 13\n1..5\n", 0), 0u);  // not vcs.hg
  EXPECT_EQ(tap.find("vcs.hg"), std::string::npos);
  // The recommended check that is blocked does not count: a TODO.
  EXPECT_NE(tap.find("not ok 4 - network.smtp - SMTP <465> & \"587\" # TODO recommended"),
            std::string::npos);
}

TEST_F(ReportGolden, VerdictFollowsFailOn) {
  report_.results[1].status = Status::Pass;
  report_.results[2].status = Status::Pass;
  EXPECT_EQ(computeVerdict(report_.results, Severity::Required), Verdict::Ready);
  EXPECT_EQ(computeVerdict(report_.results, Severity::Recommended), Verdict::NotReady);
}

TEST_F(ReportGolden, TheTableRendersWithEachFormatsOwnRenderer) {
  TextStyle style{false, false, true};
  auto render = [&](std::string_view name) {
    return findReportFormat(name, ReportUse::Stdout)->render(report_, style);
  };
  EXPECT_EQ(render("text"), renderText(report_, style));
  EXPECT_EQ(render("json"), renderJson(report_));
  EXPECT_EQ(render("junit"), renderJunit(report_));
  EXPECT_EQ(render("tap"), renderTap(report_));
  EXPECT_EQ(render("prometheus"), renderPrometheus(report_));
}

}  // namespace
}  // namespace bbcheck
