#include "checker/farm/fleet_status.h"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <cmath>

#include "checker/cli/command_fleet.h"
#include "checker/farm/fleet_client.h"

namespace bbcheck {
namespace {

Poco::JSON::Object::Ptr json(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

// Replies shaped as Buildbot 3.7's REST API answers them.
const char* kWorkers = R"({"workers": [
  {"workerid": 1, "name": "w1", "connected_to": [{"masterid": 1}], "paused": false,
   "configured_on": [], "workerinfo": {}},
  {"workerid": 2, "name": "w2", "connected_to": [], "paused": false},
  {"workerid": 3, "name": "w\u001b[31m3", "connected_to": [{"masterid": 1}], "paused": true}
], "meta": {"total": 3}})";

const char* kBuild = R"({"builds": [{"buildid": 7, "number": 4, "builderid": 2, "workerid": 1,
  "complete": true, "complete_at": 1795608000, "results": 2,
  "state_string": "bbcheck not_ready",
  "properties": {"bbcheck_verdict": ["not_ready", "bbcheck"],
                 "bbcheck_failed": [["tools.git", "master.pb"], "bbcheck"],
                 "bbcheck_summary": [{"pass": 2, "fail": 2, "total": 4}, "bbcheck"],
                 "bbcheck_version": ["0.1.0", "bbcheck"],
                 "workername": ["w1", "Worker"]}}], "meta": {}})";

TEST(FleetStatus, ParsesWorkersBuildersAndBuilds) {
  auto workers = parseWorkers(json(kWorkers));
  ASSERT_EQ(workers.size(), 3u);
  EXPECT_TRUE(workers[0].connected);
  EXPECT_FALSE(workers[1].connected);
  EXPECT_TRUE(workers[2].paused);

  auto builders = parseBbcheckBuilders(json(R"({"builders": [{"builderid": 1, "name": "compile"},
                            {"builderid": 2, "name": "bbcheck-w1"}]})"),
                                       "bbcheck-");
  ASSERT_EQ(builders.size(), 1u);
  EXPECT_EQ(builders[0].id, 2);

  int64_t workerId = 0;
  WorkerCheck check = parseLatestBuild(json(kBuild), "bbcheck-w1", &workerId);
  EXPECT_EQ(workerId, 1);
  EXPECT_TRUE(check.checked);
  EXPECT_EQ(check.verdict, "not_ready");
  EXPECT_EQ(check.failed, (std::vector<std::string>{"tools.git", "master.pb"}));
  EXPECT_EQ(check.summary.at("fail"), 2);
  EXPECT_EQ(check.result, 2);

  WorkerCheck none = parseLatestBuild(json(R"({"builds": []})"), "bbcheck-w2", &workerId);
  EXPECT_FALSE(none.checked);
}

TEST(FleetStatus, WrongShapesAreErrors) {
  EXPECT_THROW(parseWorkers(json(R"({"workers": "none"})")), FleetError);
  EXPECT_THROW(parseWorkers(json(R"({"builders": []})")), FleetError);
  EXPECT_THROW(parseWorkers(json(R"({"workers": [1, 2]})")), FleetError);
  EXPECT_THROW(parseWorkers(json(R"({"workers": [{"workerid": "x", "name": "a"}]})")), FleetError);
  EXPECT_THROW(parseWorkers(json(R"({"workers": [{"workerid": 1}]})")), FleetError);
  int64_t id = 0;
  EXPECT_THROW(parseLatestBuild(json(R"({"builds": [{"complete_at": "soon"}]})"), "b", &id),
               FleetError);
}

// Checked at 1795608000; fleet runs 2 h later with the default --max-age.
const FleetClock kClock{1795608000 + 7200, 26 * 3600};

TEST(FleetStatus, EveryWorkerNotConnectedCheckedRecentlyAndReadyHoldsTheFleetBack) {
  auto workers = parseWorkers(json(kWorkers));
  int64_t id = 0;
  workers[0].check = parseLatestBuild(json(kBuild), "bbcheck-w1", &id);
  EXPECT_EQ(fleetProblem(workers[0], kClock), "not_ready");
  EXPECT_EQ(fleetProblem(workers[1], kClock), "disconnected");
  EXPECT_EQ(fleetProblem(workers[2], kClock), "never checked");
  workers[0].check.verdict = "ready";
  EXPECT_FALSE(holdsFleetBack(workers[0], kClock));
  // A ready verdict from longer ago than --max-age is stale.
  FleetClock later{1795608000 + 27 * 3600, 26 * 3600};
  EXPECT_EQ(fleetProblem(workers[0], later), "checked 27h ago, over --max-age 26h");
  // A disconnected worker whose last check was ready still holds it back.
  workers[1].check = workers[0].check;
  EXPECT_TRUE(holdsFleetBack(workers[1], kClock));
}

TEST(FleetStatus, NotPassingChecksCarryTheirSeverity) {
  std::string build = kBuild;
  std::string props = R"("bbcheck_not_passing": [[{"id": "tools.git", "severity": "required",
    "status": "fail"}, {"id": "env.locale", "severity": "info", "status": "fail"},
    {"id": "net.ftp", "severity": "recommended", "status": "blocked"}], "bbcheck"], )";
  build.insert(build.find("\"bbcheck_summary\""), props);
  int64_t id = 0;
  WorkerCheck check = parseLatestBuild(json(build), "bbcheck-w1", &id);
  ASSERT_EQ(check.not_passing.size(), 3u);
  EXPECT_EQ(check.not_passing[1].severity, "info");
  auto workers = parseWorkers(json(kWorkers));
  workers[0].check = check;
  std::vector<WorkerStatus> one = {workers[0]};
  std::string text = renderFleetText(one, "http://m/", kClock);
  EXPECT_NE(text.find("not_ready      required: tools.git; info: env.locale; 1 blocked\n"),
            std::string::npos)
      << text;
  // An older builder step set only the ids.
  WorkerCheck old = parseLatestBuild(json(kBuild), "bbcheck-w1", &id);
  ASSERT_EQ(old.not_passing.size(), 2u);
  EXPECT_EQ(old.not_passing[0].severity, "");
}

TEST(FleetRender, CountsAreGrammaticalAndSayWhatHoldsTheFleetBack) {
  auto workers = parseWorkers(json(kWorkers));
  std::vector<WorkerStatus> gone = {workers[1]};
  std::string text = renderFleetText(gone, "http://m/", kClock);
  EXPECT_EQ(text.rfind("bbcheck fleet: 1 worker on http://m/\n", 0), 0u) << text;
  EXPECT_NE(text.find("\nNOT READY: 1 worker holds the fleet back (1 disconnected); 0 ready, 0 "
                      "connected, of 1 worker\n"),
            std::string::npos)
      << text;
  int64_t id = 0;
  workers[0].check = parseLatestBuild(json(kBuild), "bbcheck-w1", &id);
  workers[0].check.verdict = "ready";
  std::vector<WorkerStatus> fit = {workers[0], workers[0]};
  fit[1].name = "w9";
  text = renderFleetText(fit, "http://m/", kClock);
  EXPECT_NE(text.find("\nREADY: 2 workers ready; 2 ready, 2 connected, of 2 workers\n"),
            std::string::npos)
      << text;
  FleetClock later{1795608000 + 30 * 3600, 26 * 3600};
  text = renderFleetText(fit, "http://m/", later);
  EXPECT_NE(text.find("(30h ago, stale)"), std::string::npos) << text;
  EXPECT_NE(text.find("NOT READY: 2 workers hold the fleet back (2 last checked over --max-age "
                      "26h ago)"),
            std::string::npos)
      << text;
  auto root = json(renderFleetJson(fit, "http://m/", later));
  EXPECT_FALSE(root->getValue<bool>("ready"));
  EXPECT_TRUE(root->getArray("workers")->getObject(0)->getValue<bool>("stale"));
}

TEST(FleetRender, TextIsOneSafeLinePerWorker) {
  auto workers = parseWorkers(json(kWorkers));
  int64_t id = 0;
  workers[0].check = parseLatestBuild(json(kBuild), "bbcheck-w1", &id);
  std::string text = renderFleetText(workers, "http://admin:secret@127.0.0.1:8010/", kClock);
  EXPECT_EQ(text.find("secret"), std::string::npos);
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;  // no escape reaches a terminal
  EXPECT_NE(text.find("w\\x1b[31m3"), std::string::npos) << text;
  EXPECT_NE(
      text.find("2026-11-25T12:00:00Z (2h ago)           not_ready      tools.git, master.pb"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("disconnected"), std::string::npos);
  EXPECT_NE(text.find("never checked"), std::string::npos);

  std::string out = renderFleetJson(workers, "http://admin:secret@127.0.0.1:8010/", kClock);
  EXPECT_EQ(out.find("secret"), std::string::npos);
  auto root = json(out);
  EXPECT_FALSE(root->getValue<bool>("ready"));
  EXPECT_EQ(root->getArray("workers")->getObject(0)->getValue<std::string>("verdict"), "not_ready");
}

// A master's times as ISO 8601 on every architecture: past 2038 too, where
// a 32-bit time_t (armhf, i386) wraps to 1901; hostile values are clamped.
TEST(FleetTime, DatesPast2038AndHostileValues) {
  EXPECT_EQ(isoTimeText(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(isoTimeText(1796688000.5), "2026-12-08T00:00:00Z");
  EXPECT_EQ(isoTimeText(2208988800.0), "2040-01-01T00:00:00Z");
  EXPECT_EQ(isoTimeText(-5), "1970-01-01T00:00:00Z");
  EXPECT_EQ(isoTimeText(1e300), "9999-12-31T23:59:59Z");
  EXPECT_EQ(isoTimeText(std::nan("")), "1970-01-01T00:00:00Z");
  // Ages from hostile times are clamped, not cast out of range (fuzzing).
  EXPECT_EQ(ageText(std::nan("")), "0s");
  EXPECT_EQ(ageText(-3), "0s");
  EXPECT_EQ(ageText(1.15741e303), "11574074074d");
}

// Rendering is linear in its input: one worker with a 1 MB name (and C1
// controls in it) does not pad every other worker's line to its width.
TEST(FleetStatus, AHugeNameIsCutAndPadsNoOtherLine) {
  std::vector<WorkerStatus> workers(200);
  for (size_t i = 0; i < workers.size(); ++i) workers[i].name = "w" + std::to_string(i);
  workers[7].name = "huge\xc2\x9b" + std::string(1 << 20, 'x');
  FleetClock clock;
  std::string text = renderFleetText(workers, "http://127.0.0.1:1/", clock);
  EXPECT_LT(text.size(), 200u * 200u) << "every line padded to the longest name";
  size_t longest = 0;
  for (size_t at = 0, end; at < text.size(); at = end + 1) {
    end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    longest = std::max(longest, end - at);
  }
  EXPECT_LT(longest, 200u);
  EXPECT_NE(text.find("huge\\u009bxxx"), std::string::npos) << "the name, escaped";
  EXPECT_NE(text.find("x\xe2\x80\xa6 "), std::string::npos) << "cut, and marked so";
  std::string json = renderFleetJson(workers, "http://127.0.0.1:1/", clock);
  EXPECT_EQ(json.find("\xc2\x9b"), std::string::npos) << "no raw C1 in the JSON either";
}

}  // namespace
}  // namespace bbcheck
